using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Acefone.PowerShell
{
    /// <summary>
    /// Work started in input order and handed back finished in that same order, with at most
    /// <see cref="ThrottleLimit"/> pieces in flight. Finished items waiting behind a slow one are bounded too, so memory
    /// stays flat however long the input. The waiting is the caller's (<c>waitAny</c>): on the pipeline thread it
    /// writes the log and progress meanwhile, and Ctrl+C ends it by throwing. Single-threaded: the pipeline thread only.
    /// </summary>
    internal sealed class OrderedWorkQueue<T> where T : class
    {
        private readonly Queue<T> _items = new Queue<T>();
        private readonly Func<T, Task> _taskOf;
        private readonly Action<Task[]> _waitAny;
        private T? _last;

        /// <param name="throttleLimit">Most pieces of work in flight at once (at least 1).</param>
        /// <param name="taskOf">An item's work.</param>
        /// <param name="waitAny">Returns once at least one of the given tasks has finished (or throws to end the wait).</param>
        internal OrderedWorkQueue(int throttleLimit, Func<T, Task> taskOf, Action<Task[]> waitAny)
        {
            ThrottleLimit = Math.Max(1, throttleLimit);
            _taskOf = taskOf ?? throw new ArgumentNullException(nameof(taskOf));
            _waitAny = waitAny ?? throw new ArgumentNullException(nameof(waitAny));
        }

        internal int ThrottleLimit { get; }

        /// <summary>Items held at most, in flight and finished ones waiting their turn together.</summary>
        internal int Capacity => ThrottleLimit * 4;

        internal int Count => _items.Count;

        /// <summary>Items whose work has not finished; finished ones waiting their turn are not in flight.</summary>
        internal int InFlight
        {
            get
            {
                int running = 0;
                foreach (T item in _items)
                    if (!_taskOf(item).IsCompleted) running++;
                return running;
            }
        }

        /// <summary>Every item not yet taken, in input order (for a stopped run's report).</summary>
        internal IEnumerable<T> Items => _items;

        /// <summary>
        /// Waits until one more piece of work may start and returns true. Returns false instead when finished items
        /// must be taken first: a failure with nothing unfinished before it (an authentication failure ends the run
        /// before anything more is sent), or a queue full of finished items (taking them is what makes room).
        /// Finished successes behind room to start wait, so the next piece of work starts first and their output overlaps it.
        /// </summary>
        internal bool WaitForRoom()
        {
            while (true)
            {
                // One snapshot for both the count and what to wait on: a task that finishes in between must not
                // leave an empty array behind (Task.WaitAny answers one with -1 at once: a busy loop).
                var running = new List<Task>(ThrottleLimit);
                bool finishedPrefix = true;
                foreach (T item in _items)
                {
                    Task task = _taskOf(item);
                    if (!task.IsCompleted)
                    {
                        running.Add(task);
                        finishedPrefix = false;
                    }
                    else if (finishedPrefix && task.Status != TaskStatus.RanToCompletion)
                    {
                        return false;
                    }
                }
                if (running.Count < ThrottleLimit && _items.Count < Capacity) return true;
                if (running.Count >= ThrottleLimit) _waitAny(running.ToArray());
                else if (_taskOf(_items.Peek()).IsCompleted) return false;
                else _waitAny(new[] { _taskOf(_items.Peek()) });
            }
        }

        /// <summary>
        /// Adds an item behind every earlier one: work just started (after <see cref="WaitForRoom"/> said there is
        /// room), or an item already finished (a row refused before sending), which needs no room.
        /// </summary>
        internal void Add(T item)
        {
            if (item == null) throw new ArgumentNullException(nameof(item));
            if (!_taskOf(item).IsCompleted && InFlight >= ThrottleLimit)
                throw new InvalidOperationException($"{ThrottleLimit} items are in flight already: wait for room before starting more.");
            _items.Enqueue(item);
            _last = item;
        }

        /// <summary>
        /// At a throttle limit of 1, waits for the last item added: nothing overlaps anyway, so its answer is handed
        /// back before the cmdlet returns for the next row (which may come much later, or only after a prompt).
        /// </summary>
        internal void WaitIfSequential()
        {
            if (ThrottleLimit != 1 || _last == null || _items.Count == 0) return;
            Task task = _taskOf(_last);
            if (!task.IsCompleted) _waitAny(new[] { task });
        }

        /// <summary>Takes the first item if its work has finished; an item finished behind an unfinished one waits.</summary>
        internal bool TryTake(out T? item)
        {
            if (_items.Count > 0 && _taskOf(_items.Peek()).IsCompleted)
            {
                item = _items.Dequeue();
                if (_items.Count == 0) _last = null;
                return true;
            }
            item = null;
            return false;
        }

        /// <summary>Waits for the first item's work to finish; false when the queue is empty.</summary>
        internal bool WaitForFirst()
        {
            if (_items.Count == 0) return false;
            Task first = _taskOf(_items.Peek());
            if (!first.IsCompleted) _waitAny(new[] { first });
            return true;
        }
    }
}
