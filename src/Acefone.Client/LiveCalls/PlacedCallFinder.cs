using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>What looking for a placed call found: one call, or why not (none, or several that fit).</summary>
    public sealed class PlacedCallMatch
    {
        internal PlacedCallMatch(AcefoneLiveCall? call, IReadOnlyList<AcefoneLiveCall> candidates, int listings, string matchedBy)
        {
            Call = call;
            Candidates = candidates;
            Listings = listings;
            MatchedBy = matchedBy;
        }

        /// <summary>The call, when exactly one fits.</summary>
        public AcefoneLiveCall? Call { get; }
        /// <summary>Every call that fits: none, one, or several (never guessed between).</summary>
        public IReadOnlyList<AcefoneLiveCall> Candidates { get; }
        /// <summary>How many times the live calls were listed.</summary>
        public int Listings { get; }
        /// <summary>"custom identifier" or "agent, destination and start time".</summary>
        public string MatchedBy { get; }
    }

    /// <summary>
    /// Finds the call a click-to-call placed. The answer has no call id, so the live calls are read: by the custom
    /// identifier when the records carry it, else by agent, destination and a start after the request. Never a guess:
    /// two that fit are reported as two.
    /// </summary>
    public static class PlacedCallFinder
    {
        /// <summary>The start time read from a listing has whole seconds and comes from another clock: this much earlier still counts.</summary>
        internal static readonly TimeSpan StartSlack = TimeSpan.FromSeconds(2);

        /// <summary>The calls in <paramref name="calls"/> that <paramref name="placed"/> may have made, and how they were matched.</summary>
        /// <param name="calls">One listing of the live calls.</param>
        /// <param name="placed">The accepted click-to-call.</param>
        /// <param name="agentNumbers">The numbers the agent may show up under in a live record (its id, follow-me number,
        /// extension); null for only the agent_number the call was placed with.</param>
        public static (IReadOnlyList<AcefoneLiveCall> Candidates, string MatchedBy) Candidates(IEnumerable<AcefoneLiveCall> calls, ClickToCallResult placed,
            IReadOnlyCollection<string>? agentNumbers = null)
        {
            if (calls == null) throw new ArgumentNullException(nameof(calls));
            if (placed == null) throw new ArgumentNullException(nameof(placed));
            List<AcefoneLiveCall> list = calls.ToList();
            if (placed.CustomIdentifier != null && list.Any(c => c.CustomIdentifier != null))
            {
                return (list.Where(c => string.Equals(c.CustomIdentifier, placed.CustomIdentifier, StringComparison.Ordinal)).ToList(), "custom identifier");
            }
            DateTime earliest = placed.RequestedAt - StartSlack;
            IReadOnlyCollection<string> agents = agentNumbers != null && agentNumbers.Count > 0 ? agentNumbers : new[] { placed.AgentNumber };
            var found = list.Where(c =>
                agents.Any(a => SameNumber(c.AgentNumber, a) || SameNumber(c.Extension, a)) &&
                (SameNumber(c.Destination, placed.DestinationNumber) || SameNumber(c.CustomerNumber, placed.DestinationNumber)) &&
                StartedUtc(c) is DateTime started && started >= earliest).ToList();
            return (found, "agent, destination and start time");
        }

        /// <summary>
        /// Lists live calls every <paramref name="interval"/> until one or more fit or <paramref name="timeout"/> has passed.
        /// Several that fit end the search at once (waiting would not make them fewer).
        /// </summary>
        public static async Task<PlacedCallMatch> FindAsync(AcefoneSession session, ClickToCallResult placed, TimeSpan timeout, TimeSpan interval,
            IReadOnlyCollection<string>? agentNumbers = null, IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default)
        {
            if (session == null) throw new ArgumentNullException(nameof(session));
            if (placed == null) throw new ArgumentNullException(nameof(placed));
            DateTime deadline = DateTime.UtcNow + timeout;
            int listings = 0;
            string matchedBy = "agent, destination and start time";
            while (true)
            {
                AcefoneLiveCallList calls = await session.GetLiveCallsAsync(null, observer, cancellationToken).ConfigureAwait(false);
                listings++;
                (IReadOnlyList<AcefoneLiveCall> candidates, string by) = Candidates(calls, placed, agentNumbers);
                matchedBy = by;
                if (candidates.Count > 0 || DateTime.UtcNow + interval > deadline)
                    return new PlacedCallMatch(candidates.Count == 1 ? candidates[0] : null, candidates, listings, matchedBy);
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>When the call started, in UTC: listing time minus how long it had lasted.</summary>
        private static DateTime? StartedUtc(AcefoneLiveCall call) =>
            call.ListedAt.HasValue && call.Duration.HasValue ? call.ListedAt.Value.UtcDateTime - call.Duration.Value : (DateTime?)null;

        /// <summary>Digits only; equal, or the same last 10 digits when one carries a country code the other leaves out.</summary>
        internal static bool SameNumber(string? listed, string wanted)
        {
            if (string.IsNullOrEmpty(listed)) return false;
            string a = new string(listed!.Where(ch => ch >= '0' && ch <= '9').ToArray());
            string b = new string(wanted.Where(ch => ch >= '0' && ch <= '9').ToArray());
            if (a.Length == 0 || b.Length == 0) return false;
            if (a == b) return true;
            return a.Length >= 10 && b.Length >= 10 && a.Substring(a.Length - 10) == b.Substring(b.Length - 10);
        }
    }
}
