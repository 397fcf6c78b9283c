using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>Completes -Type with the operation names.</summary>
    public sealed class CallOperationCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            foreach (CallOperation operation in new[] { CallOperation.Monitor, CallOperation.Whisper, CallOperation.Barge, CallOperation.Transfer })
            {
                string name = operation.ToString();
                if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, $"{name} ({(int)operation})");
            }
        }
    }
}
