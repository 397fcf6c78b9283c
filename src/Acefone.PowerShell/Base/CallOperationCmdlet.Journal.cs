using System;
using System.Management.Automation;
using System.Security;
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

        /// <summary>
        /// Use the journal although it records runs against another API base URI or account (JournalTargetMismatch
        /// otherwise): only when it really is the same account, reached another way (a new console token, a login).
        /// </summary>
        [Parameter]
        public SwitchParameter IgnoreJournalTarget { get; set; }

        /// <summary>
        /// For a -JournalPath that is a blob URL without a SAS: an access token for https://storage.azure.com/
        /// (for example from Get-AzAccessToken). Without either, a managed identity is used where there is one.
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString? JournalAccessToken { get; set; }

        private RunJournal? _journal;

        private void OpenJournal()
        {
            if (JournalPath == null) return;
            // A blob URL is not a provider path; its display name drops the query (a SAS is a secret).
            bool blob = BlobJournalStore.IsBlobUrl(JournalPath);
            string path = blob ? RunJournal.DisplayName(JournalPath) : SessionState.Path.GetUnresolvedProviderPathFromPSPath(JournalPath);
            try
            {
                _journal = blob ? RunJournal.Open(JournalPath, _whatIf, JournalAccessToken, WriteWarning) : RunJournal.Open(path, readOnly: _whatIf);
            }
            catch (RunJournalException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ex.ErrorId,
                    ex.ErrorId == "JournalLocked" ? ErrorCategory.ResourceBusy : ex.ErrorId == "JournalAccessDenied" ? ErrorCategory.PermissionDenied : ErrorCategory.OpenError, path));
            }
            CheckJournalTarget();
            foreach (string warning in _journal!.Warnings) WriteWarning(warning);
            if (_journal.RowsRead > 0)
                WriteVerbose($"Journal '{_journal.Path}': {_journal.RowsRead} rows recorded by earlier runs.");
            _dispatcher!.UseJournal(_journal);
        }

        /// <summary>Before anything is sent: a journal of another target is refused; this run's target is recorded.</summary>
        private void CheckJournalTarget()
        {
            if (_session == null)
            {
                // -WhatIf with no session: nothing is sent or written, and there is no target to compare.
                WriteVerbose($"Journal '{_journal!.Path}': no session, so the target it records is not checked.");
                return;
            }
            JournalTarget target = JournalTarget.For(_session);
            try
            {
                _journal!.UseTarget(target, IgnoreJournalTarget.IsPresent);
            }
            catch (RunJournalException ex)
            {
                _journal!.Dispose();
                ThrowTerminatingError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.InvalidOperation, _journal.Path));
            }
            JournalTarget? recorded = _journal!.RecordedTarget;
            if (recorded != null && !recorded.Equals(target))
                WriteWarning($"The journal '{_journal.Path}' records runs against {recorded}; -IgnoreJournalTarget uses it for {target}.");
        }

        /// <summary>
        /// A row about to be sent for a call the journal shows acted on (may have acted) with the same operation but
        /// another destination or agent (the CSV was edited): it is sent, with a warning naming both.
        /// </summary>
        private void WarnOtherDestination(long row, CallActionRequest request)
        {
            JournalRecord? other = _journal?.FindOtherDestination(request);
            if (other == null) return;
            string earlier = other.Intercom != null ? $"to '{other.Intercom}'" : $"for agent '{other.AgentId}'";
            string now = request.JournalIntercom != null ? $"to '{request.JournalIntercom}'" : $"for agent '{request.JournalAgentId}'";
            string state = other.State == JournalState.Succeeded ? "succeeded" : "may have acted";
            string when = other.Time.HasValue ? " at " + other.Time.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
            WriteWarning($"{(MyInvocation.ExpectingInput ? $"Row {row}: " : string.Empty)}call '{request.CallId}': the journal '{_journal!.Path}' shows {other.Operation} {earlier} ({state}{when}, row {other.Row}); this row's {other.Operation} {now} is sent as well.");
        }

        /// <summary>
        /// A row the journal shows as sent (sending, unknown or succeeded) is not sent again: it gets a result object with
        /// Status AlreadySent, not an error (a restarted run under ErrorAction Stop must go on to the rows after it).
        /// </summary>
        private bool SkipAlreadySent(long row, CallActionRequest request)
        {
            JournalRecord? earlier = _journal?.FindSent(request);
            if (earlier == null) return false;
            _dispatcher!.Skip(row, InputObject, request, earlier);
            return true;
        }

        /// <summary>One warning for every skipped row with no known earlier outcome: a person must check those calls.</summary>
        private void WarnSkippedUnknown()
        {
            string? warning = _dispatcher?.SkippedUnknownWarning();
            if (warning != null) WriteWarning(warning);
        }

        protected override void Dispose(bool disposing)
        {
            // Reached without EndProcessing when the pipeline ended early: report what was left in flight.
            if (disposing) _dispatcher?.Abandon();
            base.Dispose(disposing);
        }
    }
}
