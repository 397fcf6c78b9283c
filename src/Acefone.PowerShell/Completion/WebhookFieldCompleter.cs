using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>Completes -DeduplicateBy with the webhook fields that identify a delivery, then the event's properties (see about_Acefone_Supervisor).</summary>
    public sealed class WebhookFieldCompleter : IArgumentCompleter
    {
        internal static readonly string[] Fields =
        {
            "uuid", "call_id", "call_status", "event", "start_stamp", "end_stamp", "caller_id_number", "call_to_number", "ref_id", "custom_identifier",
        };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return Fields.Concat(WebhookReader.KeyProperties).Where(f => f.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                .Select(f => new CompletionResult(f, f, CompletionResultType.ParameterValue, f)).ToList();
        }
    }
}
