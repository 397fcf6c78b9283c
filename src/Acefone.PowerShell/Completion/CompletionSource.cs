using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// What a completer fetches from the API, cached per session: one fetch at a time however often Tab is pressed,
    /// kept for a lifetime after it arrives. A Tab press waits at most <see cref="Budget"/>; a fetch still running
    /// then goes on in the background (bounded by <see cref="FetchTimeout"/>), so the next press can use its answer.
    /// A failure gives no completions, never an error, and is remembered for a while so Tab does not wait again.
    /// </summary>
    internal sealed class CompletionSource<T> where T : class
    {
        internal static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(900);
        internal static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(20);
        internal static readonly TimeSpan FailureLifetime = TimeSpan.FromSeconds(10);

        private sealed class Entry
        {
            internal Entry(Task<T> task)
            {
                Task = task;
                StartedAt = DateTime.UtcNow;
            }

            internal Task<T> Task { get; }
            internal DateTime StartedAt { get; }
            // Set once by the fetch's continuation, read by Tab presses on the pipeline thread: ticks, read atomically.
            private long _finishedTicks;

            internal DateTime? FinishedAt
            {
                get
                {
                    long ticks = Interlocked.Read(ref _finishedTicks);
                    return ticks == 0 ? (DateTime?)null : new DateTime(ticks, DateTimeKind.Utc);
                }
            }

            internal void Finished() => Interlocked.Exchange(ref _finishedTicks, DateTime.UtcNow.Ticks);
        }

        private readonly object _lock = new object();
        // Keyed weakly by the session: a disconnected session takes its cache with it.
        private readonly ConditionalWeakTable<AcefoneSession, Entry> _entries = new ConditionalWeakTable<AcefoneSession, Entry>();
        private readonly Func<AcefoneSession, CancellationToken, Task<T>> _fetch;
        private readonly TimeSpan _lifetime;

        internal CompletionSource(Func<AcefoneSession, CancellationToken, Task<T>> fetch, TimeSpan lifetime)
        {
            _fetch = fetch;
            _lifetime = lifetime;
        }

        /// <summary>The cached or freshly fetched value; null when it is not there within the budget or the fetch failed.</summary>
        internal T? Get(AcefoneSession session) => Await(Begin(session), Budget);

        /// <summary>The cached fetch, or a new one started now (not waited for).</summary>
        internal Task<T> Begin(AcefoneSession session)
        {
            lock (_lock)
            {
                if (!_entries.TryGetValue(session, out Entry? entry) || Stale(entry))
                {
                    _entries.Remove(session);
                    entry = Start(session);
                    _entries.Add(session, entry);
                }
                return entry.Task;
            }
        }

        /// <summary>The fetch's value if it is there within <paramref name="budget"/>; null when not, or when it failed.</summary>
        internal static T? Await(Task<T> task, TimeSpan budget)
        {
            try
            {
                if (!task.Wait(budget > TimeSpan.Zero ? budget : TimeSpan.Zero)) return null;
            }
            catch (AggregateException)
            {
                return null;
            }
            return task.Status == TaskStatus.RanToCompletion ? task.Result : null;
        }

        private Entry Start(AcefoneSession session)
        {
            var timeout = new CancellationTokenSource(FetchTimeout);
            Task<T> task;
            try
            {
                task = _fetch(session, timeout.Token);
            }
            catch (Exception ex)
            {
                task = Task.FromException<T>(ex);
            }
            var entry = new Entry(task);
            task.ContinueWith(t =>
            {
                entry.Finished();
                timeout.Dispose();
                return t.Exception;   // observed, so an abandoned failure never reaches UnobservedTaskException
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return entry;
        }

        private bool Stale(Entry entry)
        {
            DateTime now = DateTime.UtcNow;
            if (entry.FinishedAt is DateTime finished)
                return now - finished > (entry.Task.Status == TaskStatus.RanToCompletion ? _lifetime : FailureLifetime);
            return now - entry.StartedAt > FetchTimeout + TimeSpan.FromSeconds(5);
        }
    }
}
