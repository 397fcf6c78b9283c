using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>Lets a supervisor speak to the agent on a live call without the customer hearing (POST /v1/call/options, type Whisper).</summary>
    [Cmdlet(VerbsLifecycle.Start, "AcefoneWhisper", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CallOptionResult))]
    public sealed class StartAcefoneWhisperCommand : SupervisorOperationCmdlet
    {
        internal override CallOperation Operation => CallOperation.Whisper;
    }
}
