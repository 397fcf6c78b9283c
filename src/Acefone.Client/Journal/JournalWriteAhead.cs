using System;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// Group commit in front of a journal store. A sending line waits for the store to hold it before its request may
    /// leave; sending lines that arrive while an append is under way share the next append, so a run pays about one
    /// store round trip per batch, not per row. Outcome lines wait for the next append (or the next tick): a lost
    /// outcome line leaves its row 'sending', which a re-run never resends. Thread-safe.
    /// </summary>
    internal sealed class JournalWriteAhead : IDisposable
    {
        private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

        private readonly IJournalStore _store;
        private readonly object _gate = new object();
        private MemoryStream _pending = new MemoryStream(4096);
        private MemoryStream _spare = new MemoryStream(4096);
        private Utf8JsonWriter? _lineWriter;
        private int _pendingOutcomes;
        // Completes when the append holding the pending sending lines is stored; null while none waits.
        private TaskCompletionSource<bool>? _nextBatch;
        private bool _committing;
        private bool _closed;
        private Exception? _failure;
        private long _unrecorded;
        private Timer? _tick;

        // tickInterval: how often outcome lines alone are stored (null: every second; tests choose).
        internal JournalWriteAhead(IJournalStore store, bool startWithNewline, TimeSpan? tickInterval = null)
        {
            _store = store;
            // A torn last line must not swallow the first new record.
            if (startWithNewline) _pending.WriteByte((byte)'\n');
            TimeSpan every = tickInterval ?? TickInterval;
            _tick = new Timer(_ => Tick(), null, every, every);
        }

        /// <summary>Outcome lines that could not be stored (their rows stay 'sending' in the journal).</summary>
        internal long UnrecordedOutcomes => Interlocked.Read(ref _unrecorded);

        /// <summary>
        /// Queues a sending line; the task completes once the store holds it, or fails with a
        /// <see cref="RunJournalException"/> (the row must not be sent). Throws at once when the store has already failed.
        /// </summary>
        internal Task WriteAhead(Action<Utf8JsonWriter> line)
        {
            Task stored;
            lock (_gate)
            {
                Exception? failure = _failure ?? _store.Failure;
                if (failure != null || _closed) throw NotWritten(failure);
                AppendLine(line);
                if (_nextBatch == null) _nextBatch = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                stored = _nextBatch.Task;
                if (!_store.AppendsQuickly || _committing)
                {
                    StartCommit();
                    return stored;
                }
                _committing = true;
            }
            // A quick store (a file) is written here, as the row is sent: no thread hop per row.
            CommitLoop();
            return stored;
        }

        /// <summary>Queues an outcome line; it goes with the next append. Never throws: a line that cannot be stored is counted.</summary>
        internal void WriteOutcome(Action<Utf8JsonWriter> line)
        {
            lock (_gate)
            {
                if (_failure != null || _closed)
                {
                    _unrecorded++;
                    return;
                }
                AppendLine(line);
                _pendingOutcomes++;
            }
        }

        private RunJournalException NotWritten(Exception? failure) =>
            new RunJournalException("JournalWriteFailed",
                failure != null ? $"The journal '{_store.Name}' could not be written ({failure.Message}); nothing more is sent." : $"The journal '{_store.Name}' is closed; nothing more is sent.",
                failure);

        private void AppendLine(Action<Utf8JsonWriter> line)
        {
            if (_lineWriter == null) _lineWriter = new Utf8JsonWriter(_pending);
            else _lineWriter.Reset(_pending);
            line(_lineWriter);
            _lineWriter.Flush();
            _pending.WriteByte((byte)'\n');
        }

        // Under _gate.
        private void StartCommit()
        {
            if (_committing || _pending.Length == 0) return;
            _committing = true;
            ThreadPool.UnsafeQueueUserWorkItem(_ => CommitLoop(), null);
        }

        private void CommitLoop()
        {
            while (true)
            {
                MemoryStream batch;
                TaskCompletionSource<bool>? stored;
                int outcomes;
                lock (_gate)
                {
                    // Stryker disable once Logical,Statement,Block : defensive, unreachable: a loop starts or goes round only with lines pending, and a failure ends it
                    if (_pending.Length == 0 || _failure != null)
                    {
                        StopCommitting();
                        return;
                    }
                    batch = _pending;
                    _pending = _spare;
                    _spare = batch;
                    stored = _nextBatch;
                    _nextBatch = null;
                    outcomes = _pendingOutcomes;
                    _pendingOutcomes = 0;
                }

                Exception? failure = null;
                try
                {
                    _store.Append(batch.GetBuffer(), (int)batch.Length);
                }
                catch (Exception ex) when (!(ex is OutOfMemoryException))
                {
                    failure = ex;
                }
                batch.SetLength(0);

                lock (_gate)
                {
                    if (failure != null)
                    {
                        // Nothing more is stored: the lines of this append and of any waiting behind it are lost.
                        _failure = failure;
                        _unrecorded += outcomes + _pendingOutcomes;
                        _pendingOutcomes = 0;
                        // Stryker disable once Statement : equivalent, after a failure nothing is appended again (Dispose checks _failure)
                        _pending.SetLength(0);
                        RunJournalException notSent = NotWritten(failure);
                        stored?.TrySetException(notSent);
                        _nextBatch?.TrySetException(notSent);
                        _nextBatch = null;
                        StopCommitting();
                        return;
                    }
                    // Stryker disable once Boolean : equivalent, the task is a plain Task: the result is never read
                    stored?.TrySetResult(true);
                    // Outcome lines alone wait for the tick or the next sending line.
                    if (_nextBatch == null)
                    {
                        StopCommitting();
                        return;
                    }
                }
            }
        }

        // Under _gate.
        private void StopCommitting()
        {
            _committing = false;
            Monitor.PulseAll(_gate);
        }

        private void Tick()
        {
            lock (_gate)
            {
                if (_closed || _failure != null) return;
                StartCommit();
            }
            _store.Sync();
        }

        /// <summary>Stores what is pending (waiting for an append under way), then stops; later lines are counted as unrecorded.</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                // Stryker disable once Statement : equivalent, a second Dispose finds nothing pending (a closed writer takes no lines) and the rest is idempotent
                if (_closed) return;
                _closed = true;
                while (_committing) Monitor.Wait(_gate);
            }
            // Stryker disable once Statement : equivalent, a tick after close returns at once (it checks _closed)
            _tick?.Dispose();
            _tick = null;
            if (_failure == null && _pending.Length > 0)
            {
                try
                {
                    _store.Append(_pending.GetBuffer(), (int)_pending.Length);
                }
                catch (Exception ex) when (!(ex is OutOfMemoryException))
                {
                    // What was not stored leaves its rows 'sending': a re-run does not send them again.
                    lock (_gate)
                    {
                        _failure = ex;
                        _unrecorded += _pendingOutcomes;
                    }
                }
                // Stryker disable once Statement : equivalent, a closed writer never appends again
                _pending.SetLength(0);
                // Stryker disable once Equality,Statement,Boolean : unreachable, no sending line waits once no commit runs (the loop takes _nextBatch with the lines)
                if (_failure == null) _nextBatch?.TrySetResult(true);
                else _nextBatch?.TrySetException(NotWritten(_failure));
            }
            // Stryker disable once Statement : equivalent, the writer holds only managed buffers
            _lineWriter?.Dispose();
        }
    }
}
