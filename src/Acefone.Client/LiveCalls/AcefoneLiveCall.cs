using System;

namespace Acefone.Client
{
    /// <summary>
    /// One row of GET /v1/live_calls. Its property names are chosen for the pipeline: <see cref="CallId"/> binds
    /// to the call operations' -CallId, and nothing else binds to theirs (the row id is <see cref="RowId"/>, the
    /// dialled number is <see cref="Destination"/>, never "Intercom").
    /// </summary>
    public sealed class AcefoneLiveCall
    {
        public AcefoneLiveCall(string callId)
        {
            CallId = callId;
        }

        /// <summary>The id every call operation takes.</summary>
        public string CallId { get; }
        /// <summary>The API's row id (<c>id</c>). Not a call id: no operation accepts it.</summary>
        public string? RowId { get; internal set; }
        /// <summary>Null when the API sent a direction this module does not know.</summary>
        public CallDirection? Direction { get; internal set; }
        /// <summary>As the API words it, e.g. Answered or Ringing.</summary>
        public string? State { get; internal set; }
        /// <summary><c>queue_state</c>, when the API sends it (e.g. Waiting while the caller is in a department's queue).</summary>
        public string? QueueState { get; internal set; }
        public string? Source { get; internal set; }
        /// <summary>The number that was dialled.</summary>
        public string? Destination { get; internal set; }
        public string? CustomerNumber { get; internal set; }
        public string? Did { get; internal set; }
        public string? AgentName { get; internal set; }
        /// <summary>When the API sends it (the <c>agent_number</c> filter matches it).</summary>
        public string? AgentNumber { get; internal set; }
        /// <summary>When the API sends it (the <c>extension</c> filter matches it).</summary>
        public string? Extension { get; internal set; }
        public string? ChannelId { get; internal set; }
        /// <summary>
        /// <c>created_at</c> in the account's own time zone, which the API does not name: Kind is Unspecified,
        /// so it is never shifted by the local machine's zone. Null when missing or unreadable.
        /// </summary>
        public DateTime? StartedAt { get; internal set; }
        /// <summary>
        /// <see cref="StartedAt"/> with the account's UTC offset, which the API does not send: inferred from the listing
        /// time and <see cref="Duration"/> (start = listed - duration in UTC), rounded to a quarter hour. Null when
        /// either is missing or the result is not a real offset.
        /// </summary>
        public DateTimeOffset? StartedAtWithOffset
        {
            get
            {
                if (StartedAt == null || Duration == null || ListedAt == null) return null;
                DateTime startUtc = ListedAt.Value.UtcDateTime - Duration.Value;
                double minutes = (StartedAt.Value - startUtc).TotalMinutes;
                long quarters = (long)Math.Round(minutes / 15.0, MidpointRounding.AwayFromZero);
                if (Math.Abs(quarters) > 14 * 4) return null;
                return new DateTimeOffset(DateTime.SpecifyKind(StartedAt.Value, DateTimeKind.Unspecified), TimeSpan.FromMinutes(quarters * 15));
            }
        }
        /// <summary>When the API listed the call (UTC, this machine's clock).</summary>
        public DateTimeOffset? ListedAt { get; internal set; }
        /// <summary><c>call_time</c>: how long the call had lasted when it was listed.</summary>
        public TimeSpan? Duration { get; internal set; }

        public override string ToString() => CallId;
    }
}
