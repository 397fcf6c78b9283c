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
    /// Windows: LockFileEx on the handle, which is per handle already.
    /// </summary>
    internal static class JournalFileLock
    {
        private const long LockOffset = long.MaxValue - 1;
        private const int FOfdSetLk = 37;
        private const short FWrLck = 1;
        private const int EAgain = 11;
        private const int EAccess = 13;
        private const int EInval = 22;

        /// <summary>Takes the lock, or returns false when another writer holds it. Other failures throw.</summary>
        internal static bool TryTake(FileStream stream)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && TryOpenFileDescriptionLock(stream, out bool taken)) return taken;
            try
            {
                stream.Lock(LockOffset, 1);
                return true;
            }
            catch (IOException ex) when (IsLockConflict(ex))
            {
                return false;
            }
        }

        /// <summary>Whether an exception from opening or locking says another handle holds the file (a sharing or lock violation).</summary>
        internal static bool IsLockConflict(IOException ex)
        {
            int code = ex.HResult & 0xFFFF;
            // Windows ERROR_SHARING_VIOLATION (32), ERROR_LOCK_VIOLATION (33); Unix EWOULDBLOCK/EAGAIN (11, 35 on macOS).
            return ex.HResult == unchecked((int)0x80070020) || ex.HResult == unchecked((int)0x80070021) ||
                   (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows) && (code == EAgain || code == 35));
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

        /// <returns>False when this kernel or C library offers no such lock (the caller falls back to FileStream.Lock).</returns>
        private static bool TryOpenFileDescriptionLock(FileStream stream, out bool taken)
        {
            taken = false;
            var request = new FLock { Type = FWrLck, Whence = 0, Start = LockOffset, Length = 1 };
            int result;
            try
            {
                result = Fcntl((int)stream.SafeFileHandle.DangerousGetHandle(), FOfdSetLk, ref request);
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                return false;
            }
            if (result == 0)
            {
                taken = true;
                return true;
            }
            int error = Marshal.GetLastWin32Error();
            if (error == EAgain || error == EAccess) return true;
            if (error == EInval) return false;   // a kernel before 3.15
            throw new IOException($"The journal's lock could not be taken (errno {error}).", error);
        }
    }
}
