using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>Get-AcefoneJournal's reader: one record per row (its last state), in input order, without the writer's lock.</summary>
    public sealed class JournalReaderTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "acefone-reader-" + Guid.NewGuid().ToString("n"));

        public JournalReaderTests() => Directory.CreateDirectory(_folder);

        public void Dispose()
        {
            try { Directory.Delete(_folder, true); } catch (IOException) { }
        }

        private string NewPath() => Path.Combine(_folder, Guid.NewGuid().ToString("n") + ".jsonl");

        [Fact]
        public async Task One_record_per_row_its_last_state_in_the_order_rows_first_appear_read_while_the_writer_holds_the_lock()
        {
            string path = NewPath();
            using (RunJournal journal = RunJournal.Open(path, readOnly: false))
            {
                await journal.Send(Sessions.Transfer("1.3", "8004"), 1, () => Task.FromResult(1));
                await Assert.ThrowsAsync<AcefoneException>(() => journal.Send<int>(Sessions.Transfer("1.1", "8005"), 2,
                    () => throw new AcefoneException(AcefoneErrorKind.OutcomeUnknown, "no answer")));
                await journal.Send(CallHangupRequest.Create("1.2"), 3, () => Task.FromResult(1));
                // Same call, another destination: another row.
                await journal.Send(Sessions.Transfer("1.3", "8006"), 4, () => Task.FromResult(1));
                journal.Dispose();
            }
            // A second run writing it now: the reader neither waits for nor disturbs its lock.
            using RunJournal writer = RunJournal.Open(path, readOnly: false);
            JournalContents contents = JournalReader.ReadFile(path);
            Assert.Equal(new[] { "1.3", "1.1", "1.2", "1.3" }, contents.Rows.Select(r => r.CallId));
            Assert.Equal(new long[] { 1, 2, 3, 4 }, contents.Rows.Select(r => r.Row));
            Assert.Equal(new[] { JournalState.Succeeded, JournalState.Unknown, JournalState.Succeeded, JournalState.Succeeded }, contents.Rows.Select(r => r.State));
            Assert.Equal("OutcomeUnknown", contents.Rows[1].ErrorId);
            Assert.Equal("8005", contents.Rows[1].Intercom);
            Assert.Equal("Hangup", contents.Rows[2].Operation);
            Assert.All(contents.Rows, r => Assert.NotNull(r.Time));
            Assert.Empty(contents.Warnings);
            // The writer still holds it: a third writer is refused.
            Assert.Equal("JournalLocked", Assert.Throws<RunJournalException>(() => RunJournal.Open(path, readOnly: false)).ErrorId);
        }

        [Fact]
        public void A_torn_last_line_and_a_line_that_is_not_a_record_are_warnings_and_a_missing_journal_is_an_error()
        {
            string path = NewPath();
            File.WriteAllText(path,
                "{\"v\":1,\"time\":\"2026-12-02T07:40:00Z\",\"state\":\"sending\",\"row\":1,\"operation\":\"Transfer\",\"callId\":\"1.1\",\"intercom\":\"8004\"}\n" +
                "not json\n" +
                "{\"v\":1,\"time\":\"2026-12-02T07:40:01Z\",\"state\":\"succ");
            JournalContents contents = JournalReader.ReadFile(path);
            JournalRecord row = Assert.Single(contents.Rows);
            Assert.Equal(JournalState.Sending, row.State);
            Assert.Equal(2, contents.Warnings.Count);
            Assert.Contains("Line 2", contents.Warnings[0]);
            Assert.Contains("last line (3)", contents.Warnings[1]);

            RunJournalException missing = Assert.Throws<RunJournalException>(() => JournalReader.ReadFile(Path.Combine(_folder, "none.jsonl")));
            Assert.Equal("JournalUnavailable", missing.ErrorId);
            Assert.Contains("does not exist", missing.Message);
        }
    }
}
