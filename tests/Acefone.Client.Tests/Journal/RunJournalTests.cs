using System;
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
    /// <summary>The run journal on its own: keys, states, write-ahead, torn lines, the lock, read-only use.</summary>
    public sealed class RunJournalTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "acefone-journal-" + Guid.NewGuid().ToString("n"));

        public RunJournalTests() => Directory.CreateDirectory(_folder);

        public void Dispose()
        {
            try { Directory.Delete(_folder, true); } catch (IOException) { }
        }

        private string NewPath() => Path.Combine(_folder, Guid.NewGuid().ToString("n") + ".jsonl");

        private static readonly CallActionRequest[] Kinds =
        {
            CallOptionRequest.Create(CallOperation.Monitor, "1714657799.1", "0502842370001"),
            CallOptionRequest.Create(CallOperation.Whisper, "1714657799.1", "0502842370001"),
            CallOptionRequest.Create(CallOperation.Barge, "1714657799.1", "0502842370002"),
            CallOptionRequest.Create(CallOperation.Transfer, "1714657799.1", null, new[] { "8004", "9876543210" }),
            CallHangupRequest.Create("1714657799.1"),
        };

        [Fact]
        public void A_line_read_back_has_the_duplicate_key_of_the_request_that_wrote_it()
        {
            using RunJournal journal = RunJournal.Open(NewPath(), readOnly: false);
            foreach (CallActionRequest request in Kinds)
            {
                string line = Encoding.UTF8.GetString(journal.Format(request, 7, JournalState.Sending, null, null, null));
                JournalRecord? record = JournalLines.Parse(line.TrimEnd('\n'), out string? key);
                Assert.NotNull(record);
                Assert.Equal(request.DuplicateKey, key);
                Assert.Equal(request.CallId, record!.CallId);
                Assert.Equal(7, record.Row);
            }
            // Different rows stay different: no two of these requests share a key.
            Assert.Equal(Kinds.Length, Kinds.Select(k => k.DuplicateKey).Distinct().Count());
        }

        [Fact]
        public async Task Each_line_carries_operation_call_destination_row_time_and_module_version()
        {
            string path = NewPath();
            using (RunJournal journal = RunJournal.Open(path, readOnly: false))
            {
                await journal.Send(Kinds[3], 3, () => Task.FromResult<object>("ok"));
            }
            string[] lines = File.ReadAllLines(path);
            Assert.Equal(2, lines.Length);
            using JsonDocument sending = JsonDocument.Parse(lines[0]);
            using JsonDocument done = JsonDocument.Parse(lines[1]);
            Assert.Equal("sending", sending.RootElement.GetProperty("state").GetString());
            Assert.Equal("succeeded", done.RootElement.GetProperty("state").GetString());
            Assert.Equal("Transfer", done.RootElement.GetProperty("operation").GetString());
            Assert.Equal("1714657799.1", done.RootElement.GetProperty("callId").GetString());
            Assert.Equal("8004,9876543210", done.RootElement.GetProperty("intercom").GetString());
            Assert.Equal(3, done.RootElement.GetProperty("row").GetInt64());
            Assert.EndsWith("Z", done.RootElement.GetProperty("time").GetString());
            Assert.True(DateTimeOffset.TryParse(done.RootElement.GetProperty("time").GetString(), out _));
            Assert.Matches(@"^\d+\.\d+\.\d+", done.RootElement.GetProperty("module").GetString());
        }

        [Fact]
        public async Task The_sending_line_is_in_the_file_before_the_request_leaves()
        {
            string path = NewPath();
            string? seenBeforeSend = null;
            using (RunJournal journal = RunJournal.Open(path, readOnly: false))
            {
                await journal.Send(Kinds[0], 1, () =>
                {
                    using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                    seenBeforeSend = new StreamReader(reader).ReadToEnd();
                    return Task.FromResult<object>("ok");
                });
            }
            Assert.Contains("\"state\":\"sending\"", seenBeforeSend);
            Assert.DoesNotContain("succeeded", seenBeforeSend);
        }

        [Theory]
        [InlineData("succeeded", true)]
        [InlineData("OutcomeUnknown", true)]
        [InlineData("InvalidResponse", true)]
        [InlineData("ServerError500", true)]
        [InlineData("cancelled", true)]
        [InlineData("ServerError503", false)]
        [InlineData("RateLimited", false)]
        [InlineData("CallNotActive", false)]
        [InlineData("NetworkError", false)]
        public async Task A_rerun_skips_what_may_have_acted_and_resends_what_certainly_did_not(string outcome, bool skipped)
        {
            string path = NewPath();
            using (RunJournal journal = RunJournal.Open(path, readOnly: false))
            {
                Task<object> task = journal.Send(Kinds[3], 1, () => Outcome(outcome));
                try { await task; } catch (Exception) { }
            }
            using RunJournal rerun = RunJournal.Open(path, readOnly: false);
            JournalRecord? earlier = rerun.FindSent(Kinds[3]);
            Assert.Equal(skipped, earlier != null);
            Assert.Equal(skipped ? 1 : 0, rerun.Skipped);
            if (skipped) Assert.Equal(AcefoneErrorKind.AlreadySent, rerun.AlreadySent(Kinds[3], earlier!).Kind);
            // Another row of the same call is a different row.
            Assert.Null(rerun.FindSent(Kinds[4]));
        }

        private static Task<object> Outcome(string outcome)
        {
            switch (outcome)
            {
                case "succeeded": return Task.FromResult<object>("ok");
                case "cancelled": return Task.FromCanceled<object>(new CancellationToken(true));
                case "ServerError500": return Task.FromException<object>(new AcefoneException(AcefoneErrorKind.ServerError, "500") { StatusCode = 500 });
                case "ServerError503": return Task.FromException<object>(new AcefoneException(AcefoneErrorKind.ServerError, "503") { StatusCode = 503 });
                default: return Task.FromException<object>(new AcefoneException((AcefoneErrorKind)Enum.Parse(typeof(AcefoneErrorKind), outcome), outcome));
            }
        }

        [Fact]
        public void A_row_killed_after_its_sending_line_is_already_sent_with_the_time_in_the_message()
        {
            string path = NewPath();
            using (RunJournal journal = RunJournal.Open(path, readOnly: false))
            {
                // The send never finishes: the process "dies" with only the sending line written.
                _ = journal.Send(Kinds[1], 1, () => new TaskCompletionSource<object>().Task);
            }
            using RunJournal rerun = RunJournal.Open(path, readOnly: false);
            JournalRecord? earlier = rerun.FindSent(Kinds[1]);
            Assert.NotNull(earlier);
            Assert.Equal(JournalState.Sending, earlier!.State);
            string message = rerun.AlreadySent(Kinds[1], earlier).Message;
            Assert.Contains("no outcome recorded", message);
            Assert.Contains(path, message);
            Assert.Matches(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ", message);
        }

        [Fact]
        public async Task A_torn_last_line_is_ignored_with_a_warning_and_the_next_record_starts_on_its_own_line()
        {
            string path = NewPath();
            using (RunJournal journal = RunJournal.Open(path, readOnly: false))
            {
                await journal.Send(Kinds[0], 1, () => Task.FromResult<object>("ok"));
            }
            File.AppendAllText(path, "{\"v\":1,\"time\":\"2026-12-02T07:00:00.000Z\",\"state\":\"send");
            using (RunJournal rerun = RunJournal.Open(path, readOnly: false))
            {
                Assert.Contains(rerun.Warnings, w => w.Contains("torn"));
                Assert.NotNull(rerun.FindSent(Kinds[0]));
                await rerun.Send(Kinds[2], 2, () => Task.FromResult<object>("ok"));
            }
            using RunJournal third = RunJournal.Open(path, readOnly: true);
            Assert.NotNull(third.FindSent(Kinds[2]));
            Assert.Single(third.Warnings);   // the torn fragment, now a bad line in the middle; the new records are whole
            Assert.Contains("not a journal record", third.Warnings[0]);
        }

        [Fact]
        public void A_second_writer_is_refused_while_the_first_holds_the_journal_and_admitted_after()
        {
            string path = NewPath();
            using (RunJournal first = RunJournal.Open(path, readOnly: false))
            {
                RunJournalException refused = Assert.Throws<RunJournalException>(() => RunJournal.Open(path, readOnly: false));
                Assert.Equal("JournalLocked", refused.ErrorId);
                Assert.Contains(path, refused.Message);
                // A reader (-WhatIf) is not a writer: it may look.
                using RunJournal reader = RunJournal.Open(path, readOnly: true);
            }
            using RunJournal again = RunJournal.Open(path, readOnly: false);
        }

        [Fact]
        public async Task A_read_only_journal_creates_and_writes_nothing()
        {
            string missing = NewPath();
            using (RunJournal journal = RunJournal.Open(missing, readOnly: true))
            {
                Assert.Throws<InvalidOperationException>(() => { _ = journal.Send(Kinds[0], 1, () => Task.FromResult<object>("ok")); });
            }
            Assert.False(File.Exists(missing));
            Assert.False(File.Exists(missing + ".lock"));

            string existing = NewPath();
            using (RunJournal journal = RunJournal.Open(existing, readOnly: false))
            {
                await journal.Send(Kinds[0], 1, () => Task.FromResult<object>("ok"));
            }
            byte[] before = File.ReadAllBytes(existing);
            using (RunJournal journal = RunJournal.Open(existing, readOnly: true))
            {
                Assert.NotNull(journal.FindSent(Kinds[0]));
            }
            Assert.Equal(before, File.ReadAllBytes(existing));
        }

        [Fact]
        public void A_folder_that_does_not_exist_is_a_clear_error()
        {
            string path = Path.Combine(_folder, "no-such-folder", "run.jsonl");
            RunJournalException error = Assert.Throws<RunJournalException>(() => RunJournal.Open(path, readOnly: false));
            Assert.Equal("JournalUnavailable", error.ErrorId);
        }

        [Fact]
        public async Task Concurrent_rows_each_get_a_whole_line()
        {
            string path = NewPath();
            var requests = Enumerable.Range(1, 200).Select(i => CallHangupRequest.Create("1714657799." + i)).ToArray();
            using (RunJournal journal = RunJournal.Open(path, readOnly: false))
            {
                await Task.WhenAll(requests.Select((r, i) => journal.Send(r, i + 1, async () => { await Task.Yield(); return (object)"ok"; })).ToArray());
            }
            string[] lines = File.ReadAllLines(path);
            Assert.Equal(400, lines.Length);
            foreach (string line in lines) Assert.NotNull(JournalLines.Parse(line, out _));
            using RunJournal rerun = RunJournal.Open(path, readOnly: true);
            Assert.Empty(rerun.Warnings);
            Assert.All(requests, r => Assert.Equal(JournalState.Succeeded, rerun.FindSent(r)!.State));
        }
    }
}
