using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// The file journal's one-writer lock on the journal's own handle (issue 24 item 1): every path that leads to
    /// the file meets it, readers are not blocked, appends never overwrite, and a journal that cannot be written
    /// for another reason says which.
    /// </summary>
    public sealed class FileJournalStoreTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "acefone-filestore-" + Guid.NewGuid().ToString("n"));

        public FileJournalStoreTests() => Directory.CreateDirectory(_folder);

        public void Dispose()
        {
            try { Directory.Delete(_folder, true); } catch (IOException) { }
        }

        private static readonly CallActionRequest Row1 = CallHangupRequest.Create("1714657799.1");
        private static readonly CallActionRequest Row2 = CallHangupRequest.Create("1714657799.2");

        private static bool CanMakeLinks => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        private static void AssertLocked(string path)
        {
            RunJournalException refused = Assert.Throws<RunJournalException>(() => RunJournal.Open(path, readOnly: false));
            Assert.Equal("JournalLocked", refused.ErrorId);
        }

        [Fact]
        public void A_second_writer_through_a_symbolic_link_to_the_file_is_refused()
        {
            if (!CanMakeLinks) return;   // symbolic links need a privilege on Windows
            string real = Path.Combine(_folder, "run.jsonl");
            string link = Path.Combine(_folder, "link.jsonl");
            using RunJournal first = RunJournal.Open(real, readOnly: false);
            File.CreateSymbolicLink(link, real);
            AssertLocked(link);
        }

        [Fact]
        public void A_second_writer_through_a_linked_folder_and_a_dot_dot_spelling_is_refused()
        {
            if (!CanMakeLinks) return;
            // <folder>/a/b/run.jsonl is the journal; <folder>/c is a link to <folder>/a/b, so <folder>/c/run.jsonl is it
            // too, and so is <folder>/x/../c/run.jsonl. A path that is lexically another one names the same file.
            string deep = Path.Combine(_folder, "a", "b");
            Directory.CreateDirectory(deep);
            Directory.CreateDirectory(Path.Combine(_folder, "x"));
            Directory.CreateSymbolicLink(Path.Combine(_folder, "c"), deep);
            using RunJournal first = RunJournal.Open(Path.Combine(deep, "run.jsonl"), readOnly: false);
            AssertLocked(Path.Combine(_folder, "c", "run.jsonl"));
            AssertLocked(Path.Combine(_folder, "x", "..", "c", "run.jsonl"));
        }

        [Fact]
        public void A_second_writer_through_a_hard_link_is_refused()
        {
            if (!CanMakeLinks) return;
            string real = Path.Combine(_folder, "run.jsonl");
            string hard = Path.Combine(_folder, "hard.jsonl");
            using RunJournal first = RunJournal.Open(real, readOnly: false);
            using (Process ln = Process.Start(new ProcessStartInfo("ln", $"\"{real}\" \"{hard}\"") { UseShellExecute = false })!)
            {
                ln.WaitForExit();
                Assert.Equal(0, ln.ExitCode);
            }
            AssertLocked(hard);
        }

        [Fact]
        public async Task Readers_are_not_blocked_while_a_writer_holds_the_lock_and_the_lock_ends_with_the_writer()
        {
            string path = Path.Combine(_folder, "run.jsonl");
            using (RunJournal journal = RunJournal.Open(path, readOnly: false))
            {
                await journal.Send(Row1, 1, () => Task.FromResult<object>("ok"));
                Assert.Contains("\"state\":\"sending\"", File.ReadAllText(path));
                using RunJournal whatIf = RunJournal.Open(path, readOnly: true);
                Assert.NotNull(whatIf.FindSent(Row1));
            }
            using RunJournal again = RunJournal.Open(path, readOnly: false);
        }

        [Fact]
        public async Task Appends_go_to_the_end_of_the_file_and_never_overwrite_bytes_another_handle_wrote()
        {
            string path = Path.Combine(_folder, "run.jsonl");
            const string foreign = "{\"note\":\"written by another program\"}\n";
            using (RunJournal journal = RunJournal.Open(path, readOnly: false))
            {
                await journal.Send(Row1, 1, () => Task.FromResult<object>("ok"));
                // Another handle appends between two of ours (the lock keeps our writers out; nothing keeps a foreign one out).
                using (var other = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) other.Write(System.Text.Encoding.UTF8.GetBytes(foreign));
                await journal.Send(Row2, 2, () => Task.FromResult<object>("ok"));
            }
            string text = File.ReadAllText(path);
            Assert.Contains(foreign, text);
            using RunJournal rerun = RunJournal.Open(path, readOnly: true);
            Assert.Equal(JournalState.Succeeded, rerun.FindSent(Row1)!.State);
            Assert.Equal(JournalState.Succeeded, rerun.FindSent(Row2)!.State);
        }

        [Theory]
        [InlineData(30, "JournalReadOnly")]                      // EROFS
        [InlineData(unchecked((int)0x80070013), "JournalReadOnly")] // ERROR_WRITE_PROTECT
        [InlineData(5, "JournalUnavailable")]                    // EIO: something else, said as it is
        public void Each_cause_of_an_unwritable_journal_is_told_apart_from_a_lock(int hresult, string errorId)
        {
            Assert.Equal(errorId == "JournalReadOnly", FileJournalStore.IsReadOnlyFileSystem(new IOException("x", hresult)));
            Assert.False(JournalFileLock.IsLockConflict(new IOException("x", hresult)));
        }

        [Fact]
        public async Task A_journal_on_a_read_only_file_system_is_JournalReadOnly_not_JournalLocked()
        {
            // A real read-only mount where the test may make one (Linux as root, as in CI's containers); elsewhere the
            // classification above is what is tested.
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || Environment.UserName != "root") return;
            string mountPoint = Path.Combine(_folder, "mnt");
            Directory.CreateDirectory(mountPoint);
            if (Run("mount", $"-t tmpfs -o size=1m tmpfs \"{mountPoint}\"") != 0) return;
            try
            {
                string path = Path.Combine(mountPoint, "run.jsonl");
                using (RunJournal journal = RunJournal.Open(path, readOnly: false))
                {
                    await journal.Send(Row1, 1, () => Task.FromResult<object>("ok"));
                }
                // The journal's last fsync runs in the background and holds a write handle until it ends: until then the
                // remount is refused as busy.
                int remount = -1;
                for (int attempt = 0; attempt < 100 && remount != 0; attempt++)
                {
                    remount = Run("mount", $"-o remount,ro \"{mountPoint}\"");
                    if (remount != 0) await Task.Delay(100);
                }
                Assert.Equal(0, remount);
                RunJournalException error = Assert.Throws<RunJournalException>(() => RunJournal.Open(path, readOnly: false));
                Assert.Equal("JournalReadOnly", error.ErrorId);
                Assert.Contains("read-only", error.Message);
                // Reading it (-WhatIf) still works.
                using RunJournal reader = RunJournal.Open(path, readOnly: true);
                Assert.NotNull(reader.FindSent(Row1));
            }
            finally
            {
                Run("umount", $"-l \"{mountPoint}\"");
            }
        }

        private static int Run(string file, string arguments)
        {
            using Process process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false, RedirectStandardError = true })!;
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode;
        }
    }
}
