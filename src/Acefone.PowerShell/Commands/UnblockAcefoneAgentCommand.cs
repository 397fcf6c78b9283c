using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>Puts blocked agents back on the queue (POST /v1/agent/{id}/unblock). Idempotent: unblocking an available agent harms nothing.</summary>
    [Cmdlet(VerbsSecurity.Unblock, "AcefoneAgent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AgentStateResult))]
    public sealed class UnblockAcefoneAgentCommand : AgentOperationCmdlet
    {
        internal override AgentStateChange Change => AgentStateChange.Unblock;
    }
}
