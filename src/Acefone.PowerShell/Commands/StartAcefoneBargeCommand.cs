using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>Lets a supervisor join a live call, heard by both the agent and the customer (POST /v1/call/options, type Barge).</summary>
    [Cmdlet(VerbsLifecycle.Start, "AcefoneBarge", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CallOptionResult))]
    public sealed class StartAcefoneBargeCommand : SupervisorOperationCmdlet
    {
        internal override CallOperation Operation => CallOperation.Barge;
    }
}
