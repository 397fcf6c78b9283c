using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// A validated POST /v1/call/options request. Build one with Create, which applies the
    /// per-operation rules (agent id for Monitor, Whisper and Barge; destinations for Transfer; neither where it
    /// does not belong) and throws <see cref="AcefoneInputException"/> naming the field and value.
    /// </summary>
    public sealed class CallOptionRequest : CallActionRequest<CallOptionResult>
    {
        private CallOptionRequest(CallOperation operation, string callId, string? agentId, IReadOnlyList<string> intercom)
            : base(callId)
        {
            Operation = operation;
            AgentId = agentId;
            Intercom = intercom;
        }

        public CallOperation Operation { get; }
        public string? AgentId { get; }
        public IReadOnlyList<string> Intercom { get; }

        /// <summary>The destinations joined with ',' as results show them, or null.</summary>
        public string? IntercomText => Intercom.Count == 0 ? null : string.Join(",", Intercom);

        public static CallOptionRequest Create(CallOperation operation, string? callId, string? agentId = null, IEnumerable<string?>? intercom = null)
        {
            if (!Enum.IsDefined(typeof(CallOperation), operation))
                throw new AcefoneInputException(InputField.Type, ((int)operation).ToString(), "is not an operation: use Monitor, Whisper, Barge or Transfer (1-4).");

            string validCallId = InputRules.CallId(callId);
            string? agent = InputRules.IsBlank(agentId) ? null : agentId;
            List<string> destinations = InputRules.SplitDestinations(intercom);

            if (CallOperations.RequiresAgent(operation))
            {
                if (agent == null)
                    throw new AcefoneInputException(InputField.AgentId, agentId, $"is required for {operation}: the supervisor's agent id (e.g. 0502842370097).");
                if (destinations.Count > 0)
                    throw new AcefoneInputException(InputField.Intercom, string.Join(",", destinations), $"does not belong to {operation}: only Transfer takes a destination.");
                return new CallOptionRequest(operation, validCallId, InputRules.AgentId(agent), Array.Empty<string>());
            }

            if (agent != null)
                throw new AcefoneInputException(InputField.AgentId, agentId, "does not belong to Transfer: a transfer takes only a destination (intercom).");
            if (destinations.Count == 0)
                throw new AcefoneInputException(InputField.Intercom, intercom == null ? null : string.Join(",", intercom), "is required for Transfer: a mobile number, extension or department intercom.");
            return new CallOptionRequest(operation, validCallId, null, destinations.Select(InputRules.Destination).ToArray());
        }

        /// <summary>Parses the operation as <see cref="CallOperations.TryParse"/> does, then validates as the other Create.</summary>
        public static CallOptionRequest Create(string? type, string? callId, string? agentId, IEnumerable<string?>? intercom)
        {
            if (InputRules.IsBlank(type))
                throw new AcefoneInputException(InputField.Type, type, "is required: Monitor, Whisper, Barge or Transfer (1-4).");
            if (!CallOperations.TryParse(type, out CallOperation operation))
                throw new AcefoneInputException(InputField.Type, type, "is not an operation: use Monitor, Whisper, Barge or Transfer (1-4).");
            return Create(operation, callId, agentId, intercom);
        }

        // Built once: the duplicate check and the journal both ask.
        private string? _key;

        internal override string DuplicateKey => _key ??= KeyOf(Operation, CallId, AgentId, IntercomText);

        /// <summary>The duplicate key from a journal line's fields.</summary>
        internal static string KeyOf(CallOperation operation, string callId, string? agentId, string? intercomText) =>
            $"{(int)operation}\u001f{callId}\u001f{agentId}\u001f{intercomText}";

        internal override string JournalOperation => Operation.ToString();

        internal override string? JournalAgentId => AgentId;

        internal override string? JournalIntercom => IntercomText;

        /// <summary>How a person reads the target: "call 175.8118 to 80XX4" or "call 175.8118 for agent 0502...".</summary>
        private protected override string BuildDescription() => Operation == CallOperation.Transfer
            ? $"{Operation} call '{CallId}' to '{IntercomText}'"
            : $"{Operation} call '{CallId}' for agent '{AgentId}'";

        internal override string ApiPath => "v1/call/options";

        private protected override byte[] ToJson() => CallOptionJson.Write(this);

        private protected override CallOptionResult SkippedResult(EarlierOutcome outcome, DateTime earlierTime) =>
            new CallOptionResult(Operation, CallId, AgentId, IntercomText, outcome, earlierTime);

        internal override Task<CallOptionResult> SendAsync(AcefoneSession session, IAcefoneRequestObserver? observer, CancellationToken cancellationToken) =>
            session.InvokeCallOptionAsync(this, observer, cancellationToken);
    }
}
