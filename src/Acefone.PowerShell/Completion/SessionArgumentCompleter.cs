using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// A completer that reads the account through the session the command line names (or the current one). Not
    /// connected, or any failure: no completions, never an error at the prompt.
    /// </summary>
    public abstract class SessionArgumentCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                AcefoneSession? session = CompletionData.SessionFor(fakeBoundParameters);
                return (session == null ? null : CompleteFrom(session, wordToComplete)) ?? Array.Empty<CompletionResult>();
            }
            catch (Exception)
            {
                return Array.Empty<CompletionResult>();
            }
        }

        /// <summary>The completions from <paramref name="session"/>'s cached listings; null when they are not to hand in time.</summary>
        private protected abstract IEnumerable<CompletionResult>? CompleteFrom(AcefoneSession session, string? wordToComplete);
    }
}
