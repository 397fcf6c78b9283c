using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// Completes -AgentId from the account's users: the agent id to insert, the agent's name in the list and
    /// tooltip. Matches the start of the id or any part of the name. The list is cached per session for
    /// <see cref="CacheLifetime"/>; fetching it waits at most <see cref="FetchBudget"/>. Not connected, offline or
    /// any failure: no completions, never an error and never a long wait.
    /// </summary>
    public sealed class AgentIdCompleter : IArgumentCompleter
    {
        internal static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(2);
        internal static readonly TimeSpan FetchBudget = TimeSpan.FromSeconds(2);
        // After a failure, do not make every Tab press wait again.
        internal static readonly TimeSpan FailureLifetime = TimeSpan.FromSeconds(15);

        private sealed class Entry
        {
            internal Entry(IReadOnlyList<AcefoneUser> agents, TimeSpan lifetime)
            {
                Agents = agents;
                ExpiresAt = DateTime.UtcNow + lifetime;
            }

            internal IReadOnlyList<AcefoneUser> Agents { get; }
            internal DateTime ExpiresAt { get; }
        }

        // Keyed weakly by the session: a disconnected session takes its cache with it.
        private static readonly ConditionalWeakTable<AcefoneSession, Entry> Cache = new ConditionalWeakTable<AcefoneSession, Entry>();

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                AcefoneSession? session = SessionFor(fakeBoundParameters);
                if (session == null) return Array.Empty<CompletionResult>();
                return Complete(AgentsOf(session), wordToComplete ?? string.Empty);
            }
            catch (Exception)
            {
                // Completion must never surface an error at the prompt.
                return Array.Empty<CompletionResult>();
            }
        }

        internal static IEnumerable<CompletionResult> Complete(IReadOnlyList<AcefoneUser> agents, string wordToComplete)
        {
            char quote = wordToComplete.Length > 0 && wordToComplete[0] == '"' ? '"' : '\'';
            string word = wordToComplete.Trim('\'', '"').Trim();
            var results = new List<CompletionResult>();
            foreach (AcefoneUser agent in agents)
            {
                string id = agent.AgentId!;
                bool matches = word.Length == 0
                    || id.StartsWith(word, StringComparison.Ordinal)
                    || (agent.Name != null && agent.Name.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0);
                if (!matches) continue;
                string name = agent.Name ?? "(no name)";
                string status = agent.AgentStatus?.ToString() ?? "status unknown";
                // Quoted: in a list ("-AgentId 0502..., 0503...") an unquoted id is read as a number and loses its leading zero.
                string text = quote == '"' ? $"\"{id}\"" : $"'{id}'";
                results.Add(new CompletionResult(text, $"{id} ({name})", CompletionResultType.ParameterValue, $"{name}, {status}, user {agent.UserId}"));
            }
            return results;
        }

        private static IReadOnlyList<AcefoneUser> AgentsOf(AcefoneSession session)
        {
            if (Cache.TryGetValue(session, out Entry? cached) && cached.ExpiresAt > DateTime.UtcNow) return cached.Agents;
            Entry fresh;
            try
            {
                fresh = new Entry(Fetch(session), CacheLifetime);
            }
            catch (Exception)
            {
                fresh = new Entry(Array.Empty<AcefoneUser>(), FailureLifetime);
            }
            Cache.Remove(session);
            Cache.Add(session, fresh);
            return fresh.Agents;
        }

        private static IReadOnlyList<AcefoneUser> Fetch(AcefoneSession session)
        {
            var budget = new CancellationTokenSource(FetchBudget);
            Task<IReadOnlyList<AcefoneUser>> users = session.GetUsersAsync(null, null, budget.Token);
            // The token ends the request; the bounded wait also covers anything that ignores it.
            if (!users.Wait(FetchBudget + TimeSpan.FromMilliseconds(250)))
            {
                budget.Cancel();
                users.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                throw new TimeoutException("The users list did not arrive in time for completion.");
            }
            budget.Dispose();
            return users.Result.Where(u => u.HasAgent).ToArray();
        }

        /// <summary>-Session as typed on the command line when PowerShell could evaluate it, else the runspace's default.</summary>
        private static AcefoneSession? SessionFor(IDictionary fakeBoundParameters)
        {
            object? given = fakeBoundParameters?["Session"];
            if (given is PSObject wrapped) given = wrapped.BaseObject;
            AcefoneSession? session = given as AcefoneSession ?? DefaultSessionStore.Get();
            return session == null || session.IsClosed ? null : session;
        }
    }
}
