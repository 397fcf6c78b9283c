using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>Monitor, Whisper and Barge: a call and the supervisor's agent id, and no destination at all.</summary>
    public abstract class SupervisorOperationCmdlet : CallOperationCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("call_id")]
        [ArgumentCompleter(typeof(LiveCallIdCompleter))]
        [AllowEmptyString]
        public string CallId { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("agent_id")]
        [AllowEmptyString]
        // A user without an agent pipes AgentId = null: let it become this row's InvalidInput error naming agent_id, not a binding error.
        [AllowNull]
        [ArgumentCompleter(typeof(AgentIdCompleter))]
        public string? AgentId { get; set; } = string.Empty;

        internal abstract CallOperation Operation { get; }

        internal override CallActionRequest BuildRequest()
        {
            CallOptionRequest request = CallOptionRequest.Create(Operation, CallId, Given(AgentId), null);
            WarnOfUnknownAgent(request.AgentId!);
            return request;
        }

        // Each distinct agent id is checked once per command: a bulk run names the same supervisor on every row.
        private readonly HashSet<string> _agentsChecked = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>
        /// Warns when the agent id is not one of the account's agents, naming the one it matches with its leading zero
        /// restored. The account's users are listed (once per session, as tab completion lists them) only for an id
        /// that looks stripped, or when completion has listed them already; -WhatIf lists nothing.
        /// </summary>
        private void WarnOfUnknownAgent(string agentId)
        {
            if (!_agentsChecked.Add(agentId)) return;
            AcefoneSession? session = WhatIfRequested ? null : CurrentSession;
            IReadOnlyList<AcefoneUser>? agents = null;
            if (session != null)
            {
                Task<IReadOnlyList<AcefoneUser>>? users = AgentIdCheck.LooksStripped(agentId)
                    ? CompletionData.Users.Begin(session)
                    : CompletionData.Users.Cached(session);
                if (users != null && (users.IsCompleted || AgentIdCheck.LooksStripped(agentId)))
                    agents = CompletionSource<IReadOnlyList<AcefoneUser>>.Await(users, AgentListWait);
            }
            string? warning = AgentIdCheck.Warning(agentId, agents);
            if (warning != null) WriteWarning(warning);
        }

        private static readonly TimeSpan AgentListWait = TimeSpan.FromSeconds(15);
    }
}
