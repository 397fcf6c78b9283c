using System;

namespace Acefone.Client
{
    /// <summary>
    /// What every journaled call action's result says of its outcome: sent now and accepted, or skipped because the run
    /// journal shows an earlier run sent it. The types that add what was acted on (CallOptionResult, CallHangupResult,
    /// ClickToCallResult) declare those properties themselves, so Export-Csv writes them first and these after.
    /// </summary>
    public abstract class CallActionResult
    {
        private protected CallActionResult(bool success, string? message, int statusCode, DateTime timestamp)
        {
            Success = success;
            Message = message;
            StatusCode = statusCode;
            Timestamp = timestamp;
        }

        /// <summary>A row the run journal skipped: nothing was sent now (<see cref="Status"/> AlreadySent).</summary>
        private protected CallActionResult(EarlierOutcome outcome, DateTime earlierTime)
            : this(outcome == Client.EarlierOutcome.Succeeded, AlreadySentText.Message(outcome), 0, earlierTime)
        {
            Status = CallActionStatus.AlreadySent;
            EarlierOutcome = outcome;
        }

        /// <summary>A copy of <paramref name="other"/>, for a type that adds to it.</summary>
        private protected CallActionResult(CallActionResult other)
            : this((other ?? throw new ArgumentNullException(nameof(other))).Success, other.Message, other.StatusCode, other.Timestamp)
        {
            Status = other.Status;
            EarlierOutcome = other.EarlierOutcome;
            RequestId = other.RequestId;
        }

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
        /// <summary>The API's id for this request when its answer gives one (request_id), for a support case; else null.</summary>
        public string? RequestId { get; internal set; }
    }
}
