using System;
using System.IO;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// A journal in a local file, locked on its own handle (<see cref="JournalFileLock"/>). Appends are handed to the operating system at once (they survive the process being
    /// killed); <see cref="Sync"/> takes them to the disk (the journal calls it every second and once at the end).
    /// </summary>
    internal sealed class FileJournalStore : IJournalStore
    {
        private readonly object _syncGate = new object();
        private FileStream? _stream;
        // A second handle only for syncing to disk, so a slow fsync (a busy disk takes 100s of ms) never holds up an append.
        private FileStream? _syncHandle;
        private volatile bool _dirty;

        internal FileJournalStore(string fullPath)
        {
            Name = fullPath;
        }

        public string Name { get; }

        public bool AppendsQuickly => true;

        public Exception? Failure => null;

        private void CheckFolder()
        {
            string? folder = Path.GetDirectoryName(Name);
            if (folder != null && !System.IO.Directory.Exists(folder))
                throw new RunJournalException("JournalUnavailable", $"The journal's folder '{folder}' does not exist.");
        }

        public void TakeWriterLock()
        {
            CheckFolder();
            FileStream stream;
            try
            {
                // bufferSize 1: every append goes straight to the operating system, so it survives the process being killed.
                // Readers (and this store's sync handle) may share it; writers meet the lock below.
                stream = new FileStream(Name, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw CannotWrite(ex);
            }

            try
            {
                if (!JournalFileLock.TryTake(stream))
                    throw new RunJournalException("JournalLocked",
                        $"The journal '{Name}' is in use by another run, which holds its lock (whatever path that run named it by). Wait for that run to end, or use another -JournalPath.");
                _syncHandle = new FileStream(Name, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
            }
            catch (RunJournalException)
            {
                // JournalLocked, or JournalLockUnsupported: the handle must not outlive the refusal.
                stream.Dispose();
                throw;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                stream.Dispose();
                throw CannotWrite(ex);
            }
            _stream = stream;
        }

        /// <summary>Each cause its own ErrorId (issue 24): a runbook that reads JournalLocked as "another job has this batch" must not meet it for a read-only disk.</summary>
        private RunJournalException CannotWrite(Exception ex)
        {
            if (ex is UnauthorizedAccessException)
                return new RunJournalException("JournalAccessDenied",
                    $"The journal '{Name}' cannot be written: this account has no permission to write it or its folder ({ex.Message}). Use a -JournalPath this account may write.", ex);
            var io = (IOException)ex;
            if (IsReadOnlyFileSystem(io))
                return new RunJournalException("JournalReadOnly",
                    $"The journal '{Name}' cannot be written: its file system is read-only ({ex.Message}). Use a -JournalPath on a writable disk.", ex);
            if (JournalFileLock.IsLockConflict(io))
                return new RunJournalException("JournalLocked",
                    $"The journal '{Name}' is in use by another program, which holds it open without sharing ({ex.Message}). Wait for it to end, or use another -JournalPath.", ex);
            return new RunJournalException("JournalUnavailable", $"The journal '{Name}' cannot be opened for writing: {ex.Message}", ex);
        }

        /// <summary>EROFS (30) on Linux and macOS, ERROR_WRITE_PROTECT (19) on Windows.</summary>
        internal static bool IsReadOnlyFileSystem(IOException ex) =>
            ex.HResult == 30 || ex.HResult == unchecked((int)0x80070013);

        public Stream? OpenRead()
        {
            CheckFolder();
            try
            {
                return new FileStream(Name, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new RunJournalException("JournalUnavailable", $"The journal '{Name}' cannot be read: {ex.Message}", ex);
            }
        }

        public void Append(byte[] buffer, int count)
        {
            FileStream stream = _stream ?? throw new ObjectDisposedException(Name);
            // Append semantics: each group goes to the file's end as it is now, never to an offset remembered from before.
            stream.Seek(0, SeekOrigin.End);
            stream.Write(buffer, 0, count);
            stream.Flush(flushToDisk: false);
            _dirty = true;
        }

        public void Sync()
        {
            if (!_dirty) return;
            _dirty = false;
            // fsync syncs the file, whichever handle asks (FlushFileBuffers likewise on Windows): appends go on meanwhile.
            lock (_syncGate)
            {
                try
                {
                    _syncHandle?.Flush(flushToDisk: true);
                }
                catch (Exception ex) when (ex is IOException || ex is ObjectDisposedException)
                {
                    // The lines are with the operating system; only this sync failed. The next tick or the end tries again.
                    _dirty = true;
                }
            }
        }

        /// <summary>
        /// Releases the lock and syncs the file to disk in the background: the lines already survive the process, and
        /// a busy disk's fsync (100s of ms) must not hold up the pipeline's end.
        /// </summary>
        public void Dispose()
        {
            FileStream? syncHandle;
            _stream?.Dispose();
            _stream = null;
            lock (_syncGate)
            {
                syncHandle = _syncHandle;
                _syncHandle = null;
            }
            if (syncHandle == null) return;
            FileStream handle = syncHandle;
            Task.Run(() =>
            {
                lock (_syncGate)
                {
                    try
                    {
                        handle.Flush(flushToDisk: true);
                    }
                    catch (IOException)
                    {
                        // The operating system writes the lines back on its own.
                    }
                    handle.Dispose();
                }
            });
        }
    }
}
