using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// The run journal and the stop report: every row ends written, in an error, AlreadySent, or named at the
    /// prompt as sent without a known outcome when the run is stopped (Ctrl+C, Select-Object -First, an upstream
    /// failure, a terminating error).
    /// </summary>
    internal sealed partial class CallActionDispatcher : ICallActionSender
    {
        // How long a stopped run waits for cancelled requests to settle, so their outcome (and journal line) is known.
        private static readonly TimeSpan StopSettleTime = TimeSpan.FromSeconds(5);

        private RunJournal? _journal;
        private Pending? _writing;
        private bool _finished;

        /// <summary>The journal this run reads and (unless -WhatIf) writes; the dispatcher closes it.</summary>
        internal void UseJournal(RunJournal journal)
        {
            _journal = journal;
            Summary.UseJournal(journal.Path, journal.ReadOnly, () => journal.UnrecordedOutcomes);
        }

        internal RunJournal? Journal => _journal;

        private Task Send(long row, CallActionRequest request)
        {
            try
            {
                return request.SendThrough(this, row);
            }
            catch (RunJournalException ex)
            {
                // Without its sending line a row could be sent twice by a re-run: send nothing more.
                _cmdlet.ThrowTerminatingError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.WriteError, _journal!.Path));
                throw;
            }
        }

        /// <summary>
        /// Sends one row through the session, and through the journal when one records the run: the journal wrapping
        /// lives here, in the bulk run, so a call action never calls back into the journal or the run.
        /// Throws <see cref="RunJournalException"/> (and sends nothing) when the journal cannot record the row.
        /// </summary>
        Task<TResult> ICallActionSender.Send<TResult>(CallActionRequest<TResult> request, long row)
        {
            RunJournal? journal = _journal == null || _journal.ReadOnly ? null : _journal;
            return journal == null
                ? request.SendAsync(_session, _observer, _cancel.Token)
                : journal.Send(request, row, () => request.SendAsync(_session, _observer, _cancel.Token));
        }

        private void Completed()
        {
            _finished = true;
            _journal?.Dispose();
        }

        /// <summary>Runs pipeline-thread work; whatever ends the run early first reports the rows it leaves behind.</summary>
        private void Guard(Action work)
        {
            try
            {
                work();
            }
            catch (Exception ex)
            {
                // WriteObject that throws PipelineStoppedException while the pipeline is not stopping: the next command
                // took the row and then ended the pipeline (Select-Object -First), so that row was delivered.
                ReportStop(delivered: ex is PipelineStoppedException && !_cmdlet.Stopping);
                throw;
            }
        }

        /// <summary>The cmdlet is disposed without having completed (an upstream failure, Ctrl+C while another command ran).</summary>
        internal void Abandon() => ReportStop(delivered: false);

        /// <param name="delivered">Whether the row being written reached the next command (Select-Object -First stops after taking it).</param>
        private void ReportStop(bool delivered)
        {
            if (_finished) return;
            _finished = true;
            _cancel.Cancel();

            var rows = new List<Pending>(_queue.Count + 1);
            if (_writing != null && !delivered) rows.Add(_writing);
            rows.AddRange(_queue.Items);
            Task[] unsettled = rows.Where(p => !p.Task.IsCompleted).Select(p => p.Task).ToArray();
            try
            {
                if (unsettled.Length > 0) Task.WaitAll(unsettled, StopSettleTime);
            }
            catch (AggregateException)
            {
                // Each row's own outcome is read below.
            }
            _journal?.Dispose();

            var noAnswer = new List<string>();
            var notWritten = new List<string>();
            var notSent = new List<string>();
            foreach (Pending row in rows)
            {
                if (row.Request == null || row.Earlier != null)
                {
                    Summary.RowStopped(sent: false, answered: false);   // refused or skipped before sending: nothing happened to it
                    continue;
                }
                Task task = row.Task;
                if (task.Status == TaskStatus.RanToCompletion)
                {
                    Summary.RowStopped(sent: true, answered: true);
                    notWritten.Add($"{row.Request.CallId} (succeeded)");
                    continue;
                }
                Exception? error = task.IsCompleted ? task.Exception?.GetBaseException() : null;
                if (error is RunJournalException)
                {
                    // Its sending line was never stored, so its request never left.
                    Summary.RowStopped(sent: false, answered: false);
                    notSent.Add(row.Request.CallId);
                    continue;
                }
                bool unknown = HasNoKnownOutcome(error);
                Summary.RowStopped(sent: true, answered: !unknown);
                if (unknown)
                    noAnswer.Add(row.Request.CallId);
                else
                    notWritten.Add($"{row.Request.CallId} ({RunJournal.Classify(error!).ErrorId})");
            }
            string? skippedUnknown = SkippedUnknownWarning();
            if (noAnswer.Count == 0 && notWritten.Count == 0 && notSent.Count == 0 && skippedUnknown == null) return;

            string command = _cmdlet.MyInvocation.MyCommand.Name;
            var lines = new List<string>();
            if (noAnswer.Count > 0)
                lines.Add(string.Format(CultureInfo.InvariantCulture,
                    "{0} stopped: {1} rows were sent and have no known outcome; the API may have acted on them. Check these calls before sending them again: {2}",
                    command, noAnswer.Count, string.Join(", ", noAnswer)));
            if (notWritten.Count > 0)
                lines.Add(string.Format(CultureInfo.InvariantCulture,
                    "{0} stopped: {1} rows were answered but their results could not be written: {2}",
                    command, notWritten.Count, string.Join(", ", notWritten)));
            if (notSent.Count > 0)
                lines.Add(string.Format(CultureInfo.InvariantCulture,
                    "{0} stopped: {1} rows were not sent because the journal could not record them: {2}",
                    command, notSent.Count, string.Join(", ", notSent)));
            if (skippedUnknown != null) lines.Add(skippedUnknown);
            if (_journal != null && !_journal.ReadOnly && (noAnswer.Count > 0 || notWritten.Count > 0 || notSent.Count > 0))
                lines.Add($"{command} stopped: the journal '{_journal.Path}' records these rows; a re-run with it does not send them again.");
            // The pipeline takes no output once stopped: the host is the one place left that reaches the admin.
            try
            {
                var ui = _cmdlet.Host?.UI;
                if (ui == null) return;
                foreach (string line in lines) ui.WriteWarningLine(line);
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                // A host that cannot show it must not hide the stop itself.
            }
        }

        /// <summary>
        /// A row stopped in flight (no error yet) or failed where the API may have acted: the stop report lists it to be
        /// checked, and the journal keeps it from a resend. <see cref="Outcome"/> decides; the journal reads the same rule.
        /// </summary>
        internal static bool HasNoKnownOutcome(Exception? error) => error == null || Outcome.MayHaveActed(error);
    }
}
