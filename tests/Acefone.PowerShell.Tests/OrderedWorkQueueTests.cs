using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Acefone.PowerShell.Tests
{
    /// <summary>
    /// The bulk runs' ordered work queue on its own: finished items come back in input order whatever order the work
    /// finishes in, never more than the throttle limit in flight, failures and a stopped wait handled. Mostly in
    /// "virtual time": the test's wait finishes one of the tasks it is given, chosen by a seeded random source.
    /// </summary>
    public class OrderedWorkQueueTests
    {
        private static readonly TimeSpan Backstop = TimeSpan.FromSeconds(60);

        private sealed class Item
        {
            internal Item(int index, Task task)
            {
                Index = index;
                Task = task;
            }

            internal int Index { get; }
            internal Task Task { get; }
        }

        /// <summary>Work the test finishes by hand, in the order it likes.</summary>
        private sealed class ManualWork
        {
            private readonly Random _random;
            private readonly Dictionary<Task, TaskCompletionSource<int>> _sources = new Dictionary<Task, TaskCompletionSource<int>>();

            private readonly int _finishOneIn;

            /// <param name="finishOneIn">Between two rows, each piece of work in flight finishes on its own with a chance of one in this.</param>
            internal ManualWork(int seed, int finishOneIn = 3)
            {
                _random = new Random(seed);
                _finishOneIn = finishOneIn;
            }

            internal int Waits { get; private set; }
            internal List<Task[]> WaitedOn { get; } = new List<Task[]>();

            internal Task Start()
            {
                var source = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                _sources[source.Task] = source;
                return source.Task;
            }

            /// <summary>Finishes one task: every fifth one fails, one in seven is cancelled, the rest succeed.</summary>
            internal void Finish(Task task)
            {
                TaskCompletionSource<int> source = _sources[task];
                int n = _random.Next(35);
                if (n % 5 == 0) source.SetException(new InvalidOperationException("failed"));
                else if (n % 7 == 0) source.SetCanceled();
                else source.SetResult(n);
            }

            /// <summary>The queue's wait: one of the given tasks finishes.</summary>
            internal void WaitAny(Task[] tasks)
            {
                Waits++;
                WaitedOn.Add(tasks);
                Assert.NotEmpty(tasks);
                Assert.All(tasks, t => Assert.False(t.IsCompleted, "the queue waits only on unfinished work"));
                Finish(tasks[_random.Next(tasks.Length)]);
            }

            /// <summary>Out of order: some work in flight finishes on its own, before anyone waits for it.</summary>
            internal void FinishSomeAtRandom(IEnumerable<Item> items)
            {
                foreach (Item item in items.Where(i => !i.Task.IsCompleted).ToList())
                    if (_random.Next(_finishOneIn) == 0) Finish(item.Task);
            }
        }

        private static OrderedWorkQueue<Item> NewQueue(int limit, Action<Task[]> waitAny) => new OrderedWorkQueue<Item>(limit, i => i.Task, waitAny);

        /// <summary>Runs <paramref name="rows"/> items through the queue as the dispatcher does; returns the order they came back in.</summary>
        private static List<int> Drive(OrderedWorkQueue<Item> queue, ManualWork work, int rows, Action<OrderedWorkQueue<Item>> check)
        {
            var taken = new List<int>();
            void TakeFinished()
            {
                while (queue.TryTake(out Item? done)) taken.Add(done!.Index);
            }
            for (int i = 0; i < rows; i++)
            {
                while (!queue.WaitForRoom()) TakeFinished();
                check(queue);
                queue.Add(new Item(i, work.Start()));
                check(queue);
                work.FinishSomeAtRandom(queue.Items);
                queue.WaitIfSequential();
                TakeFinished();
                check(queue);
            }
            while (queue.WaitForFirst()) TakeFinished();
            return taken;
        }

        [Theory]
        [InlineData(1, 1)]
        [InlineData(2, 2)]
        [InlineData(3, 3)]
        [InlineData(8, 4)]
        [InlineData(16, 5)]
        [InlineData(64, 6)]
        public void Items_come_back_in_input_order_whatever_order_their_work_finishes_in(int limit, int seed)
        {
            var work = new ManualWork(seed, 2 * limit);
            OrderedWorkQueue<Item> queue = NewQueue(limit, work.WaitAny);
            int mostInFlight = 0;
            int mostHeld = 0;
            List<int> taken = Drive(queue, work, 500, q =>
            {
                mostInFlight = Math.Max(mostInFlight, q.InFlight);
                mostHeld = Math.Max(mostHeld, q.Count);
            });
            Assert.Equal(Enumerable.Range(0, 500), taken);
            Assert.InRange(mostInFlight, 1, limit);
            Assert.InRange(mostHeld, 1, queue.Capacity);
            Assert.Equal(0, queue.Count);
            if (limit > 1) Assert.Equal(limit, mostInFlight);   // the bound is reached, not only respected
        }

        [Theory]
        [InlineData(1)]
        [InlineData(4)]
        [InlineData(16)]
        public void With_real_threads_at_most_the_limit_run_at_once_and_order_is_kept(int limit)
        {
            int running = 0;
            int mostRunning = 0;
            var random = new Random(limit);
            OrderedWorkQueue<Item> queue = NewQueue(limit, tasks => Assert.True(Task.WaitAny(tasks, Backstop) >= 0, "backstop"));
            var taken = new List<int>();
            for (int i = 0; i < 200; i++)
            {
                while (!queue.WaitForRoom())
                    while (queue.TryTake(out Item? done)) taken.Add(done!.Index);
                int spin = random.Next(20_000);
                Task task = Task.Run(() =>
                {
                    int now = Interlocked.Increment(ref running);
                    int seen;
                    while ((seen = Volatile.Read(ref mostRunning)) < now && Interlocked.CompareExchange(ref mostRunning, now, seen) != seen) { }
                    Thread.SpinWait(spin);
                    Interlocked.Decrement(ref running);
                });
                // The item stands for the work from the start: it counts as in flight until it finished.
                queue.Add(new Item(i, task));
                queue.WaitIfSequential();
                while (queue.TryTake(out Item? done)) taken.Add(done!.Index);
            }
            while (queue.WaitForFirst())
                while (queue.TryTake(out Item? done)) taken.Add(done!.Index);
            Assert.Equal(Enumerable.Range(0, 200), taken);
            Assert.InRange(mostRunning, 1, limit);
        }

        [Fact]
        public void At_a_limit_of_one_each_item_is_finished_before_the_next_row_is_asked_for()
        {
            var work = new ManualWork(7);
            OrderedWorkQueue<Item> queue = NewQueue(1, work.WaitAny);
            for (int i = 0; i < 5; i++)
            {
                Assert.True(queue.WaitForRoom());
                var item = new Item(i, work.Start());
                queue.Add(item);
                queue.WaitIfSequential();
                Assert.True(item.Task.IsCompleted, "the sparse-input rule: the answer comes before the next row");
                Assert.Same(item.Task, work.WaitedOn.Last().Single());
                Assert.True(queue.TryTake(out Item? done));
                Assert.Same(item, done);
            }
        }

        [Fact]
        public void Above_a_limit_of_one_adding_never_waits()
        {
            var work = new ManualWork(8);
            OrderedWorkQueue<Item> queue = NewQueue(2, work.WaitAny);
            queue.Add(new Item(0, work.Start()));
            queue.WaitIfSequential();
            queue.Add(new Item(1, work.Start()));
            queue.WaitIfSequential();
            Assert.Equal(0, work.Waits);
            Assert.Equal(2, queue.InFlight);
        }

        [Fact]
        public void Starting_more_than_the_limit_is_refused_but_a_finished_item_still_joins_the_line()
        {
            var work = new ManualWork(9);
            OrderedWorkQueue<Item> queue = NewQueue(2, work.WaitAny);
            queue.Add(new Item(0, work.Start()));
            queue.Add(new Item(1, work.Start()));
            Assert.Throws<InvalidOperationException>(() => queue.Add(new Item(2, work.Start())));
            queue.Add(new Item(3, Task.FromException(new InvalidOperationException("refused"))));
            Assert.Equal(3, queue.Count);
            Assert.Equal(new[] { 0, 1, 3 }, queue.Items.Select(i => i.Index));
        }

        [Fact]
        public void A_failure_with_nothing_unfinished_before_it_is_handed_back_before_more_work_starts()
        {
            var work = new ManualWork(10);
            OrderedWorkQueue<Item> queue = NewQueue(8, work.WaitAny);
            Task first = work.Start();
            queue.Add(new Item(0, first));
            queue.Add(new Item(1, Task.FromException(new InvalidOperationException("auth"))));
            // Behind unfinished work the failure waits its turn: there is room, so more may start.
            Assert.True(queue.WaitForRoom());
            work.Finish(first);
            Assert.False(queue.WaitForRoom());
            Assert.True(queue.TryTake(out Item? a));
            Assert.True(queue.TryTake(out Item? b));
            Assert.Equal(new[] { 0, 1 }, new[] { a!.Index, b!.Index });
            Assert.True(queue.WaitForRoom());
        }

        [Fact]
        public void Finished_successes_do_not_hold_up_the_next_start()
        {
            var work = new ManualWork(11);
            OrderedWorkQueue<Item> queue = NewQueue(2, work.WaitAny);
            queue.Add(new Item(0, Task.CompletedTask));
            queue.Add(new Item(1, Task.CompletedTask));
            Assert.True(queue.WaitForRoom());
            Assert.Equal(0, work.Waits);
        }

        [Fact]
        public void Finished_items_behind_a_slow_one_are_bounded_and_the_wait_is_for_the_slow_one()
        {
            var work = new ManualWork(12);
            OrderedWorkQueue<Item> queue = NewQueue(2, work.WaitAny);
            Task slow = work.Start();
            queue.Add(new Item(0, slow));
            for (int i = 1; i < queue.Capacity; i++) queue.Add(new Item(i, Task.CompletedTask));
            Assert.Equal(1, queue.InFlight);
            // Room in flight, but the queue is full: the one way to make room is the slow one finishing.
            Assert.False(queue.WaitForRoom());
            Assert.Same(slow, work.WaitedOn.Single().Single());
            Assert.True(queue.TryTake(out Item? head));
            Assert.Equal(0, head!.Index);
        }

        [Fact]
        public void Faulted_and_cancelled_work_comes_back_like_any_other_and_the_queue_never_throws_it()
        {
            OrderedWorkQueue<Item> queue = NewQueue(4, _ => throw new Xunit.Sdk.XunitException("nothing to wait for"));
            queue.Add(new Item(0, Task.FromException(new InvalidOperationException("x"))));
            queue.Add(new Item(1, Task.FromCanceled(new CancellationToken(true))));
            queue.Add(new Item(2, Task.CompletedTask));
            Assert.True(queue.WaitForFirst());
            var statuses = new List<TaskStatus>();
            while (queue.TryTake(out Item? done)) statuses.Add(done!.Task.Status);
            Assert.Equal(new[] { TaskStatus.Faulted, TaskStatus.Canceled, TaskStatus.RanToCompletion }, statuses);
            Assert.False(queue.WaitForFirst());
        }

        [Fact]
        public void A_stopped_wait_ends_the_call_and_leaves_every_item_in_place_for_the_stop_report()
        {
            var stopped = new OperationCanceledException("Ctrl+C");
            OrderedWorkQueue<Item> queue = NewQueue(1, _ => throw stopped);
            var never = new TaskCompletionSource<int>();
            queue.Add(new Item(0, never.Task));
            Assert.Same(stopped, Assert.Throws<OperationCanceledException>(() => queue.WaitIfSequential()));
            Assert.Same(stopped, Assert.Throws<OperationCanceledException>(() => queue.WaitForRoom()));
            Assert.Same(stopped, Assert.Throws<OperationCanceledException>(() => queue.WaitForFirst()));
            Assert.False(queue.TryTake(out _));
            Assert.Equal(new[] { 0 }, queue.Items.Select(i => i.Index));
            Assert.Equal(1, queue.InFlight);
        }
    }
}
