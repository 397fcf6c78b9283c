using System;
using System.Globalization;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// A validated POST /v1/click_to_call: rings the agent, then connects the customer. Not idempotent (a resent one
    /// rings a customer twice), so it follows the call operations' rules: sent once, never resent after an ambiguous
    /// failure, journalled like them. It has no call id yet: <see cref="CallActionRequest.CallId"/> is empty.
    /// </summary>
    public sealed class ClickToCallRequest : CallActionRequest<ClickToCallResult>
    {
        internal const int MaxCallTimeoutSeconds = 600;
        internal const int MaxCustomIdentifierLength = 128;
        internal const string OperationName = "ClickToCall";

        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private ClickToCallRequest(CleanedNumber agent, CleanedNumber destination, CleanedNumber? callerId, int? callTimeout, string? customIdentifier)
            : base(string.Empty)
        {
            AgentNumber = agent.Value;
            DestinationNumber = destination.Value;
            CallerId = callerId?.Value;
            CallTimeout = callTimeout;
            CustomIdentifier = customIdentifier;
            string?[] changes = { agent.Change, destination.Change, callerId?.Change };
            Changes = string.Join("; ", Array.FindAll(changes, c => c != null));
            if (Changes.Length == 0) Changes = null;
        }

        public string AgentNumber { get; }
        /// <summary>Bare digits, as sent.</summary>
        public string DestinationNumber { get; }
        public string? CallerId { get; }
        /// <summary>Seconds the agent's phone rings before the attempt is given up; null for the account's default.</summary>
        public int? CallTimeout { get; }
        public string? CustomIdentifier { get; }
        /// <summary>What cleaning changed in the numbers ("destination_number '+91 98765-43210' sent as '919876543210' ..."), or null.</summary>
        public string? Changes { get; }

        /// <summary>Validates and cleans every field; throws <see cref="AcefoneInputException"/> naming the field and value.</summary>
        public static ClickToCallRequest Create(string? agentNumber, string? destinationNumber, string? callerId = null, string? callTimeout = null, string? customIdentifier = null)
        {
            CleanedNumber agent = PhoneNumbers.AgentNumber(agentNumber);
            CleanedNumber destination = PhoneNumbers.Destination(destinationNumber);
            CleanedNumber? caller = PhoneNumbers.CallerId(callerId);
            int? timeout = null;
            if (!InputRules.IsBlank(callTimeout))
            {
                if (!int.TryParse(callTimeout!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) || seconds < 1 || seconds > MaxCallTimeoutSeconds)
                    throw new AcefoneInputException(InputField.CallTimeout, callTimeout, $"is not a whole number of seconds from 1 to {MaxCallTimeoutSeconds}.");
                timeout = seconds;
            }
            string? identifier = null;
            if (!InputRules.IsBlank(customIdentifier))
            {
                identifier = customIdentifier!.Trim();
                if (identifier.Length > MaxCustomIdentifierLength)
                    throw new AcefoneInputException(InputField.CustomIdentifier, customIdentifier, $"is {identifier.Length} characters long; at most {MaxCustomIdentifierLength}.");
                foreach (char c in identifier)
                {
                    if (char.IsControl(c) || c == '\u2028' || c == '\u2029')
                        throw new AcefoneInputException(InputField.CustomIdentifier, customIdentifier, "contains a control character (such as a line break).");
                }
            }
            return new ClickToCallRequest(agent, destination, caller, timeout, identifier);
        }

        private protected override string BuildDescription() =>
            $"Place a call from agent '{AgentNumber}' to '{DestinationNumber}'" +
            (CustomIdentifier != null ? $" ({CustomIdentifier})" : string.Empty) +
            (Changes != null ? $" [{Changes}]" : string.Empty);

        internal override string Label => $"{AgentNumber}->{DestinationNumber}";

        internal override InputField KeyField => InputField.DestinationNumber;

        internal override string KeyValue => DestinationNumber;

        private string? _key;

        /// <summary>The same agent, customer and identifier: ringing them twice is what the duplicate check and the journal prevent.</summary>
        internal override string DuplicateKey => _key ??= KeyOf(AgentNumber, DestinationNumber, CustomIdentifier);

        internal static string KeyOf(string agentNumber, string destinationNumber, string? customIdentifier) =>
            $"c2c\u001f{agentNumber}\u001f{destinationNumber}\u001f{customIdentifier}";

        internal override string JournalOperation => OperationName;

        internal override string? JournalAgentId => AgentNumber;

        internal override string? JournalIntercom => DestinationNumber;

        internal override string? JournalCustomIdentifier => CustomIdentifier;

        internal override string ApiPath => "v1/click_to_call";

        /// <summary>Numbers as strings (leading zeros intact), async as the integer 1 (the synchronous form is no longer served).</summary>
        private protected override byte[] ToJson()
        {
            using (var stream = new MemoryStream(160))
            {
                using (var writer = new Utf8JsonWriter(stream, WriterOptions))
                {
                    writer.WriteStartObject();
                    writer.WriteString("agent_number", AgentNumber);
                    writer.WriteString("destination_number", DestinationNumber);
                    if (CallerId != null) writer.WriteString("caller_id", CallerId);
                    writer.WriteNumber("async", 1);
                    if (CallTimeout.HasValue) writer.WriteNumber("call_timeout", CallTimeout.Value);
                    if (CustomIdentifier != null) writer.WriteString("custom_identifier", CustomIdentifier);
                    writer.WriteEndObject();
                }
                return stream.ToArray();
            }
        }

        private protected override ClickToCallResult SkippedResult(EarlierOutcome outcome, DateTime earlierTime) =>
            new ClickToCallResult(AgentNumber, DestinationNumber, CallerId, CustomIdentifier, outcome, earlierTime);

        internal override Task<ClickToCallResult> SendAsync(AcefoneSession session, IAcefoneRequestObserver? observer, CancellationToken cancellationToken) =>
            session.PlaceCallAsync(this, observer, cancellationToken);
    }
}
