using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// Rows the run journal skips (issue 21): a result object with Status AlreadySent, written in input order like any
    /// other row, never an error, so a restarted run under ErrorAction Stop goes on. Those whose earlier outcome is not
    /// known are named once, in one warning, for a person to check.
    /// </summary>
    internal sealed partial class CallActionDispatcher
    {
        // Call ids of skipped rows the API may have acted on: the warning at the end names them all at once.
        private readonly List<string> _skippedUnknown = new List<string>();

        /// <summary>A row the journal shows as sent by an earlier run: nothing is sent; it waits its turn to be written.</summary>
        internal void Skip(long row, object? input, CallActionRequest request, JournalRecord earlier) => Guard(() =>
        {
            var pending = new Pending(row, input, request, request.Skipped(SkippedRow.Outcome(earlier), SkippedRow.Time(earlier)), earlier);
            if (_queue.Count == 0)
            {
                WriteSkipped(pending);
                return;
            }
            _queue.Add(pending);
            WriteFinished();
        });

        private void WriteSkipped(Pending done)
        {
            bool known = SkippedRow.Succeeded(done.Earlier!);
            Summary.RowAlreadySent(known);
            if (!known) _skippedUnknown.Add(done.Request!.CallId);
            _cmdlet.WriteObject(done.Request!.ResultOf(done.Task));
        }

        /// <summary>The one warning naming every skipped row with no known earlier outcome, or null when there is none.</summary>
        internal string? SkippedUnknownWarning()
        {
            if (_skippedUnknown.Count == 0) return null;
            return string.Format(CultureInfo.InvariantCulture,
                "{0}: {1} rows were skipped because the journal '{2}' shows an earlier run sent them with no known outcome; the API may have acted on them. Check these calls (Get-AcefoneJournal shows each one's last state): {3}",
                _cmdlet.MyInvocation.MyCommand.Name, _skippedUnknown.Count, _journal?.Path, string.Join(", ", _skippedUnknown));
        }
    }
}
