using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Acefone.Client
{
    /// <summary>
    /// The one-writer lock of a journal file, held on the journal's own open handle (issue 24): whatever path leads
    /// to the file (a symbolic link, a linked folder, a hard link), a second writer meets the same lock, and the
    /// operating system drops it when the process ends, even by kill -9. It covers one byte far past any content, so
    /// readers are never blocked. Linux: an open-file-description lock (per handle; .NET's own FileStream.Lock takes a
    /// per-process POSIX lock there, which a second handle in the same process passes and closing any handle drops).
    /// Windows: LockFileEx on the handle, which is per handle already. macOS: .NET offers no byte-range lock
    /// (FileStream.Lock throws PlatformNotSupportedException), and a whole-file flock would collide with the shared
    /// flock .NET takes on every handle, readers included; a file journal is refused there with its own ErrorId.
    /// </summary>
    internal static class JournalFileLock
    {
        private const long LockOffset = long.MaxValue - 1;
        private const int FOfdSetLk = 37;
        private const short FWrLck = 1;
        private const int EAgain = 11;
        private const int EAgainBsd = 35;
        private const int EAccess = 13;
        private const int EInval = 22;
        private const int WindowsSharingViolation = unchecked((int)0x80070020);
        private const int WindowsLockViolation = unchecked((int)0x80070021);

        /// <summary>What fcntl(F_OFD_SETLK) answered.</summary>
        internal enum OpenFileDescriptionLock
        {
            Taken,
            HeldByAnother,
            /// <summary>A kernel before 3.15, or a C library without fcntl: fall back to FileStream.Lock.</summary>
            NotOffered,
        }

        /// <summary>Takes the lock, or returns false when another writer holds it. Other failures throw.</summary>
        internal static bool TryTake(FileStream stream) => TryTake(stream, RuntimeInformation.IsOSPlatform(OSPlatform.Linux));

        /// <summary>As above; <paramref name="openFileDescriptionLockFirst"/> false takes FileStream.Lock's lock, as a kernel before 3.15 does.</summary>
        internal static bool TryTake(FileStream stream, bool openFileDescriptionLockFirst)
        {
            if (openFileDescriptionLockFirst)
            {
                OpenFileDescriptionLock answer = TryOpenFileDescriptionLock(stream);
                if (answer != OpenFileDescriptionLock.NotOffered) return answer == OpenFileDescriptionLock.Taken;
            }
            try
            {
                stream.Lock(LockOffset, 1);
                return true;
            }
            catch (IOException ex) when (IsLockConflict(ex))
            {
                return false;
            }
            catch (PlatformNotSupportedException ex)
            {
                throw Unsupported(stream.Name, ex);
            }
        }

        internal static RunJournalException Unsupported(string journal, Exception inner) =>
            new RunJournalException("JournalLockUnsupported",
                $"The journal '{journal}' cannot be locked: this operating system offers .NET no lock on a file's own handle (Linux and Windows do; macOS does not), and without it a second run could act on the same calls. Run the bulk job on Linux or Windows, or give -JournalPath an append blob's URL (about_Acefone_Journal).", inner);

        /// <summary>Whether an exception from opening or locking says another handle holds the file (a sharing or lock violation).</summary>
        internal static bool IsLockConflict(IOException ex) =>
            IsLockConflict(ex.HResult, RuntimeInformation.IsOSPlatform(OSPlatform.Windows));

        /// <summary>
        /// Windows ERROR_SHARING_VIOLATION (32) and ERROR_LOCK_VIOLATION (33) as HResults; elsewhere .NET puts the raw
        /// errno in HResult: EWOULDBLOCK/EAGAIN, 11 on Linux and 35 on the BSDs. On Windows a bare 11 or 35 is another
        /// error (ERROR_BAD_FORMAT, ERROR_TOO_MANY_TCBS), never a lock.
        /// </summary>
        internal static bool IsLockConflict(int hresult, bool isWindows)
        {
            if (hresult == WindowsSharingViolation || hresult == WindowsLockViolation) return true;
            return !isWindows && (hresult == EAgain || hresult == EAgainBsd);
        }

        /// <summary>Reads fcntl(F_OFD_SETLK)'s answer. EACCES is POSIX's other spelling of "held"; EINVAL means no such command.</summary>
        internal static OpenFileDescriptionLock ReadOpenFileDescriptionLock(int result, int errno)
        {
            if (result == 0) return OpenFileDescriptionLock.Taken;
            if (errno == EAgain || errno == EAccess) return OpenFileDescriptionLock.HeldByAnother;
            if (errno == EInval) return OpenFileDescriptionLock.NotOffered;
            throw new IOException($"The journal's lock could not be taken (errno {errno}).", errno);
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct FLock
        {
            public short Type;
            public short Whence;
            public long Start;
            public long Length;
            public int Pid;
        }

        [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
        private static extern int Fcntl(int fd, int command, ref FLock flock);

        private static OpenFileDescriptionLock TryOpenFileDescriptionLock(FileStream stream)
        {
            var request = new FLock { Type = FWrLck, Whence = 0, Start = LockOffset, Length = 1 };
            int result;
            try
            {
                result = Fcntl((int)stream.SafeFileHandle.DangerousGetHandle(), FOfdSetLk, ref request);
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                return OpenFileDescriptionLock.NotOffered;
            }
            return ReadOpenFileDescriptionLock(result, Marshal.GetLastWin32Error());
        }
    }
}
