using System;
using System.Management.Automation;
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
            internal Pending(long row, object? input, CallActionRequest? request, Task task, JournalRecord? earlier = null)
            {
                Row = row;
                Input = input;
                Request = request;
                Task = task;
                Earlier = earlier;
            }

            internal long Row { get; }
            internal object? Input { get; }
            /// <summary>Null for a row refused before it became a request.</summary>
            internal CallActionRequest? Request { get; }
            /// <summary>The request's own typed task (read by <see cref="CallActionRequest.ResultOf"/>), or a refusal's faulted one.</summary>
            internal Task Task { get; }
            /// <summary>For a row the journal skipped (nothing sent): its last journal record; the task holds its AlreadySent result.</summary>
            internal JournalRecord? Earlier { get; }
        }

        private const int PollMilliseconds = 100;

        private readonly AcefoneCmdlet _cmdlet;
        private readonly AcefoneSession _session;
        private readonly PipelineObserver _observer;
        private readonly CancellationTokenSource _cancel;
        private readonly OrderedWorkQueue<Pending> _queue;
        private readonly ProgressReporter _progress;
        private readonly Action _reportWhileWaiting;

        internal CallActionDispatcher(AcefoneCmdlet cmdlet, AcefoneSession session, PipelineObserver observer, int throttleLimit,
            CancellationToken stopping, ProgressReporter progress)
        {
            _cmdlet = cmdlet;
            _session = session;
            _observer = observer;
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            _progress = progress;
            _queue = new OrderedWorkQueue<Pending>(throttleLimit, pending => pending.Task, WaitAny);
            _reportWhileWaiting = ReportWhileWaiting;
            Summary = new RunSummary(() => RequestCounts.From(observer));
        }

        /// <summary>Every row counter of the run, and its summary line.</summary>
        internal RunSummary Summary { get; }

        internal void Submit(long row, object? input, CallActionRequest request) => Guard(() =>
        {
            // A failure that can be written now is written before anything more is sent: an authentication failure
            // ends the command there.
            while (!_queue.WaitForRoom()) WriteFinished();
            Task task = Send(row, request);
            Summary.RowSent();
            _queue.Add(new Pending(row, input, request, task));
            _progress.Report(Summary.Done, Summary.Failed, _queue.InFlight, request.CallId);
            _queue.WaitIfSequential();
            WriteFinished();
        });

        /// <summary>
        /// A row our own checks refused. It waits its turn behind rows still in flight, so errors and results
        /// leave in input order whatever the -ThrottleLimit.
        /// </summary>
        internal void Reject(long row, object? target, AcefoneException error) => Guard(() =>
        {
            if (_queue.Count == 0)
            {
                Summary.RowFailed(error.Kind);
                _cmdlet.WriteError(ErrorRecords.From(error, target, error is AcefoneInputException ? (long?)null : row));
                return;
            }
            _queue.Add(new Pending(row, target, null, Task.FromException(error)));
            WriteFinished();
        });

        /// <summary>Waits for everything in flight and writes it, in order.</summary>
        internal void Complete() => Guard(() =>
        {
            while (_queue.WaitForFirst()) WriteFinished();
            _progress.Complete();
            _cmdlet.FlushLog();
            Completed();
        });

        /// <summary>Called just before a failure ends the command, while the cmdlet can still write (the summary).</summary>
        internal Action<string>? Stopping { get; set; }

        /// <summary>Returns when one of <paramref name="tasks"/> finishes; writes the log and progress while it waits.</summary>
        private void WaitAny(Task[] tasks) => _cmdlet.WaitAny(tasks, _cancel.Token, _reportWhileWaiting, PollMilliseconds);

        private void ReportWhileWaiting() => _progress.Report(Summary.Done, Summary.Failed, _queue.InFlight, null);

        private void WriteFinished()
        {
            _cmdlet.FlushLog();
            while (_queue.TryTake(out Pending? done))
            {
                // Until it is written, a stop still counts this row as unwritten.
                _writing = done;
                Write(done!);
                _writing = null;
            }
        }

        private void Write(Pending done)
        {
            if (done.Earlier != null)
            {
                WriteSkipped(done);
                return;
            }
            if (done.Task.Status == TaskStatus.RanToCompletion)
            {
                Summary.RowSucceeded();
                _cmdlet.WriteObject(done.Request!.ResultOf(done.Task));
                return;
            }

            Exception error = done.Task.Exception?.GetBaseException() ?? new OperationCanceledException();
            object target = done.Input ?? (object?)done.Request?.CallId ?? done.Row;
            // Not counted: a stopped run's report names the row instead.
            if (error is OperationCanceledException && _cancel.IsCancellationRequested)
                throw new PipelineStoppedException();
            if (error is RunJournalException journalFailure)
            {
                // Its sending line could not be stored, so it was not sent; nor is anything after it.
                _cancel.Cancel();
                _progress.Complete();
                Stopping?.Invoke(journalFailure.ErrorId);
                _cmdlet.ThrowTerminatingError(new ErrorRecord(journalFailure, journalFailure.ErrorId, ErrorCategory.WriteError, _journal?.Path));
            }
            if (error is AcefoneException acefone)
            {
                Summary.RowFailed(acefone.Kind);
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
            Summary.RowFailed(ErrorRecords.UnexpectedError);
            _cmdlet.WriteError(ErrorRecords.Unexpected(error, target));
        }
    }
}
