using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>Lets a supervisor listen to a live call without being heard (POST /v1/call/options, type Monitor).</summary>
    [Cmdlet(VerbsLifecycle.Start, "AcefoneMonitor", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CallOptionResult))]
    public sealed class StartAcefoneMonitorCommand : SupervisorOperationCmdlet
    {
        internal override CallOperation Operation => CallOperation.Monitor;
    }
}
