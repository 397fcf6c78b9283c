using System;
using System.IO;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// A journal in a local file. Appends are handed to the operating system at once (they survive the process being
    /// killed); <see cref="Sync"/> takes them to the disk (the journal calls it every second and once at the end).
    /// </summary>
    internal sealed class FileJournalStore : IJournalStore
    {
        private readonly object _syncGate = new object();
        private FileStream? _lock;
        private FileStream? _stream;
        // A second handle only for syncing to disk, so a slow fsync (a busy disk takes 100s of ms) never holds up an append.
        private FileStream? _syncHandle;
        private volatile bool _dirty;

        internal FileJournalStore(string fullPath)
        {
            Name = fullPath;
        }

        public string Name { get; }

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
            try
            {
                // The lock is the open handle: the operating system releases it when the process ends, even by kill -9,
                // so a stale .lock file left by a crash never blocks the next run.
                _lock = new FileStream(Name + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException || ex is DirectoryNotFoundException || ex is PathTooLongException)
            {
                throw new RunJournalException("JournalUnavailable", $"The journal '{Name}' cannot be locked for writing: {ex.Message}", ex);
            }
            catch (IOException ex)
            {
                throw new RunJournalException("JournalLocked",
                    $"The journal '{Name}' is in use by another run (its lock file '{Name}.lock' is held). Wait for that run to end, or use another -JournalPath.", ex);
            }

            try
            {
                // bufferSize 1: every append goes straight to the operating system, so it survives the process being killed.
                // Sharing write access lets the sync handle in; the lock file is what keeps a second run out.
                _stream = new FileStream(Name, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
                _syncHandle = new FileStream(Name, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new RunJournalException("JournalUnavailable", $"The journal '{Name}' cannot be opened for writing: {ex.Message}", ex);
            }
        }

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
            _lock?.Dispose();
            _lock = null;
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
