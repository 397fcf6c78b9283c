using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// Completes -CallId from the calls live now (one listing per session every few seconds, however often Tab is
    /// pressed), in the API's order; tooltip: agent, direction, state and duration. Matches the start of the call id, or
    /// of the agent's name or number.
    /// </summary>
    public sealed class LiveCallIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                AcefoneSession? session = CompletionData.SessionFor(fakeBoundParameters);
                IReadOnlyList<AcefoneLiveCall>? calls = session == null ? null : CompletionData.LiveCalls.Get(session);
                return calls == null ? Array.Empty<CompletionResult>() : Complete(calls, wordToComplete);
            }
            catch (Exception)
            {
                return Array.Empty<CompletionResult>();
            }
        }

        internal static IEnumerable<CompletionResult> Complete(IReadOnlyList<AcefoneLiveCall> calls, string? wordToComplete)
        {
            (string word, char quote) = CompletionData.Unquote(wordToComplete);
            var results = new List<CompletionResult>();
            foreach (AcefoneLiveCall call in calls)
            {
                bool matches = call.CallId.StartsWith(word, StringComparison.OrdinalIgnoreCase)
                    || CompletionData.StartsWithWord(call.AgentName, word)
                    || (call.AgentNumber != null && call.AgentNumber.StartsWith(word, StringComparison.Ordinal));
                if (!matches) continue;
                string agent = string.IsNullOrEmpty(call.AgentName) ? "no agent" : call.AgentName!;
                string state = string.IsNullOrEmpty(call.State) ? "state unknown" : call.State!;
                string duration = call.Duration.HasValue ? FormatDuration(call.Duration.Value) : "duration unknown";
                string direction = call.Direction?.ToString() ?? "direction unknown";
                results.Add(new CompletionResult(CompletionData.Quote(call.CallId, quote), $"{call.CallId} ({agent}, {state}, {duration})",
                    CompletionResultType.ParameterValue, $"{agent}, {direction}, {state}, {duration}"));
            }
            return results;
        }

        private static string FormatDuration(TimeSpan value) =>
            ((long)value.TotalHours).ToString("00", CultureInfo.InvariantCulture) + value.ToString(@"\:mm\:ss", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Completes -Intercom with the department intercoms (GET /v1/departments) and the agents' extensions (GET /v1/users),
    /// where the account exposes them. Matches the start of the number, or of the department's or agent's name.
    /// </summary>
    public sealed class IntercomCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                AcefoneSession? session = CompletionData.SessionFor(fakeBoundParameters);
                if (session == null) return Array.Empty<CompletionResult>();
                // Both fetches start before either is waited for, and share one budget.
                var fetchDepartments = CompletionData.Departments.Begin(session);
                var fetchUsers = CompletionData.Users.Begin(session);
                var waited = System.Diagnostics.Stopwatch.StartNew();
                IReadOnlyList<AcefoneDepartment>? departments = CompletionSource<IReadOnlyList<AcefoneDepartment>>.Await(fetchDepartments, CompletionSource<IReadOnlyList<AcefoneDepartment>>.Budget);
                IReadOnlyList<AcefoneUser>? users = CompletionSource<IReadOnlyList<AcefoneUser>>.Await(fetchUsers, CompletionSource<IReadOnlyList<AcefoneUser>>.Budget - waited.Elapsed);
                return Complete(departments ?? Array.Empty<AcefoneDepartment>(), users ?? Array.Empty<AcefoneUser>(), wordToComplete);
            }
            catch (Exception)
            {
                return Array.Empty<CompletionResult>();
            }
        }

        internal static IEnumerable<CompletionResult> Complete(IReadOnlyList<AcefoneDepartment> departments, IReadOnlyList<AcefoneUser> users, string? wordToComplete)
        {
            (string word, char quote) = CompletionData.Unquote(wordToComplete);
            var results = new List<CompletionResult>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (AcefoneDepartment department in departments)
            {
                string? intercom = department.Intercom?.Trim();
                if (string.IsNullOrEmpty(intercom) || !seen.Add(intercom!)) continue;
                string name = department.Name ?? "department " + department.DepartmentId;
                if (!intercom!.StartsWith(word, StringComparison.Ordinal) && !CompletionData.StartsWithWord(name, word)) continue;
                results.Add(new CompletionResult(CompletionData.Quote(intercom, quote), $"{intercom} ({name} department)",
                    CompletionResultType.ParameterValue, $"Department {name}: {department.Agents.Count} agents"));
            }
            foreach (AcefoneUser user in users)
            {
                string? extension = user.Extension?.Trim();
                if (!user.HasAgent || string.IsNullOrEmpty(extension) || !seen.Add(extension!)) continue;
                string name = user.Name ?? "user " + user.UserId.ToString(CultureInfo.InvariantCulture);
                if (!extension!.StartsWith(word, StringComparison.Ordinal) && !CompletionData.StartsWithWord(name, word)) continue;
                string status = user.AgentStatus?.ToString() ?? "status unknown";
                results.Add(new CompletionResult(CompletionData.Quote(extension, quote), $"{extension} ({name}, extension)",
                    CompletionResultType.ParameterValue, $"Extension of {name} ({status})"));
            }
            return results;
        }
    }

    /// <summary>Completes Get-AcefoneDepartment -Name with the department names.</summary>
    public sealed class DepartmentNameCompleter : IArgumentCompleter
    {
        private static readonly char[] NeedsQuotes = { ' ', '\'', '"', '$', '`', ';', ',', '(', ')', '{', '}', '@', '#', '&', '|' };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                AcefoneSession? session = CompletionData.SessionFor(fakeBoundParameters);
                IReadOnlyList<AcefoneDepartment>? departments = session == null ? null : CompletionData.Departments.Get(session);
                return departments == null ? Array.Empty<CompletionResult>() : Complete(departments, wordToComplete);
            }
            catch (Exception)
            {
                return Array.Empty<CompletionResult>();
            }
        }

        internal static IEnumerable<CompletionResult> Complete(IReadOnlyList<AcefoneDepartment> departments, string? wordToComplete)
        {
            (string word, char quote) = CompletionData.Unquote(wordToComplete);
            var results = new List<CompletionResult>();
            foreach (AcefoneDepartment department in departments)
            {
                if (string.IsNullOrEmpty(department.Name) || !CompletionData.StartsWithWord(department.Name, word)) continue;
                string name = department.Name!;
                // Quoted when the user began a quote or the name needs one (spaces, quotes, characters PowerShell would read).
                bool typedQuote = !string.IsNullOrEmpty(wordToComplete) && (wordToComplete![0] == '\'' || wordToComplete[0] == '"');
                string text = typedQuote || name.IndexOfAny(NeedsQuotes) >= 0 ? CompletionData.Quote(name, quote) : name;
                results.Add(new CompletionResult(text, name, CompletionResultType.ParameterValue,
                    $"{name}: intercom {department.Intercom ?? "none"}, {department.Agents.Count} agents"));
            }
            return results;
        }
    }
}
