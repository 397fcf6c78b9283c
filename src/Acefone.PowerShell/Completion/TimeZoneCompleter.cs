using System;
using System.Management.Automation;

namespace Acefone.PowerShell
{
    /// <summary>Completes -TimeZone with the zones Acefone accounts use.</summary>
    public sealed class TimeZoneCompleter : IArgumentCompleter
    {
        private static readonly string[] Zones = { "India Standard Time", "Asia/Kolkata", "Europe/London", "GMT Standard Time", "UTC" };

        public System.Collections.Generic.IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            foreach (string zone in Zones)
            {
                if (zone.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    yield return new CompletionResult("'" + zone + "'", zone, CompletionResultType.ParameterValue, zone);
            }
        }
    }
}
