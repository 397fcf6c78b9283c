using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Acefone.PowerShell
{
    /// <summary>Completes -Path of Invoke-AcefoneRestMethod with the API paths the Acefone docs name.</summary>
    public sealed class RestPathCompleter : IArgumentCompleter
    {
        private static readonly string[] Paths =
        {
            "/v1/live_calls", "/v1/users", "/v1/user/", "/v1/departments", "/v1/call/records", "/v1/call/options",
            "/v1/call/hangup", "/v1/click_to_call", "/v1/broadcasts", "/v1/dnd", "/v1/ivr", "/v1/notes",
        };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            foreach (string path in Paths)
            {
                if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || path.Substring(1).StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    yield return new CompletionResult(path, path, CompletionResultType.ParameterValue, path);
            }
        }
    }
}
