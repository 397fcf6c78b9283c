using System;

namespace Acefone.Client
{
    /// <summary>One call operation the API accepted. Flat, so Export-Csv writes it as one row.</summary>
    public sealed class CallOptionResult
    {
        public CallOptionResult(CallOperation operation, string callId, string? agentId, string? intercom,
            bool success, string? message, int statusCode, DateTime timestamp)
        {
            Operation = operation;
            CallId = callId;
            AgentId = agentId;
            Intercom = intercom;
            Success = success;
            Message = message;
            StatusCode = statusCode;
            Timestamp = timestamp;
        }

        public CallOperation Operation { get; }
        public string CallId { get; }
        public string? AgentId { get; }
        /// <summary>The destinations joined with ',' (empty for Monitor, Whisper and Barge).</summary>
        public string? Intercom { get; }
        public bool Success { get; }
        public string? Message { get; }
        public int StatusCode { get; }
        /// <summary>When the answer arrived, in UTC.</summary>
        public DateTime Timestamp { get; }

        public override string ToString() => $"{Operation} {CallId}: {Message}";
    }
}
