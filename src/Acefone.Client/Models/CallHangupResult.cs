using System;

namespace Acefone.Client
{
    /// <summary>A hangup the API accepted. Flat, so Export-Csv writes it as one row.</summary>
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

        public string CallId { get; }
        public bool Success { get; }
        public string? Message { get; }
        public int StatusCode { get; }
        /// <summary>When the answer arrived, in UTC.</summary>
        public DateTime Timestamp { get; }

        public override string ToString() => $"Hangup {CallId}: {Message}";
    }
}
