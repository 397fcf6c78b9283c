using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// Every row counter of a bulk run, and the end-of-run summary line they make. A row is counted once when it is
    /// seen and once when it ends (succeeded, failed by kind, already sent, declined at -WhatIf or -Confirm), or, when
    /// the run is stopped before it ends, once as left behind (the stop report names it). Pipeline thread only.
    /// </summary>
    internal sealed class RunSummary
    {
        internal const string AlreadySentId = nameof(AcefoneErrorKind.AlreadySent);

        private readonly SortedDictionary<string, long> _failures = new SortedDictionary<string, long>(StringComparer.Ordinal);
        private readonly Func<RequestCounts> _requests;
        private readonly Func<TimeSpan> _elapsed;
        private string? _journalPath;
        private bool _journalReadOnly;
        private Func<long>? _unrecordedOutcomes;

        /// <param name="requests">The requests' counts, read when the summary is written.</param>
        /// <param name="elapsed">Time since the run started; a stopwatch started now when null.</param>
        internal RunSummary(Func<RequestCounts> requests, Func<TimeSpan>? elapsed = null)
        {
            _requests = requests ?? throw new ArgumentNullException(nameof(requests));
            if (elapsed == null)
            {
                Stopwatch started = Stopwatch.StartNew();
                elapsed = () => started.Elapsed;
            }
            _elapsed = elapsed;
        }

        /// <summary>Rows the cmdlet was given; the last one's number.</summary>
        internal long Seen { get; private set; }
        /// <summary>Rows that ended: the summary's "rows".</summary>
        internal long Rows => Succeeded + Failed + AlreadySent + Declined;
        /// <summary>Rows handed to the engine to send.</summary>
        internal long Sent { get; private set; }
        internal long Succeeded { get; private set; }
        /// <summary>Rows failed, of every kind (invalid input and unexpected errors included, already sent not).</summary>
        internal long Failed { get; private set; }
        /// <summary>Rows the journal showed as sent by an earlier run, not sent again.</summary>
        internal long AlreadySent { get; private set; }
        /// <summary>Of <see cref="AlreadySent"/>: rows whose earlier outcome the journal does not know (the API may have acted).</summary>
        internal long AlreadySentUnknown { get; private set; }
        /// <summary>Rows declined by -WhatIf or at a -Confirm prompt: nothing was sent.</summary>
        internal long Declined { get; private set; }
        internal long InvalidInput => FailedWith(nameof(AcefoneErrorKind.InvalidInput));
        /// <summary>Of a stopped run: rows sent with no known outcome (the stop report names them).</summary>
        internal long StoppedWithoutAnswer { get; private set; }
        /// <summary>Of a stopped run: rows answered whose result or error could not be written any more.</summary>
        internal long StoppedUnwritten { get; private set; }
        /// <summary>Of a stopped run: rows refused by our checks, waiting their turn: never sent.</summary>
        internal long StoppedNotSent { get; private set; }
        internal long Stopped => StoppedWithoutAnswer + StoppedUnwritten + StoppedNotSent;
        /// <summary>Rows seen that have neither ended nor been left by a stop: in flight, or waiting their turn to be written.</summary>
        internal long Open => Seen - Rows - Stopped;
        /// <summary>Rows written, failures included: what progress counts as done.</summary>
        internal long Done => Succeeded + Failed;

        /// <summary>Failures by ErrorId, in ordinal order.</summary>
        internal IReadOnlyDictionary<string, long> Failures => _failures;

        internal long FailedWith(string errorId) => _failures.TryGetValue(errorId, out long count) ? count : 0;

        /// <summary>Counts a new row and returns its number (1 for the first).</summary>
        internal long RowSeen() => ++Seen;

        internal void RowSent() => Sent++;

        internal void RowSucceeded() => Succeeded++;

        /// <summary>A row that ended in an engine error of <paramref name="kind"/>; AlreadySent is a skip, not a failure.</summary>
        internal void RowFailed(AcefoneErrorKind kind)
        {
            if (kind == AcefoneErrorKind.AlreadySent)
            {
                AlreadySent++;
                return;
            }
            RowFailed(kind.ToString());
        }

        /// <summary>A row that failed with <paramref name="errorId"/> (UnexpectedError for a fault that is not the engine's).</summary>
        internal void RowFailed(string errorId)
        {
            if (string.IsNullOrEmpty(errorId)) throw new ArgumentException("A failure has an ErrorId.", nameof(errorId));
            if (errorId == AlreadySentId)
            {
                RowFailed(AcefoneErrorKind.AlreadySent);
                return;
            }
            Failed++;
            _failures[errorId] = FailedWith(errorId) + 1;
        }

        /// <summary>A row the journal skipped; <paramref name="succeeded"/> when its earlier outcome is a known success.</summary>
        internal void RowAlreadySent(bool succeeded)
        {
            AlreadySent++;
            if (!succeeded) AlreadySentUnknown++;
        }

        internal void RowDeclined() => Declined++;

        /// <summary>A row a stopped run leaves behind: it never ends as written, so the stop report accounts for it.</summary>
        /// <param name="sent">Whether it was sent (false: refused by our checks before sending).</param>
        /// <param name="answered">Whether its answer came (succeeded, or failed where the API certainly did not act).</param>
        internal void RowStopped(bool sent, bool answered)
        {
            if (!sent) StoppedNotSent++;
            else if (answered) StoppedUnwritten++;
            else StoppedWithoutAnswer++;
        }

        /// <summary>The run reads a journal (and writes it unless <paramref name="readOnly"/>): the summary says how many rows it skipped.</summary>
        /// <param name="path">How the summary names the journal.</param>
        /// <param name="readOnly">-WhatIf: the journal is only read.</param>
        /// <param name="unrecordedOutcomes">How many outcome lines the journal could not store, read when the line is made.</param>
        internal void UseJournal(string path, bool readOnly, Func<long>? unrecordedOutcomes = null)
        {
            _journalPath = path;
            _journalReadOnly = readOnly;
            _unrecordedOutcomes = unrecordedOutcomes;
        }

        /// <param name="commandName">The cmdlet's name, which starts the line.</param>
        /// <param name="stoppedBy">The ErrorId that ended the run early, or null for a run that went through.</param>
        internal string Text(string commandName, string? stoppedBy = null)
        {
            RequestCounts requests = _requests();
            var text = new StringBuilder();
            text.Append(FormattableString.Invariant($"{commandName}: {Rows} rows, {requests.Requests} requests, {Succeeded} succeeded, {Failed} failed"));
            if (Failed > 0) text.Append(" (").Append(string.Join(", ", _failures.Select(f => $"{f.Key} {f.Value}"))).Append(')');
            // Wall-clock time with at least one request held, not the sum over parallel requests.
            text.Append(FormattableString.Invariant($", {requests.Retries} retried, {requests.RateLimitHeld.TotalSeconds:0.0} s waiting on the rate limit"));
            long held = requests.RateLimitedAttempts;
            if (held > 0) text.Append(FormattableString.Invariant($" ({held} {(held == 1 ? "request" : "requests")} held)"));
            text.Append(FormattableString.Invariant($", {_elapsed().TotalSeconds:0.0} s elapsed."));
            if (stoppedBy != null) text.Append(FormattableString.Invariant($" Stopped by {stoppedBy} after row {Rows}: no further row was sent."));
            if (_journalPath != null)
                text.Append(FormattableString.Invariant($" Journal '{_journalPath}'{(_journalReadOnly ? " (read only: -WhatIf)" : string.Empty)}: {AlreadySent} rows skipped as already sent ({AlreadySent - AlreadySentUnknown} succeeded earlier, {AlreadySentUnknown} with no known outcome)."));
            long unrecorded = _unrecordedOutcomes?.Invoke() ?? 0;
            if (unrecorded > 0)
                text.Append(FormattableString.Invariant($" {unrecorded} outcomes could not be recorded in the journal: those rows stay 'sending' there, and a re-run does not send them again."));
            return text.ToString();
        }
    }
}
