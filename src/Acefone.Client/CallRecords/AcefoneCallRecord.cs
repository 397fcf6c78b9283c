using System;

namespace Acefone.Client
{
    /// <summary>
    /// One row of GET /v1/call/records. Flat, so Export-Csv writes one column per property; <see cref="Raw"/> keeps the
    /// record as the API sent it (JSON text) for every field not named here.
    /// </summary>
    public sealed class AcefoneCallRecord
    {
        internal AcefoneCallRecord(string callId, DateTimeOffset startedAt)
        {
            CallId = callId;
            StartedAt = startedAt;
        }

        public string CallId { get; }
        public string? Uuid { get; internal set; }
        public CallDirection? Direction { get; internal set; }
        /// <summary>As the API words it (answered, missed, ...).</summary>
        public string? Status { get; internal set; }
        /// <summary>In the account's time zone, with its offset.</summary>
        public DateTimeOffset StartedAt { get; }
        public DateTimeOffset? EndedAt { get; internal set; }
        /// <summary>
        /// True when a start or end time fell in the hour the account's clocks went back and nothing in the record
        /// (its end stamp and duration) told which of the two it was: the time then carries the zone's standard
        /// offset and may be an hour off. False for every other record.
        /// </summary>
        public bool AmbiguousTime { get; internal set; }
        public TimeSpan? Duration { get; internal set; }
        public string? AgentName { get; internal set; }
        /// <summary>The agent's number without the "Extension-" prefix the API adds.</summary>
        public string? AgentNumber { get; internal set; }
        public string? CustomerNumber { get; internal set; }
        public string? DidNumber { get; internal set; }
        public string? Department { get; internal set; }
        public string? HangupCause { get; internal set; }
        /// <summary>
        /// The recording link, or null when the call has none. Live links carry a token of their own in the query:
        /// treat this value as a secret (it is left out of <see cref="ToString"/>).
        /// </summary>
        public string? RecordingUrl { get; internal set; }
        public bool HasRecording => !string.IsNullOrEmpty(RecordingUrl);
        /// <summary>The record as the API sent it, as JSON text (ConvertFrom-Json reads it).</summary>
        public string Raw { get; internal set; } = "{}";

        public override string ToString() => CallId;
    }
}
