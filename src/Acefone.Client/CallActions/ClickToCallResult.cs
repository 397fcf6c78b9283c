using System;

namespace Acefone.Client
{
    /// <summary>
    /// A click-to-call the API accepted. The answer carries no call id (<see cref="RefId"/>, when present, is not one):
    /// Start-AcefoneCall -Wait finds the call among the live calls. Flat, so Export-Csv writes it as one row.
    /// </summary>
    public sealed class ClickToCallResult
    {
        public ClickToCallResult(string agentNumber, string destinationNumber, string? callerId, string? customIdentifier,
            string? refId, bool success, string? message, int statusCode, DateTime requestedAt, DateTime timestamp)
        {
            AgentNumber = agentNumber;
            DestinationNumber = destinationNumber;
            CallerId = callerId;
            CustomIdentifier = customIdentifier;
            RefId = refId;
            Success = success;
            Message = message;
            StatusCode = statusCode;
            RequestedAt = requestedAt;
            Timestamp = timestamp;
        }

        /// <summary>A row the run journal skipped: nothing was sent now (<see cref="Status"/> AlreadySent).</summary>
        internal ClickToCallResult(string agentNumber, string destinationNumber, string? callerId, string? customIdentifier, EarlierOutcome outcome, DateTime earlierTime)
            : this(agentNumber, destinationNumber, callerId, customIdentifier, null, outcome == Client.EarlierOutcome.Succeeded, AlreadySentText.Message(outcome), 0, earlierTime, earlierTime)
        {
            Status = CallActionStatus.AlreadySent;
            EarlierOutcome = outcome;
        }

        public string AgentNumber { get; }
        public string DestinationNumber { get; }
        public string? CallerId { get; }
        public string? CustomIdentifier { get; }
        /// <summary>The API's ref_id, where it sends one. Not a call id: no call operation accepts it.</summary>
        public string? RefId { get; }
        public bool Success { get; }
        public string? Message { get; }
        public int StatusCode { get; }
        /// <summary>Sent now, or AlreadySent: skipped because the run journal shows an earlier run placed it.</summary>
        public CallActionStatus Status { get; } = CallActionStatus.Sent;
        /// <summary>For an AlreadySent row, what the journal knows of the earlier attempt; null for a row sent now.</summary>
        public EarlierOutcome? EarlierOutcome { get; }
        /// <summary>When the request left, in UTC: a call placed by it started after this.</summary>
        public DateTime RequestedAt { get; }
        /// <summary>When the answer arrived, in UTC.</summary>
        public DateTime Timestamp { get; }
        public string TimestampIso8601 => Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

        public override string ToString() => $"Call {AgentNumber} -> {DestinationNumber}: {Message}";
    }
}
