using System;

namespace Acefone.Client
{
    /// <summary>A hangup the API accepted, or one the run journal skipped as already sent (<see cref="CallActionResult.Status"/>). Flat, so Export-Csv writes it as one row.</summary>
    // Not sealed: the cmdlets add the input row to it, hidden from views and CSV.
    public class CallHangupResult : CallActionResult
    {
        public CallHangupResult(string callId, bool success, string? message, int statusCode, DateTime timestamp)
            : base(success, message, statusCode, timestamp)
        {
            CallId = callId;
        }

        /// <summary>A copy of <paramref name="other"/>, for a type that adds to it.</summary>
        protected CallHangupResult(CallHangupResult other)
            : base(other)
        {
            CallId = other.CallId;
        }

        /// <summary>A row the run journal skipped: nothing was sent now (Status AlreadySent).</summary>
        internal CallHangupResult(string callId, EarlierOutcome outcome, DateTime earlierTime)
            : base(outcome, earlierTime)
        {
            CallId = callId;
        }

        public string CallId { get; }

        public override string ToString() => $"Hangup {CallId}: {Message}";
    }
}
