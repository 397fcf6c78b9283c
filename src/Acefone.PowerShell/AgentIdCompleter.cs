using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Acefone.PowerShell
{
    /// <summary>Completes -AgentId from the account's users (filled in with the users cmdlet).</summary>
    public sealed class AgentIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            yield break;
        }
    }
}
