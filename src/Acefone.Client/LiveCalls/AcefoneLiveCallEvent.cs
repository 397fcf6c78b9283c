using System;
using System.Collections.Generic;

namespace Acefone.Client
{
    /// <summary>
    /// One change seen by a watch. <see cref="CallId"/> binds to the call operations' -CallId, so events pipe
    /// straight into call control; no other property binds to theirs (no AgentId, Intercom or Type).
    /// </summary>
    public sealed class AcefoneLiveCallEvent
    {
        internal AcefoneLiveCallEvent(LiveCallEventKind kind, AcefoneLiveCall call, AcefoneLiveCall? previous, IReadOnlyList<string> changes,
            DateTime at, TimeSpan? duration, string? note)
        {
            Event = kind;
            Call = call;
            Previous = previous;
            Changes = changes;
            At = at;
            Duration = duration;
            Note = note;
        }

        public LiveCallEventKind Event { get; }
        public string CallId => Call.CallId;
        /// <summary>The call as last seen (for Ended: at the last poll that listed it).</summary>
        public AcefoneLiveCall Call { get; }
        /// <summary>For Changed: the call as the poll before saw it. Null otherwise.</summary>
        public AcefoneLiveCall? Previous { get; }
        /// <summary>Names of the properties that changed (e.g. State, QueueState, AgentName); Duration when a threshold was passed.</summary>
        public IReadOnlyList<string> Changes { get; }
        /// <summary>When the poll that saw the change was answered (UTC).</summary>
        public DateTime At { get; }
        /// <summary>How long the call has lasted (for Ended: its last known duration).</summary>
        public TimeSpan? Duration { get; }
        /// <summary>Why the event is less exact than usual, e.g. a call that ended while polls were failing.</summary>
        public string? Note { get; }
        /// <summary>True for an Ended call that vanished during a gap in polling: it ended some time within the gap.</summary>
        public bool EndTimeUnknown => Event == LiveCallEventKind.Ended && Note != null;

        public override string ToString() => $"{Event} {CallId}";
    }
}
