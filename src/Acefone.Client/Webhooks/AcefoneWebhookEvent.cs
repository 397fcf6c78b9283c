using System;
using System.Collections.Generic;

namespace Acefone.Client
{
    /// <summary>
    /// One event the platform pushed. Its property names are the live-call objects' (CallId, AgentNumber, AgentName,
    /// CustomerNumber, Did, Direction), so it pipes into Start-AcefoneMonitor, Invoke-AcefoneTransfer and
    /// Stop-AcefoneCall by -CallId. Deliberately no AgentId, Intercom or CallerId property: the answering agent's id
    /// must never bind as a supervisor's -AgentId, nor the customer's number as a caller id. Every field the body had,
    /// known or not, is in <see cref="Fields"/>.
    /// </summary>
    public sealed class AcefoneWebhookEvent
    {
        internal AcefoneWebhookEvent(IReadOnlyDictionary<string, object?> fields)
        {
            Fields = fields;
        }

        /// <summary>The trigger as the body names it (event, trigger, event_type), when it does.</summary>
        public string? Event { get; internal set; }
        /// <summary><c>call_status</c>, e.g. answered or missed.</summary>
        public string? CallStatus { get; internal set; }
        /// <summary>The id every call operation takes.</summary>
        public string? CallId { get; internal set; }
        /// <summary><c>uuid</c>: the platform's id of this call leg (not a call id).</summary>
        public string? Uuid { get; internal set; }
        public CallDirection? Direction { get; internal set; }
        /// <summary>The customer's number (caller_id_number on an inbound call, call_to_number on an outbound one).</summary>
        public string? CustomerNumber { get; internal set; }
        /// <summary>The number the customer dialled on an inbound call (call_to_number).</summary>
        public string? Did { get; internal set; }
        /// <summary>The agent who answered, or for a missed call the first agent who missed it.</summary>
        public string? AgentName { get; internal set; }
        public string? AgentNumber { get; internal set; }
        /// <summary>That agent's id (named so that it never binds to a supervisor operation's -AgentId).</summary>
        public string? AnsweredAgentId { get; internal set; }
        /// <summary>Every agent the body named (answered_agent, missed_agent), in one shape.</summary>
        public IReadOnlyList<WebhookAgent> Agents { get; internal set; } = Array.Empty<WebhookAgent>();
        /// <summary><c>start_stamp</c> in the account's time (Kind Unspecified), when readable.</summary>
        public DateTime? StartedAt { get; internal set; }
        /// <summary><c>duration</c> in seconds, when sent.</summary>
        public TimeSpan? Duration { get; internal set; }
        /// <summary><c>ref_id</c> or <c>custom_identifier</c>: what a click-to-call was tagged with.</summary>
        public string? CustomIdentifier { get; internal set; }
        public string? RecordingUrl { get; internal set; }
        /// <summary>Every field of the body, unknown ones included, with agent fields as sent.</summary>
        public IReadOnlyDictionary<string, object?> Fields { get; }
        /// <summary>What identifies this delivery for -DeduplicateBy: a repeated delivery has the same key.</summary>
        public string DeliveryKey { get; internal set; } = string.Empty;
        /// <summary>json or form.</summary>
        public string Format { get; internal set; } = "json";

        public override string ToString() => $"{Event ?? CallStatus ?? "event"} {CallId}";
    }
}
