using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>
    /// Ends a live call for everyone on it (POST /v1/call/hangup). It cuts off a customer, so it asks first
    /// (ConfirmImpact High) unless -Force; -WhatIf always wins. Rows, errors and ordering work as for the other call operations.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "AcefoneCall", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(CallHangupResult))]
    public sealed class StopAcefoneCallCommand : CallOperationCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("call_id")]
        [ArgumentCompleter(typeof(LiveCallIdCompleter))]
        [AllowEmptyString]
        public string CallId { get; set; } = string.Empty;

        /// <summary>Hangs up without asking. -WhatIf still sends nothing; an explicit -Confirm still asks.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override bool SkipConfirmation => Force.IsPresent;

        internal override CallActionRequest BuildRequest() => CallHangupRequest.Create(CallId);
    }
}
