using System;

namespace Acefone.Client
{
    /// <summary>One call operation the API accepted, or one the run journal skipped as already sent (<see cref="CallActionResult.Status"/>). Flat, so Export-Csv writes it as one row.</summary>
    // Not sealed: the cmdlets add the input row to it, hidden from views and CSV.
    public class CallOptionResult : CallActionResult
    {
        public CallOptionResult(CallOperation operation, string callId, string? agentId, string? intercom,
            bool success, string? message, int statusCode, DateTime timestamp)
            : base(success, message, statusCode, timestamp)
        {
            Operation = operation;
            CallId = callId;
            AgentId = agentId;
            Intercom = intercom;
        }

        /// <summary>A copy of <paramref name="other"/>, for a type that adds to it.</summary>
        protected CallOptionResult(CallOptionResult other)
            : base(other)
        {
            Operation = other.Operation;
            CallId = other.CallId;
            AgentId = other.AgentId;
            Intercom = other.Intercom;
        }

        /// <summary>A row the run journal skipped: nothing was sent now (Status AlreadySent).</summary>
        internal CallOptionResult(CallOperation operation, string callId, string? agentId, string? intercom, EarlierOutcome outcome, DateTime earlierTime)
            : base(outcome, earlierTime)
        {
            Operation = operation;
            CallId = callId;
            AgentId = agentId;
            Intercom = intercom;
        }

        public CallOperation Operation { get; }
        public string CallId { get; }
        public string? AgentId { get; }
        /// <summary>The destinations joined with ',' (empty for Monitor, Whisper and Barge).</summary>
        public string? Intercom { get; }

        public override string ToString() => $"{Operation} {CallId}: {Message}";
    }
}
