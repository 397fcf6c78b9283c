using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>
    /// Any call operation, chosen per row by -Type: for files that mix operations. Each row is checked
    /// against its type (agent id for Monitor, Whisper and Barge; destination for Transfer; neither where it
    /// does not belong), and empty CSV cells count as not given.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AcefoneCallOption", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CallOptionResult))]
    public sealed class InvokeAcefoneCallOptionCommand : CallOperationCmdlet
    {
        // Not Mandatory: a row missing a field must become one InvalidInput error naming it, not a binding failure or a prompt.
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Operation")]
        [AllowEmptyString]
        [AllowNull]
        [ArgumentCompleter(typeof(CallOperationCompleter))]
        public string? Type { get; set; }

        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("call_id")]
        [ArgumentCompleter(typeof(LiveCallIdCompleter))]
        [AllowEmptyString]
        [AllowNull]
        public string? CallId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("agent_id")]
        [AllowEmptyString]
        [AllowNull]
        [ArgumentCompleter(typeof(AgentIdCompleter))]
        public string? AgentId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("TransferTo", "transfer_to")]
        [ArgumentCompleter(typeof(IntercomCompleter))]
        [AllowEmptyString]
        [AllowEmptyCollection]
        [AllowNull]
        public string[]? Intercom { get; set; }

        internal override CallActionRequest BuildRequest() =>
            CallOptionRequest.Create(Type, CallId, Given(AgentId), Intercom);
    }
}
