using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// A hangup's result with the row it came from. InputObject is hidden (not in views, Format-List *, Get-Member
    /// or Export-Csv) so the result's own CSV stays flat; <c>ForEach-Object InputObject</c> gives back the rows that succeeded.
    /// </summary>
    public sealed class CallHangupRowResult : CallHangupResult
    {
        internal CallHangupRowResult(CallHangupResult result, object? inputObject)
            : base(result)
        {
            InputObject = inputObject;
        }

        /// <summary>The row as given: the piped object with all its columns, or the parameters typed at a prompt.</summary>
        [Hidden]
        public object? InputObject { get; }
    }
}
