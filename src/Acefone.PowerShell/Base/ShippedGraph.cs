using System;

namespace Acefone.PowerShell
{
    /// <summary>
    /// The versions the shipped DLLs reference that are not the versions shipped (System.Memory 4.5.5 asks for
    /// Unsafe 4.0.4.1 and Buffers 4.0.2.0; the packages ship 6.0.0.0 and 4.0.3.0). On .NET Framework each such
    /// reference fails to bind and reaches the resolver, often with no requesting assembly; the resolver answers
    /// exactly these (what a binding redirect would have said) and nothing else. ShippedGraphTests reads the shipped
    /// DLLs' references and fails when a package update adds a mismatch that is not listed here, or drops one.
    /// </summary>
    internal static class ShippedGraph
    {
        internal static readonly (string Name, Version Referenced)[] Mismatches =
        {
            ("System.Runtime.CompilerServices.Unsafe", new Version(4, 0, 4, 1)),
            ("System.Buffers", new Version(4, 0, 2, 0)),
        };

        /// <summary>Whether a shipped DLL references <paramref name="name"/> at <paramref name="version"/>, another version than the one shipped.</summary>
        internal static bool References(string? name, Version? version)
        {
            if (name == null || version == null) return false;
            foreach ((string Name, Version Referenced) mismatch in Mismatches)
            {
                if (string.Equals(mismatch.Name, name, StringComparison.OrdinalIgnoreCase) && mismatch.Referenced == version) return true;
            }
            return false;
        }
    }
}
