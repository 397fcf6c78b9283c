using System;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// A validated POST /v1/agent/{id}/block or /unblock. Unlike the call actions these are idempotent (blocking a
    /// blocked agent changes nothing), so the sender may resend one after an ambiguous failure. It runs through the
    /// same ordered dispatcher as the call actions; it acts on no call, so <see cref="CallActionRequest.CallId"/> is empty.
    /// </summary>
    public sealed class AgentStateRequest : CallActionRequest<AgentStateResult>
    {
        private AgentStateRequest(AgentStateChange change, string agentId, string? agentName)
            : base(string.Empty)
        {
            Change = change;
            AgentId = agentId;
            AgentName = agentName;
        }

        public AgentStateChange Change { get; }
        /// <summary>The agent id (the form the call operations' -AgentId takes, e.g. 0502842370097).</summary>
        public string AgentId { get; }
        /// <summary>The agent's name when the input carried it, for messages only (never sent).</summary>
        public string? AgentName { get; }

        /// <summary>Validates the agent id as the call operations do; throws <see cref="AcefoneInputException"/> naming it.</summary>
        public static AgentStateRequest Create(AgentStateChange change, string? agentId, string? agentName = null)
        {
            if (!Enum.IsDefined(typeof(AgentStateChange), change)) throw new ArgumentOutOfRangeException(nameof(change));
            if (InputRules.IsBlank(agentId))
                throw new AcefoneInputException(InputField.AgentId, agentId, "is required: the agent's id (e.g. 0502842370097), as Get-AcefoneUser shows it.");
            return new AgentStateRequest(change, InputRules.AgentId(agentId!), InputRules.IsBlank(agentName) ? null : agentName!.Trim());
        }

        private protected override string BuildDescription() =>
            $"{Change} agent '{AgentId}'" + (AgentName != null ? $" ({AgentName})" : string.Empty);

        internal override string Label => AgentName != null ? $"{AgentId} ({AgentName})" : AgentId;

        internal override string DuplicateKey => $"agent\u001f{(int)Change}\u001f{AgentId}";

        internal override string JournalOperation => Change.ToString();

        internal override string? JournalAgentId => AgentId;

        internal override string ApiPath => $"v1/agent/{Uri.EscapeDataString(AgentId)}/{(Change == AgentStateChange.Block ? "block" : "unblock")}";

        /// <summary>No body: the agent is in the path.</summary>
        private protected override byte[] ToJson() => Array.Empty<byte>();

        /// <summary>Block and unblock keep no journal; a skipped row is only a stated result, never sent.</summary>
        private protected override AgentStateResult SkippedResult(EarlierOutcome outcome, DateTime earlierTime) =>
            new AgentStateResult(Change, AgentId, AgentName, outcome == EarlierOutcome.Succeeded, "AlreadySent", 0, earlierTime);

        internal override Task<AgentStateResult> SendAsync(AcefoneSession session, IAcefoneRequestObserver? observer, CancellationToken cancellationToken) =>
            session.SetAgentStateAsync(this, observer, cancellationToken);
    }
}
