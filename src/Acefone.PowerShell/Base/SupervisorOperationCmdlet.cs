using System.Management.Automation;
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

        internal override CallActionRequest BuildRequest() =>
            CallOptionRequest.Create(Operation, CallId, Given(AgentId), null);
    }
}
