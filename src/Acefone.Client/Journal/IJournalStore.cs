using System;
using System.IO;

namespace Acefone.Client
{
    /// <summary>
    /// Where a run journal's bytes live (a file, an append blob). The store knows nothing of lines or rows: it keeps
    /// bytes in the order they were appended, keeps other writers out, and says when an append is durable.
    /// </summary>
    internal interface IJournalStore : IDisposable
    {
        /// <summary>How messages name the journal: the full path, or the blob's URL without its query (a SAS is a secret).</summary>
        string Name { get; }

        /// <summary>
        /// Takes the one-writer hold for the whole run, before anything is read or sent. Throws
        /// <see cref="RunJournalException"/>: JournalLocked when another writer holds it, another ErrorId for any other cause.
        /// </summary>
        void TakeWriterLock();

        /// <summary>Everything stored so far, from the start; null when the journal does not exist yet.</summary>
        Stream? OpenRead();

        /// <summary>
        /// Stores <paramref name="count"/> bytes after everything stored before, as one group; returns once the store
        /// has them (a file: handed to the operating system; a blob: the service answered). Throws on failure; after a
        /// failure nothing more is appended.
        /// </summary>
        void Append(byte[] buffer, int count);

        /// <summary>Makes what was appended survive a machine crash where the store needs a step for that (a file's fsync).</summary>
        void Sync();

        /// <summary>
        /// Whether an append takes microseconds (a file: handed to the operating system). The write-ahead then appends
        /// on the caller's thread when no append is under way, instead of handing each batch to another thread.
        /// </summary>
        bool AppendsQuickly { get; }

        /// <summary>Set once the store can take no more appends (a lost lease): the journal stops sending at once.</summary>
        Exception? Failure { get; }
    }
}
