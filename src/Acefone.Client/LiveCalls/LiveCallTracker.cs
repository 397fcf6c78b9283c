using System;
using System.Collections.Generic;
using System.Linq;

namespace Acefone.Client
{
    /// <summary>
    /// Turns successive listings of GET /v1/live_calls into events: Started, Changed (with the names of the
    /// properties that changed) and Ended. Pure: no I/O and no clock of its own, so it is tested alone. It keeps
    /// only the calls of the last listing, so its memory follows the number of live calls, never the watch's length.
    /// Not thread-safe: one watch owns it.
    /// </summary>
    public sealed class LiveCallTracker
    {
        private sealed class Tracked
        {
            internal Tracked(AcefoneLiveCall call, DateTime firstSeenAt)
            {
                Call = call;
                FirstSeenAt = firstSeenAt;
                FirstDuration = call.Duration ?? TimeSpan.Zero;
            }

            internal AcefoneLiveCall Call;
            internal TimeSpan? Duration;
            internal readonly DateTime FirstSeenAt;
            internal readonly TimeSpan FirstDuration;
        }

        private static readonly IReadOnlyList<string> NoChanges = Array.Empty<string>();

        private readonly TimeSpan[] _thresholds;
        private Dictionary<string, Tracked> _live = new Dictionary<string, Tracked>(StringComparer.Ordinal);
        // The last listing's order, so Ended events come in a stable order.
        private string[] _order = Array.Empty<string>();
        private bool _primed;

        /// <param name="durationThresholds">A call whose duration passes one of these between two polls is reported Changed, with "Duration" in Changes.</param>
        public LiveCallTracker(IEnumerable<TimeSpan>? durationThresholds = null)
        {
            _thresholds = (durationThresholds ?? Enumerable.Empty<TimeSpan>()).Where(t => t > TimeSpan.Zero).Distinct().OrderBy(t => t).ToArray();
        }

        /// <summary>How many calls the last listing held (what the tracker keeps).</summary>
        public int Count => _live.Count;

        /// <summary>Whether a first listing has been seen.</summary>
        public bool IsPrimed => _primed;

        /// <summary>
        /// The events between the previous listing and <paramref name="calls"/>. At the first listing every call is
        /// Started, unless <paramref name="skipExisting"/>. <paramref name="gapSince"/> is the time of the last poll that
        /// succeeded when polls failed in between: calls that vanished then are Ended with a note that the end time is unknown.
        /// <paramref name="complete"/> false: the listing left out entries it could not read, so a call missing from it may
        /// still be live; such calls are kept as they were, never reported Ended on that evidence.
        /// </summary>
        public IReadOnlyList<AcefoneLiveCallEvent> Update(IReadOnlyList<AcefoneLiveCall> calls, DateTime at, bool skipExisting = false, DateTime? gapSince = null, bool complete = true)
        {
            if (calls == null) throw new ArgumentNullException(nameof(calls));
            bool first = !_primed;
            _primed = true;
            var events = new List<AcefoneLiveCallEvent>();
            var next = new Dictionary<string, Tracked>(calls.Count, StringComparer.Ordinal);
            var order = new List<string>(calls.Count);

            foreach (AcefoneLiveCall call in calls)
            {
                if (call == null || next.ContainsKey(call.CallId)) continue;   // a call listed twice counts once
                order.Add(call.CallId);
                if (_live.TryGetValue(call.CallId, out Tracked? known))
                {
                    AcefoneLiveCall previous = known.Call;
                    TimeSpan? before = known.Duration;
                    known.Call = call;
                    known.Duration = DurationOf(known, at);
                    next.Add(call.CallId, known);
                    List<string>? changes = Compare(previous, call);
                    if (PassedThreshold(before, known.Duration)) (changes ??= new List<string>()).Add("Duration");
                    if (changes != null)
                        events.Add(new AcefoneLiveCallEvent(LiveCallEventKind.Changed, call, previous, changes, at, known.Duration, null));
                }
                else
                {
                    var tracked = new Tracked(call, at);
                    tracked.Duration = DurationOf(tracked, at);
                    next.Add(call.CallId, tracked);
                    if (!(first && skipExisting))
                        events.Add(new AcefoneLiveCallEvent(LiveCallEventKind.Started, call, null, NoChanges, at, tracked.Duration, null));
                }
            }

            string? gapNote = gapSince.HasValue
                ? $"Ended while polls were failing: it was last seen at {gapSince.Value:yyyy-MM-dd HH:mm:ss} UTC, so its exact end time is unknown."
                : null;
            foreach (string callId in _order)
            {
                if (next.ContainsKey(callId) || !_live.TryGetValue(callId, out Tracked? gone)) continue;
                if (!complete)
                {
                    next.Add(callId, gone);
                    order.Add(callId);
                    continue;
                }
                events.Add(new AcefoneLiveCallEvent(LiveCallEventKind.Ended, gone.Call, null, NoChanges, at, gone.Duration, gapNote));
            }

            _live = next;
            _order = order.ToArray();
            return events;
        }

        /// <summary>The API's call_time when it sends one; otherwise the time since the call was first seen, added to what was first listed.</summary>
        private static TimeSpan? DurationOf(Tracked tracked, DateTime at)
        {
            if (tracked.Call.Duration.HasValue) return tracked.Call.Duration;
            TimeSpan since = at - tracked.FirstSeenAt;
            return tracked.FirstDuration + (since > TimeSpan.Zero ? since : TimeSpan.Zero);
        }

        private bool PassedThreshold(TimeSpan? before, TimeSpan? now)
        {
            if (_thresholds.Length == 0 || !before.HasValue || !now.HasValue) return false;
            foreach (TimeSpan threshold in _thresholds)
            {
                if (before.Value < threshold && now.Value >= threshold) return true;
            }
            return false;
        }

        // The properties compared, by name as Changes reports them. Duration is left out: it runs on by itself.
        // Written out rather than a table of delegates: 5000 calls a poll, and no boxing of the enum and the date.
        private static List<string>? Compare(AcefoneLiveCall before, AcefoneLiveCall now)
        {
            List<string>? changes = null;
            Note(ref changes, Same(before.State, now.State), "State");
            Note(ref changes, Same(before.QueueState, now.QueueState), "QueueState");
            Note(ref changes, Same(before.AgentName, now.AgentName), "AgentName");
            Note(ref changes, Same(before.AgentNumber, now.AgentNumber), "AgentNumber");
            Note(ref changes, Same(before.Extension, now.Extension), "Extension");
            Note(ref changes, Same(before.Destination, now.Destination), "Destination");
            Note(ref changes, Same(before.Source, now.Source), "Source");
            Note(ref changes, Same(before.CustomerNumber, now.CustomerNumber), "CustomerNumber");
            Note(ref changes, Same(before.Did, now.Did), "Did");
            Note(ref changes, before.Direction == now.Direction, "Direction");
            Note(ref changes, Same(before.ChannelId, now.ChannelId), "ChannelId");
            Note(ref changes, before.StartedAt == now.StartedAt, "StartedAt");
            Note(ref changes, Same(before.RowId, now.RowId), "RowId");
            return changes;
        }

        private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.Ordinal);

        private static void Note(ref List<string>? changes, bool same, string name)
        {
            if (!same) (changes ??= new List<string>(2)).Add(name);
        }
    }
}
