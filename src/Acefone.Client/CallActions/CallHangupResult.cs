using System;

namespace Acefone.Client
{
    /// <summary>A hangup the API accepted, or one the run journal skipped as already sent (<see cref="Status"/>). Flat, so Export-Csv writes it as one row.</summary>
    public sealed class CallHangupResult
    {
        public CallHangupResult(string callId, bool success, string? message, int statusCode, DateTime timestamp)
        {
            CallId = callId;
            Success = success;
            Message = message;
            StatusCode = statusCode;
            Timestamp = timestamp;
        }

        /// <summary>A row the run journal skipped: nothing was sent now (<see cref="Status"/> AlreadySent).</summary>
        internal CallHangupResult(string callId, EarlierOutcome outcome, DateTime earlierTime)
            : this(callId, outcome == Client.EarlierOutcome.Succeeded, AlreadySentText.Message(outcome), 0, earlierTime)
        {
            Status = CallActionStatus.AlreadySent;
            EarlierOutcome = outcome;
        }

        public string CallId { get; }
        /// <summary>The API accepted it: now, or (AlreadySent) in the earlier run. False for an earlier outcome that is not known.</summary>
        public bool Success { get; }
        public string? Message { get; }
        public int StatusCode { get; }
        /// <summary>Sent now, or AlreadySent: skipped because the run journal shows an earlier run sent it.</summary>
        public CallActionStatus Status { get; } = CallActionStatus.Sent;
        /// <summary>For an AlreadySent row, what the journal knows of the earlier attempt; null for a row sent now.</summary>
        public EarlierOutcome? EarlierOutcome { get; }
        /// <summary>When the answer arrived, in UTC; for an AlreadySent row, when the journal recorded the earlier attempt's last state.</summary>
        public DateTime Timestamp { get; }
        /// <summary><see cref="Timestamp"/> as ISO 8601 in UTC ("2026-12-02T05:54:53.123Z"): what Export-Csv writes the same in every culture.</summary>
        public string TimestampIso8601 => Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

        public override string ToString() => $"Hangup {CallId}: {Message}";
    }
}
