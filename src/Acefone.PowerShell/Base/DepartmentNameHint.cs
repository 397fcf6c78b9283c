using System;
using System.Collections.Generic;
using System.Linq;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// -Intercom Sales: Tab turns a department's name into its intercom, but a typed name is refused (a transfer goes
    /// where the user said, not to a guess). The refusal then says which intercom the name has.
    /// </summary>
    internal static class DepartmentNameHint
    {
        /// <summary>An intercom refused for holding letters: worth listing the departments for (digit typos are not).</summary>
        internal static bool MayBeName(AcefoneInputException refused) =>
            refused.Field == InputField.Intercom && refused.Value != null && refused.Value.Any(char.IsLetter);

        /// <summary>A refusal that names the department's intercom, or null when the value is no department's name.</summary>
        internal static AcefoneInputException? Explain(AcefoneInputException refused, IReadOnlyList<AcefoneDepartment>? departments)
        {
            string? value = refused.Value?.Trim();
            if (!MayBeName(refused) || departments == null || string.IsNullOrEmpty(value)) return null;
            List<AcefoneDepartment> named = departments
                .Where(d => !string.IsNullOrEmpty(d.Intercom) && string.Equals(d.Name?.Trim(), value, StringComparison.OrdinalIgnoreCase))
                .ToList();
            if (named.Count == 0) return null;
            string reason = named.Count == 1
                ? $"is the name of a department, not a destination: department '{named[0].Name}' has intercom {named[0].Intercom}; give that (-Intercom {named[0].Intercom})."
                // Each named with its id and intercom: the names alone would read the same.
                : $"is the name of {named.Count} departments: {string.Join(", ", named.Select(d => $"'{d.Name}' (id {d.DepartmentId ?? "none"}) with intercom {d.Intercom}"))}; give the intercom of the one meant.";
            return new AcefoneInputException(InputField.Intercom, refused.Value, reason)
            {
                RecommendedAction = "Give the department's intercom (Get-AcefoneDepartment lists them; Tab after -Intercom completes a name to it).",
            };
        }
    }
}
