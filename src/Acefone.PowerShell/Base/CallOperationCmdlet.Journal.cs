using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>-JournalPath: the run journal that makes a re-run safe (about_Acefone_Journal).</summary>
    public abstract partial class CallOperationCmdlet
    {
        /// <summary>
        /// A run journal (JSON Lines): each row is written before its request leaves and again with its outcome. A re-run
        /// with the same journal sends nothing it shows as sent; -WhatIf reads it and writes nothing.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        private RunJournal? _journal;

        private void OpenJournal()
        {
            if (JournalPath == null) return;
            string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(JournalPath);
            try
            {
                _journal = RunJournal.Open(path, readOnly: _whatIf);
            }
            catch (RunJournalException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ex.ErrorId,
                    ex.ErrorId == "JournalLocked" ? ErrorCategory.ResourceBusy : ex.ErrorId == "JournalAccessDenied" ? ErrorCategory.PermissionDenied : ErrorCategory.OpenError, path));
            }
            foreach (string warning in _journal!.Warnings) WriteWarning(warning);
            if (_journal.RowsRead > 0)
                WriteVerbose($"Journal '{_journal.Path}': {_journal.RowsRead} rows recorded by earlier runs.");
            _dispatcher!.UseJournal(_journal);
        }

        /// <summary>A row the journal shows as sent (sending, unknown or succeeded) gets AlreadySent and is not sent again.</summary>
        private bool SkipAlreadySent(long row, CallActionRequest request)
        {
            JournalRecord? earlier = _journal?.FindSent(request);
            if (earlier == null) return false;
            object? target = MyInvocation.ExpectingInput ? (object?)InputObject ?? row : request.CallId;
            _dispatcher!.Reject(row, target, _journal!.AlreadySent(request, earlier));
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            // Reached without EndProcessing when the pipeline ended early: report what was left in flight.
            if (disposing) _dispatcher?.Abandon();
            base.Dispose(disposing);
        }
    }
}
