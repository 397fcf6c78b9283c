using System;

namespace Acefone.Client
{
    /// <summary>A block or unblock the API accepted. Flat, so Export-Csv writes it as one row.</summary>
    public sealed class AgentStateResult
    {
        public AgentStateResult(AgentStateChange change, string agentId, string? agentName, bool success, string? message, int statusCode, DateTime timestamp)
        {
            Change = change;
            AgentId = agentId;
            AgentName = agentName;
            Success = success;
            Message = message;
            StatusCode = statusCode;
            Timestamp = timestamp;
        }

        public AgentStateChange Change { get; }
        /// <summary>Binds to Unblock-AcefoneAgent's -AgentId: Block's results pipe into Unblock.</summary>
        public string AgentId { get; }
        public string? AgentName { get; }
        public bool Success { get; }
        public string? Message { get; }
        public int StatusCode { get; }
        /// <summary>When the answer arrived, in UTC.</summary>
        public DateTime Timestamp { get; }
        public string TimestampIso8601 => Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

        public override string ToString() => $"{Change} {AgentId}: {Message}";
    }
}
