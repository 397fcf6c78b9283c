using System;
using System.Runtime.InteropServices;

namespace Acefone.Client
{
    /// <summary>Facts about the runtime the module is loaded in. No dependency beyond the BCL: the module initializer reads it before any dependency loads.</summary>
    internal static class RuntimeFacts
    {
        /// <summary>True on Windows PowerShell 5.1's .NET Framework.</summary>
        internal static bool IsNetFramework { get; } =
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);
    }
}
