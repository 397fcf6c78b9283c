using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// Runs call actions (call options, hangups) with up to ThrottleLimit in flight and writes their outcomes in input order.
    /// Every Write* happens here, on the pipeline thread; the engine's tasks never touch the cmdlet.
    /// </summary>
    internal sealed partial class CallActionDispatcher
    {
        private sealed class Pending
        {
            internal Pending(long row, object? input, CallActionRequest? request, Task<object> task)
            {
                Row = row;
                Input = input;
                Request = request;
                Task = task;
            }

            internal long Row { get; }
            internal object? Input { get; }
            /// <summary>Null for a row refused before it became a request.</summary>
            internal CallActionRequest? Request { get; }
            internal Task<object> Task { get; }
        }

        private const int PollMilliseconds = 100;

        private readonly AcefoneCmdlet _cmdlet;
        private readonly AcefoneSession _session;
        private readonly PipelineObserver _observer;
        private readonly int _throttleLimit;
        private readonly CancellationTokenSource _cancel;
        private readonly Queue<Pending> _pending = new Queue<Pending>();
        private readonly ProgressReporter _progress;
        private readonly Stopwatch _elapsed = Stopwatch.StartNew();
        private readonly SortedDictionary<string, long> _failures = new SortedDictionary<string, long>(StringComparer.Ordinal);
        private long _succeeded;
        private long _rows;

        internal CallActionDispatcher(AcefoneCmdlet cmdlet, AcefoneSession session, PipelineObserver observer, int throttleLimit,
            CancellationToken stopping, ProgressReporter progress)
        {
            _cmdlet = cmdlet;
            _session = session;
            _observer = observer;
            _throttleLimit = Math.Max(1, throttleLimit);
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            _progress = progress;
        }

        /// <summary>Counts a row that never reaches the engine (invalid input, declined by -WhatIf or -Confirm).</summary>
        internal void CountRow() => _rows++;

        internal void CountFailure(string errorId)
        {
            _failures.TryGetValue(errorId, out long count);
            _failures[errorId] = count + 1;
        }

        internal void Submit(long row, object? input, CallActionRequest request) => Guard(() =>
        {
            WaitForRoom();
            Task<object> task = Send(row, request);
            _pending.Enqueue(new Pending(row, input, request, task));
            _progress.Report(_succeeded + FailureCount, FailureCount, InFlight(), request.CallId);
            // Sparse input: with one request at a time nothing overlaps anyway, so the answer is written before the
            // cmdlet goes back to wait for the next row (which may come much later, or only after a prompt).
            if (_throttleLimit == 1) WaitFor(task);
            WriteFinished();
        });

        /// <summary>
        /// A row our own checks refused. It waits its turn behind rows still in flight, so errors and results
        /// leave in input order whatever the -ThrottleLimit.
        /// </summary>
        internal void Reject(long row, object? target, AcefoneException error) => Guard(() =>
        {
            if (_pending.Count == 0)
            {
                _rows++;
                CountError(error.Kind);
                _cmdlet.WriteError(ErrorRecords.From(error, target, error is AcefoneInputException ? (long?)null : row));
                return;
            }
            _pending.Enqueue(new Pending(row, target, null, Task.FromException<object>(error)));
            WriteFinished();
        });

        /// <summary>Waits for everything in flight and writes it, in order.</summary>
        internal void Complete() => Guard(() =>
        {
            while (_pending.Count > 0)
            {
                WaitFor(_pending.Peek().Task);
                WriteFinished();
            }
            _progress.Complete();
            _cmdlet.FlushLogInternal();
            Completed();
        });

        /// <param name="commandName">The cmdlet's name, which starts the line.</param>
        /// <param name="stoppedBy">The ErrorId that ended the run early, or null for a run that went through.</param>
        internal string Summary(string commandName, string? stoppedBy = null)
        {
            long failed = FailureCount;
            var text = new StringBuilder();
            text.Append(FormattableString.Invariant($"{commandName}: {_rows} rows, {_observer.Requests} requests, {_succeeded} succeeded, {failed} failed"));
            if (failed > 0) text.Append(" (").Append(string.Join(", ", _failures.Select(f => $"{f.Key} {f.Value}"))).Append(')');
            // Wall-clock time with at least one request held, not the sum over parallel requests.
            text.Append(FormattableString.Invariant($", {_observer.Retries} retried, {_observer.RateLimitHeld.TotalSeconds:0.0} s waiting on the rate limit"));
            long held = _observer.RateLimitedAttempts;
            if (held > 0) text.Append(FormattableString.Invariant($" ({held} {(held == 1 ? "request" : "requests")} held)"));
            text.Append(FormattableString.Invariant($", {_elapsed.Elapsed.TotalSeconds:0.0} s elapsed."));
            if (stoppedBy != null) text.Append(FormattableString.Invariant($" Stopped by {stoppedBy} after row {_rows}: no further row was sent."));
            AppendJournalSummary(text);
            return text.ToString();
        }

        /// <summary>Called just before a failure ends the command, while the cmdlet can still write (the summary).</summary>
        internal Action<string>? Stopping { get; set; }

        internal long Rows => _rows;

        private long FailureCount => _failures.Values.Sum();

        /// <summary>Requests sent and not yet answered; finished rows waiting their turn to be written are not in flight.</summary>
        private int InFlight()
        {
            int running = 0;
            foreach (Pending pending in _pending)
                if (pending.Request != null && !pending.Task.IsCompleted) running++;
            return running;
        }

        private void WaitForRoom()
        {
            while (true)
            {
                // One snapshot for both the count and what to wait on: a task that finishes in between must not
                // leave an empty array behind, which Task.WaitAny answers with -1 at once (a busy loop).
                var running = new List<Task>(_throttleLimit);
                bool finishedPrefix = true;
                bool failedInPrefix = false;
                foreach (Pending pending in _pending)
                {
                    if (!pending.Task.IsCompleted)
                    {
                        running.Add(pending.Task);
                        finishedPrefix = false;
                    }
                    else if (finishedPrefix && pending.Task.Status != TaskStatus.RanToCompletion)
                    {
                        failedInPrefix = true;
                    }
                }
                // A failure that can be written now (nothing unfinished before it) is written before anything more is
                // sent: an authentication failure ends the command there. Finished successes wait, so the next
                // request leaves first and their output overlaps it.
                if (failedInPrefix)
                {
                    WriteFinished();
                    continue;
                }
                // The queue may also hold finished rows waiting behind a slow one; bound it so memory stays flat.
                if (running.Count < _throttleLimit && _pending.Count < _throttleLimit * 4) return;
                if (running.Count >= _throttleLimit)
                {
                    WaitAny(running.ToArray());
                }
                else if (_pending.Peek().Task.IsCompleted)
                {
                    WriteFinished();   // the queue is full of finished rows: writing them is what makes room
                }
                else
                {
                    WaitAny(new Task[] { _pending.Peek().Task });
                }
            }
        }

        private void WaitFor(Task task) => WaitAny(new[] { task });

        /// <summary>Returns when one of <paramref name="tasks"/> finishes; writes the log and progress while it waits.</summary>
        private void WaitAny(Task[] tasks)
        {
            try
            {
                while (Task.WaitAny(tasks, PollMilliseconds, _cancel.Token) < 0)
                {
                    _cmdlet.FlushLogInternal();
                    _progress.Report(_succeeded + FailureCount, FailureCount, InFlight(), null);
                }
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
        }

        private void WriteFinished()
        {
            _cmdlet.FlushLogInternal();
            while (_pending.Count > 0 && _pending.Peek().Task.IsCompleted)
            {
                Pending done = _pending.Dequeue();
                _rows++;
                // Until it is written, a stop still counts this row as unwritten.
                _writing = done;
                Write(done);
                _writing = null;
            }
        }

        private void Write(Pending done)
        {
            if (done.Task.Status == TaskStatus.RanToCompletion)
            {
                _succeeded++;
                _cmdlet.WriteObject(done.Task.Result);
                return;
            }

            Exception error = done.Task.Exception?.GetBaseException() ?? new OperationCanceledException();
            object target = done.Input ?? (object?)done.Request?.CallId ?? done.Row;
            if (error is OperationCanceledException && _cancel.IsCancellationRequested)
                throw new PipelineStoppedException();
            if (error is AcefoneException acefone)
            {
                CountError(acefone.Kind);
                // The API failed a request it was sent: a target that binds again, whatever the input was.
                if (done.Request != null && !(acefone is AcefoneInputException)) target = RetryTarget.For(done.Request);
                ErrorRecord record = ErrorRecords.From(acefone, target, done.Input != null ? done.Row : (long?)null);
                if (acefone.Kind == AcefoneErrorKind.AuthenticationFailed)
                {
                    // Every further row would fail the same way: stop sending and end the command.
                    _cancel.Cancel();
                    _progress.Complete();
                    Stopping?.Invoke(acefone.Kind.ToString());
                    _cmdlet.ThrowTerminatingError(record);
                }
                _cmdlet.WriteError(record);
                return;
            }
            CountFailure(ErrorRecords.UnexpectedError);
            _cmdlet.WriteError(ErrorRecords.Unexpected(error, target));
        }
    }
}
