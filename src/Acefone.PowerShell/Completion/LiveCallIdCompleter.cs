using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// Completes -CallId from the calls live now (one listing per session every few seconds, however often Tab is
    /// pressed), in the API's order; tooltip: agent, direction, state and duration. Matches the start of the call id, or
    /// of the agent's name or number.
    /// </summary>
    public sealed class LiveCallIdCompleter : SessionArgumentCompleter
    {
        private protected override IEnumerable<CompletionResult>? CompleteFrom(AcefoneSession session, string? wordToComplete)
        {
            IReadOnlyList<AcefoneLiveCall>? calls = CompletionData.LiveCalls.Get(session);
            return calls == null ? null : Complete(calls, wordToComplete);
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
}
