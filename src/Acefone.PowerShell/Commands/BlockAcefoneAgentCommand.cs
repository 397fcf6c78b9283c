using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>
    /// Takes agents off the queue (POST /v1/agent/{id}/block): a blocked agent receives no calls. ConfirmImpact High, so
    /// it asks at a prompt by default; a runbook passes -Confirm:$false. Idempotent: blocking twice harms nothing.
    /// </summary>
    [Cmdlet(VerbsSecurity.Block, "AcefoneAgent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AgentStateResult))]
    public sealed class BlockAcefoneAgentCommand : AgentOperationCmdlet
    {
        internal override AgentStateChange Change => AgentStateChange.Block;
    }
}
