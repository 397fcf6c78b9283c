using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// JournalWriteAhead against a store that records each append: a sending line is stored before its task completes,
    /// lines queued during an append share the next one, outcome lines wait for an append, and once an append fails
    /// nothing more is stored, sent or silently dropped (lost outcomes are counted).
    /// </summary>
    public sealed class JournalWriteAheadTests
    {
        /// <summary>A store that keeps each append's text; an append can be held (gate) or made to fail.</summary>
        private sealed class RecordingStore : IJournalStore
        {
            private readonly object _lock = new object();
            private readonly List<string> _appends = new List<string>();

            public RecordingStore(bool quick) => AppendsQuickly = quick;

            public string Name => "memory://journal";
            public bool AppendsQuickly { get; }
            public Exception? Failure { get; set; }
            public Exception? FailNextAppend { get; set; }
            public ManualResetEventSlim? Gate { get; set; }
            public ManualResetEventSlim AppendStarted { get; } = new ManualResetEventSlim();
            public int Syncs;
            public int AppendThread;

            public IReadOnlyList<string> Appends
            {
                get { lock (_lock) return _appends.ToList(); }
            }

            public void Append(byte[] buffer, int count)
            {
                AppendThread = Environment.CurrentManagedThreadId;
                AppendStarted.Set();
                Gate?.Wait(TimeSpan.FromSeconds(30));
                Exception? fail = FailNextAppend;
                if (fail != null)
                {
                    FailNextAppend = null;
                    throw fail;
                }
                lock (_lock) _appends.Add(Encoding.UTF8.GetString(buffer, 0, count));
            }

            public void Sync() => Interlocked.Increment(ref Syncs);
            public void TakeWriterLock() { }
            public Stream? OpenRead() => null;
            public void Dispose() { }
        }

        // The tick (every second in a run) stores outcome lines on its own; most tests must not race with it.
        private static readonly TimeSpan NoTick = Timeout.InfiniteTimeSpan;

        private static Action<Utf8JsonWriter> Line(string id) => w =>
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteEndObject();
        };

        /// <summary>WriteAhead's refusal: thrown by the call itself, before any task (the row must not be sent).</summary>
        private static RunJournalException RefusedAtOnce(JournalWriteAhead writer, string id)
        {
            try
            {
                _ = writer.WriteAhead(Line(id));
            }
            catch (RunJournalException ex)
            {
                return ex;
            }
            throw new Xunit.Sdk.XunitException("WriteAhead did not refuse at once.");
        }

        private static string Text(params string[] ids) => string.Concat(ids.Select(id => "{\"id\":\"" + id + "\"}\n"));

        private static async Task<T> Within<T>(Task<T> task) => await task.WaitAsync(TimeSpan.FromSeconds(20));

        private static async Task Within(Task task) => await task.WaitAsync(TimeSpan.FromSeconds(20));

        [Fact]
        public void A_quick_store_holds_the_sending_line_when_WriteAhead_returns_and_on_the_callers_thread()
        {
            var store = new RecordingStore(quick: true);
            using var writer = new JournalWriteAhead(store, startWithNewline: false, NoTick);
            Task stored = writer.WriteAhead(Line("1"));
            Assert.True(stored.IsCompletedSuccessfully);
            Assert.Equal(new[] { Text("1") }, store.Appends);
            Assert.Equal(Environment.CurrentManagedThreadId, store.AppendThread);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task After_a_torn_last_line_the_first_record_starts_on_a_line_of_its_own(bool quick)
        {
            var store = new RecordingStore(quick);
            using (var writer = new JournalWriteAhead(store, startWithNewline: true, NoTick)) await Within(writer.WriteAhead(Line("1")));
            Assert.Equal("\n" + Text("1"), string.Concat(store.Appends));
            var clean = new RecordingStore(quick);
            using (var writer = new JournalWriteAhead(clean, startWithNewline: false, NoTick)) await Within(writer.WriteAhead(Line("1")));
            Assert.Equal(Text("1"), string.Concat(clean.Appends));
        }

        [Fact]
        public async Task A_slow_store_is_appended_off_the_callers_thread_and_its_task_completes_only_once_stored()
        {
            var store = new RecordingStore(quick: false) { Gate = new ManualResetEventSlim() };
            using var writer = new JournalWriteAhead(store, startWithNewline: false, NoTick);
            Task stored = writer.WriteAhead(Line("1"));
            Assert.True(store.AppendStarted.Wait(TimeSpan.FromSeconds(20)));
            Assert.False(stored.IsCompleted);
            store.Gate.Set();
            await Within(stored);
            Assert.Equal(new[] { Text("1") }, store.Appends);
            Assert.NotEqual(Environment.CurrentManagedThreadId, store.AppendThread);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task Lines_queued_while_an_append_is_under_way_share_the_next_append(bool quick)
        {
            var store = new RecordingStore(quick) { Gate = new ManualResetEventSlim() };
            using var writer = new JournalWriteAhead(store, startWithNewline: false, NoTick);
            Task first = Task.Run(() => writer.WriteAhead(Line("1")));
            Assert.True(store.AppendStarted.Wait(TimeSpan.FromSeconds(20)));
            Task second = writer.WriteAhead(Line("2"));
            writer.WriteOutcome(Line("1-done"));
            Task third = writer.WriteAhead(Line("3"));
            Assert.False(second.IsCompleted);
            store.Gate.Set();
            await Within(Task.WhenAll(first, second, third));
            Assert.Equal(new[] { Text("1"), Text("2", "1-done", "3") }, store.Appends);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task An_outcome_line_waits_for_the_next_sending_line_and_goes_with_it(bool quick)
        {
            var store = new RecordingStore(quick);
            using var writer = new JournalWriteAhead(store, startWithNewline: false, NoTick);
            await Within(writer.WriteAhead(Line("1")));
            writer.WriteOutcome(Line("1-done"));
            Assert.Single(store.Appends);
            await Within(writer.WriteAhead(Line("2")));
            Assert.Equal(new[] { Text("1"), Text("1-done", "2") }, store.Appends);
        }

        [Fact]
        public async Task Without_a_tick_an_outcome_line_alone_is_not_stored_even_after_an_append_under_way_ends()
        {
            var store = new RecordingStore(quick: false) { Gate = new ManualResetEventSlim() };
            using var writer = new JournalWriteAhead(store, startWithNewline: false, NoTick);
            Task first = writer.WriteAhead(Line("1"));
            Assert.True(store.AppendStarted.Wait(TimeSpan.FromSeconds(20)));
            writer.WriteOutcome(Line("1-done"));
            store.Gate.Set();
            await Within(first);
            // Longer than a run's tick: the outcome waits for the next sending line, not an append of its own.
            await Task.Delay(1500);
            Assert.Equal(new[] { Text("1") }, store.Appends);
        }

        [Fact]
        public async Task An_outcome_line_alone_is_stored_by_the_next_tick_which_also_syncs()
        {
            var store = new RecordingStore(quick: true);
            using var writer = new JournalWriteAhead(store, startWithNewline: false, TimeSpan.FromMilliseconds(50));
            writer.WriteOutcome(Line("1-done"));
            DateTime until = DateTime.UtcNow.AddSeconds(20);
            while ((store.Appends.Count == 0 || Volatile.Read(ref store.Syncs) == 0) && DateTime.UtcNow < until) await Task.Delay(50);
            Assert.Equal(new[] { Text("1-done") }, store.Appends);
            Assert.True(Volatile.Read(ref store.Syncs) > 0);
            Assert.Equal(0, writer.UnrecordedOutcomes);
        }

        [Fact]
        public void Dispose_stores_what_is_pending_and_after_it_nothing_is_written()
        {
            var store = new RecordingStore(quick: true);
            var writer = new JournalWriteAhead(store, startWithNewline: false, NoTick);
            writer.WriteOutcome(Line("1-done"));
            writer.Dispose();
            Assert.Equal(new[] { Text("1-done") }, store.Appends);
            RunJournalException closed = RefusedAtOnce(writer, "2");
            Assert.Equal("JournalWriteFailed", closed.ErrorId);
            Assert.Contains("'memory://journal' is closed", closed.Message);
            Assert.Null(closed.InnerException);
            writer.WriteOutcome(Line("2-done"));
            writer.WriteOutcome(Line("3-done"));
            Assert.Equal(2, writer.UnrecordedOutcomes);
            writer.Dispose();
            Assert.Single(store.Appends);
        }

        [Fact]
        public void Dispose_with_nothing_pending_appends_nothing()
        {
            var store = new RecordingStore(quick: true);
            var writer = new JournalWriteAhead(store, startWithNewline: false, NoTick);
            writer.WriteAhead(Line("1"));
            writer.Dispose();
            Assert.Single(store.Appends);
        }

        [Fact]
        public async Task Dispose_waits_for_the_append_under_way_then_stores_the_rest()
        {
            var store = new RecordingStore(quick: false) { Gate = new ManualResetEventSlim() };
            var writer = new JournalWriteAhead(store, startWithNewline: false, NoTick);
            Task first = writer.WriteAhead(Line("1"));
            Assert.True(store.AppendStarted.Wait(TimeSpan.FromSeconds(20)));
            writer.WriteOutcome(Line("1-done"));
            Task disposed = Task.Run(writer.Dispose);
            await Task.Delay(300);
            Assert.False(disposed.IsCompleted);
            store.Gate.Set();
            await Within(disposed);
            await Within(first);
            Assert.Equal(new[] { Text("1"), Text("1-done") }, store.Appends);
            Assert.Equal(0, writer.UnrecordedOutcomes);
        }

        [Fact]
        public async Task A_sending_line_still_waiting_at_Dispose_is_stored_and_its_task_completes()
        {
            var store = new RecordingStore(quick: false) { Gate = new ManualResetEventSlim() };
            var writer = new JournalWriteAhead(store, startWithNewline: false, NoTick);
            Task first = writer.WriteAhead(Line("1"));
            Assert.True(store.AppendStarted.Wait(TimeSpan.FromSeconds(20)));
            Task second = writer.WriteAhead(Line("2"));
            Task disposed = Task.Run(writer.Dispose);
            store.Gate.Set();
            await Within(Task.WhenAll(first, second, disposed));
            Assert.Equal(Text("1", "2"), string.Concat(store.Appends));
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task A_failed_append_fails_its_sending_lines_then_refuses_at_once_and_counts_lost_outcomes(bool quick)
        {
            var store = new RecordingStore(quick);
            using var writer = new JournalWriteAhead(store, startWithNewline: false, NoTick);
            await Within(writer.WriteAhead(Line("1")));
            writer.WriteOutcome(Line("1-done"));
            var cause = new IOException("disk full");
            store.FailNextAppend = cause;
            Task doomed = writer.WriteAhead(Line("2"));
            RunJournalException failed = await Assert.ThrowsAsync<RunJournalException>(() => Within(doomed));
            Assert.Equal("JournalWriteFailed", failed.ErrorId);
            Assert.Same(cause, failed.InnerException);
            Assert.Contains("'memory://journal' could not be written (disk full)", failed.Message);
            // The outcome that went with the failed append is lost, and counted.
            Assert.Equal(1, writer.UnrecordedOutcomes);

            // The refusal names the failure that stopped the journal, even when the store later fails on its own too.
            store.Failure = new IOException("lease lost later");
            RunJournalException refused = RefusedAtOnce(writer, "3");
            Assert.Equal("JournalWriteFailed", refused.ErrorId);
            Assert.Same(cause, refused.InnerException);
            writer.WriteOutcome(Line("2-done"));
            Assert.Equal(2, writer.UnrecordedOutcomes);
            Assert.Equal(new[] { Text("1") }, store.Appends);
        }

        [Fact]
        public async Task Lines_waiting_behind_a_failed_append_fail_too_and_their_outcomes_are_counted()
        {
            var store = new RecordingStore(quick: false) { Gate = new ManualResetEventSlim(), FailNextAppend = new IOException("gone") };
            using var writer = new JournalWriteAhead(store, startWithNewline: false, NoTick);
            Task first = writer.WriteAhead(Line("1"));
            Assert.True(store.AppendStarted.Wait(TimeSpan.FromSeconds(20)));
            Task second = writer.WriteAhead(Line("2"));
            writer.WriteOutcome(Line("0-done"));
            store.Gate.Set();
            Assert.Equal("JournalWriteFailed", (await Assert.ThrowsAsync<RunJournalException>(() => Within(first))).ErrorId);
            Assert.Equal("JournalWriteFailed", (await Assert.ThrowsAsync<RunJournalException>(() => Within(second))).ErrorId);
            Assert.Equal(1, writer.UnrecordedOutcomes);
            Assert.Empty(store.Appends);
        }

        [Fact]
        public void A_store_that_has_failed_by_itself_refuses_the_next_sending_line()
        {
            var store = new RecordingStore(quick: false);
            using var writer = new JournalWriteAhead(store, startWithNewline: false, NoTick);
            store.Failure = new IOException("lost the lease");
            RunJournalException refused = RefusedAtOnce(writer, "1");
            Assert.Equal("JournalWriteFailed", refused.ErrorId);
            Assert.Contains("lost the lease", refused.Message);
            Assert.Empty(store.Appends);
        }

        [Fact]
        public void A_failed_append_at_Dispose_counts_the_outcomes_it_held()
        {
            var store = new RecordingStore(quick: true);
            var writer = new JournalWriteAhead(store, startWithNewline: false, NoTick);
            writer.WriteOutcome(Line("1-done"));
            writer.WriteOutcome(Line("2-done"));
            store.FailNextAppend = new IOException("disk full");
            writer.Dispose();
            Assert.Equal(2, writer.UnrecordedOutcomes);
            Assert.Empty(store.Appends);
        }
    }
}
