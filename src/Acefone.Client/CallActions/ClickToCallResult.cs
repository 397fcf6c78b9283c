using System;

namespace Acefone.Client
{
    /// <summary>
    /// A click-to-call the API accepted. The answer carries no call id (<see cref="RefId"/>, when present, is not one):
    /// Start-AcefoneCall -Wait finds the call among the live calls. Flat, so Export-Csv writes it as one row.
    /// </summary>
    public sealed class ClickToCallResult : CallActionResult
    {
        public ClickToCallResult(string agentNumber, string destinationNumber, string? callerId, string? customIdentifier,
            string? refId, bool success, string? message, int statusCode, DateTime requestedAt, DateTime timestamp)
            : base(success, message, statusCode, timestamp)
        {
            AgentNumber = agentNumber;
            DestinationNumber = destinationNumber;
            CallerId = callerId;
            CustomIdentifier = customIdentifier;
            RefId = refId;
            RequestedAt = requestedAt;
        }

        /// <summary>A row the run journal skipped: nothing was sent now (Status AlreadySent).</summary>
        internal ClickToCallResult(string agentNumber, string destinationNumber, string? callerId, string? customIdentifier, EarlierOutcome outcome, DateTime earlierTime)
            : base(outcome, earlierTime)
        {
            AgentNumber = agentNumber;
            DestinationNumber = destinationNumber;
            CallerId = callerId;
            CustomIdentifier = customIdentifier;
            RequestedAt = earlierTime;
        }

        public string AgentNumber { get; }
        public string DestinationNumber { get; }
        public string? CallerId { get; }
        public string? CustomIdentifier { get; }
        /// <summary>The API's ref_id, where it sends one. Not a call id: no call operation accepts it.</summary>
        public string? RefId { get; }
        /// <summary>When the request left, in UTC: a call placed by it started after this.</summary>
        public DateTime RequestedAt { get; }

        public override string ToString() => $"Call {AgentNumber} -> {DestinationNumber}: {Message}";
    }
}
