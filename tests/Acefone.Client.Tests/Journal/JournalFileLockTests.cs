using System;
using System.IO;
using System.Runtime.InteropServices;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// The journal lock's platform decisions as pure functions (issue 24 item 1): which errors mean "another writer
    /// holds it" on Windows, Linux and the BSDs, what fcntl(F_OFD_SETLK) answered, and the refusal where .NET has no
    /// handle lock. A Linux run reaches only one branch of each for real; these cover the others.
    /// </summary>
    public sealed class JournalFileLockTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "acefone-filelock-" + Guid.NewGuid().ToString("n"));

        public JournalFileLockTests() => Directory.CreateDirectory(_folder);

        public void Dispose()
        {
            try { Directory.Delete(_folder, true); } catch (IOException) { }
        }

        [Theory]
        [InlineData(unchecked((int)0x80070020), true, true)]    // ERROR_SHARING_VIOLATION
        [InlineData(unchecked((int)0x80070021), true, true)]    // ERROR_LOCK_VIOLATION
        [InlineData(unchecked((int)0x80070020), false, true)]   // the same HResult wherever it comes from
        [InlineData(unchecked((int)0x80070021), false, true)]
        [InlineData(11, false, true)]                           // EAGAIN/EWOULDBLOCK on Linux
        [InlineData(35, false, true)]                           // EAGAIN on the BSDs
        [InlineData(11, true, false)]                           // ERROR_BAD_FORMAT on Windows: not a lock
        [InlineData(35, true, false)]                           // ERROR_TOO_MANY_TCBS on Windows
        [InlineData(unchecked((int)0x8007000B), false, false)]  // a Windows HResult whose low word is 11
        [InlineData(unchecked((int)0x80070023), false, false)]  // ERROR_SHARING_BUFFER_EXCEEDED (36): next to the two, not one
        [InlineData(unchecked((int)0x8007001F), true, false)]   // ERROR_GEN_FAILURE (31)
        [InlineData(10, false, false)]
        [InlineData(12, false, false)]
        [InlineData(34, false, false)]
        [InlineData(36, false, false)]
        [InlineData(13, false, false)]                          // EACCES: .NET makes it UnauthorizedAccessException, not a lock
        [InlineData(30, false, false)]                          // EROFS: JournalReadOnly
        [InlineData(0, false, false)]
        public void A_lock_conflict_is_told_apart_from_every_other_error_on_each_platform(int hresult, bool isWindows, bool conflict)
        {
            Assert.Equal(conflict, JournalFileLock.IsLockConflict(hresult, isWindows));
        }

        [Fact]
        public void The_exception_form_reads_the_HResult_as_this_platform_does()
        {
            bool windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            Assert.True(JournalFileLock.IsLockConflict(new IOException("x", unchecked((int)0x80070020))));
            Assert.Equal(!windows, JournalFileLock.IsLockConflict(new IOException("x", 11)));
            Assert.False(JournalFileLock.IsLockConflict(new IOException("x", 5)));
        }

        [Theory]
        [InlineData(0, 0, "Taken")]
        [InlineData(0, 11, "Taken")]           // a stale errno after success means nothing
        [InlineData(-1, 11, "HeldByAnother")]  // EAGAIN
        [InlineData(-1, 13, "HeldByAnother")]  // EACCES, POSIX's other answer for a held lock
        [InlineData(-1, 22, "NotOffered")]     // EINVAL: a kernel before 3.15 has no F_OFD_SETLK
        public void What_fcntl_answered_is_read_as_taken_held_or_not_offered(int result, int errno, string expected)
        {
            Assert.Equal(expected, JournalFileLock.ReadOpenFileDescriptionLock(result, errno).ToString());
        }

        [Theory]
        [InlineData(9)]    // EBADF
        [InlineData(12)]   // ENOLCK's neighbour ENOMEM
        [InlineData(37)]   // ENOLCK
        [InlineData(10)]
        [InlineData(14)]
        [InlineData(21)]
        [InlineData(23)]
        [InlineData(0)]
        public void Any_other_fcntl_failure_is_an_error_that_names_the_errno_never_taken_or_held(int errno)
        {
            IOException error = Assert.Throws<IOException>(() => JournalFileLock.ReadOpenFileDescriptionLock(-1, errno));
            Assert.Equal(errno, error.HResult);
            Assert.Contains($"(errno {errno})", error.Message);
            Assert.StartsWith("The journal's lock could not be taken", error.Message);
        }

        [Fact]
        public void Where_NET_has_no_handle_lock_the_journal_is_refused_with_its_own_ErrorId_and_a_way_out()
        {
            var cause = new PlatformNotSupportedException("Locking/unlocking file regions is not supported on this platform.");
            RunJournalException refused = JournalFileLock.Unsupported("/Users/ops/run.jsonl", cause);
            Assert.Equal("JournalLockUnsupported", refused.ErrorId);
            Assert.Same(cause, refused.InnerException);
            Assert.Contains("'/Users/ops/run.jsonl'", refused.Message);
            Assert.Contains("macOS", refused.Message);
            Assert.Contains("Linux and Windows", refused.Message);
            Assert.Contains("append blob's URL", refused.Message);
        }

        [Fact]
        public void On_this_machine_a_second_handle_meets_the_first_ones_lock_until_it_is_closed()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) return;   // refused there, see above
            string path = Path.Combine(_folder, "run.jsonl");
            using var second = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            using (var first = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
                Assert.True(JournalFileLock.TryTake(first));
                Assert.False(JournalFileLock.TryTake(second));
                // A reader is not blocked by the lock: it covers one byte far past any content.
                using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                Assert.Equal(0, reader.ReadByte() + 1);
            }
            Assert.True(JournalFileLock.TryTake(second));
        }
        [Fact]
        public void The_fallback_lock_of_old_kernels_and_the_open_file_description_lock_keep_each_other_out()
        {
            // Linux makes the two kinds conflict even within one process (fcntl(2)), so each can be seen from the other.
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return;
            string path = Path.Combine(_folder, "run.jsonl");
            using (var fallback = Open(path))
            using (var modern = Open(path))
            {
                Assert.True(JournalFileLock.TryTake(fallback, openFileDescriptionLockFirst: false));
                Assert.False(JournalFileLock.TryTake(modern, openFileDescriptionLockFirst: true));
            }
            using (var modern = Open(path))
            using (var fallback = Open(path))
            {
                Assert.True(JournalFileLock.TryTake(modern, openFileDescriptionLockFirst: true));
                Assert.False(JournalFileLock.TryTake(fallback, openFileDescriptionLockFirst: false));
            }
        }

        private static FileStream Open(string path) =>
            new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
    }
}
