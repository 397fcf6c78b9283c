using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>
    /// Lists live calls (GET /v1/live_calls), filtered by the API. Each call's CallId binds to the call
    /// operations' -CallId, so the output pipes straight into them. Nothing live: no output and no error.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AcefoneLiveCall")]
    [OutputType(typeof(AcefoneLiveCall))]
    public sealed class GetAcefoneLiveCallCommand : LiveCallFilterCmdlet
    {
        [Parameter]
        [Alias("call_id")]
        [ArgumentCompleter(typeof(LiveCallIdCompleter))]
        [ValidateNotNullOrEmpty]
        public string? CallId { get; set; }

        protected override void EndProcessing()
        {
            AcefoneSession session = ResolveSession();
            var filter = Filter(CallId);
            try
            {
                AcefoneLiveCallList calls = Wait(session.GetLiveCallsAsync(filter, Observer, StopToken));
                foreach (AcefoneLiveCall call in calls)
                    WriteObject(call);
                foreach (AcefoneException skipped in calls.Skipped)
                    WriteFailure(skipped, filter);
            }
            catch (AcefoneException ex)
            {
                WriteFailure(ex, filter);
            }
        }
    }
}
