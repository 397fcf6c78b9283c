using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>Transfers a live call to a mobile number, an extension or a department (POST /v1/call/options, type Transfer).</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AcefoneTransfer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CallOptionResult))]
    public sealed class InvokeAcefoneTransferCommand : CallOperationCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("call_id")]
        [ArgumentCompleter(typeof(LiveCallIdCompleter))]
        [AllowEmptyString]
        public string CallId { get; set; } = string.Empty;

        /// <summary>One destination goes out as a JSON string, several as a JSON array. A CSV cell may list several separated by ','.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("TransferTo", "transfer_to")]
        [ArgumentCompleter(typeof(IntercomCompleter))]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string[] Intercom { get; set; } = new string[0];

        internal override CallActionRequest BuildRequest()
        {
            try
            {
                return CallOptionRequest.Create(CallOperation.Transfer, CallId, null, Intercom);
            }
            catch (AcefoneInputException refused) when (DepartmentNameHint.MayBeName(refused) && !WhatIfRequested && CurrentSession != null)
            {
                // A department's name: say which intercom it has (departments listed once per session, as Tab lists them).
                var departments = CompletionSource<System.Collections.Generic.IReadOnlyList<AcefoneDepartment>>.Await(
                    CompletionData.Departments.Begin(CurrentSession), System.TimeSpan.FromSeconds(15));
                throw DepartmentNameHint.Explain(refused, departments) ?? refused;
            }
        }
    }
}
