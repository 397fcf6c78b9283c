using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// Completes -AgentId from the account's users: available agents first, then busy ones, then the rest; the
    /// agent's name and status in the list and tooltip. Filters by the typed prefix of the id, or of the name or
    /// one of its words. The users are cached per session (see <see cref="CompletionSource{T}"/>): not connected,
    /// slow or failing API: no completions, never an error and never a wait of more than about a second.
    /// </summary>
    public sealed class AgentIdCompleter : SessionArgumentCompleter
    {
        private protected override IEnumerable<CompletionResult>? CompleteFrom(AcefoneSession session, string? wordToComplete)
        {
            IReadOnlyList<AcefoneUser>? users = CompletionData.Users.Get(session);
            return users == null ? null : Complete(users, wordToComplete ?? string.Empty);
        }

        internal static IEnumerable<CompletionResult> Complete(IReadOnlyList<AcefoneUser> users, string wordToComplete)
        {
            (string word, char quote) = CompletionData.Unquote(wordToComplete);
            var results = new List<CompletionResult>();
            // OrderBy is stable: within a status the API's order (by user id) stays.
            foreach (AcefoneUser agent in users.Where(u => u.HasAgent).OrderBy(u => Rank(u.AgentStatus)))
            {
                string id = agent.AgentId!;
                bool matches = id.StartsWith(word, StringComparison.Ordinal) || CompletionData.StartsWithWord(agent.Name, word);
                if (!matches) continue;
                string name = agent.Name ?? "(no name)";
                string status = agent.AgentStatus?.ToString() ?? "status unknown";
                results.Add(new CompletionResult(CompletionData.Quote(id, quote), $"{id} ({name}, {status})", CompletionResultType.ParameterValue,
                    $"{name}, {status}, user {agent.UserId}"));
            }
            return results;
        }

        private static int Rank(AgentStatus? status)
        {
            switch (status)
            {
                case AgentStatus.Available: return 0;
                case AgentStatus.Busy: return 1;
                default: return 2;
            }
        }
    }
}
