using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// A call option's result with the row it came from. InputObject is hidden (not in views, Format-List *, Get-Member
    /// or Export-Csv) so the result's own CSV stays flat; <c>ForEach-Object InputObject</c> gives back the rows that succeeded.
    /// </summary>
    public sealed class CallOptionRowResult : CallOptionResult
    {
        internal CallOptionRowResult(CallOptionResult result, object? inputObject)
            : base(result)
        {
            InputObject = inputObject;
        }

        /// <summary>The row as given: the piped object with all its columns, or the parameters typed at a prompt.</summary>
        [Hidden]
        public object? InputObject { get; }
    }
}
