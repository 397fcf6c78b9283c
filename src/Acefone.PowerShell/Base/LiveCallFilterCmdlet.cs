using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// The filters GET /v1/live_calls takes, for the cmdlets that read live calls: one set of parameters, so listing
    /// and watching filter alike.
    /// </summary>
    public abstract class LiveCallFilterCmdlet : AcefoneCmdlet
    {
        /// <summary>The number the agent answers on (the API's agent_number filter).</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? AgentNumber { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Extension { get; set; }

        [Parameter]
        [Alias("Did")]
        [ValidateNotNullOrEmpty]
        public string? DidNumber { get; set; }

        private protected LiveCallFilter Filter(string? callId = null) =>
            new LiveCallFilter { AgentNumber = AgentNumber, Extension = Extension, DidNumber = DidNumber, CallId = callId };
    }
}
