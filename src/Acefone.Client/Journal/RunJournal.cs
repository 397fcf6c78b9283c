using System;
using System.Collections.Generic;
using System.IO;
using System.Security;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// The write-ahead record of a bulk run, one JSON object per line (format: about_Acefone_Journal). A row is stored
    /// as sending before its request leaves; its outcome follows when known. A re-run with the same journal sends
    /// nothing it shows as sending, unknown or succeeded. Rows are keyed exactly as the duplicate-row check keys them
    /// (<see cref="CallActionRequest.DuplicateKey"/>). One writer at a time, kept out by the store. Where the bytes
    /// live is the store's business (<see cref="IJournalStore"/>); the lines are <see cref="JournalLines"/>'.
    /// Thread-safe.
    /// </summary>
    public sealed partial class RunJournal : IDisposable
    {
        private readonly IJournalStore _store;
        private readonly string _run = Guid.NewGuid().ToString("n");
        private JournalHistory? _history;
        private JournalWriteAhead? _writer;
        private long _skipped;
        private int _disposed;

        private RunJournal(IJournalStore store, bool readOnly)
        {
            _store = store;
            ReadOnly = readOnly;
        }

        /// <summary>How messages name the journal: the full path of its file, or its blob's URL without the query.</summary>
        public string Path => _store.Name;

        /// <summary>True for -WhatIf: the journal is read and never written (and may not exist).</summary>
        public bool ReadOnly { get; }

        /// <summary>What reading found and skipped over (a torn last line, a line that is not a record).</summary>
        public IReadOnlyList<string> Warnings => _history!.Warnings;

        /// <summary>How many rows <see cref="FindSent"/> reported as already sent.</summary>
        public long Skipped => Interlocked.Read(ref _skipped);

        /// <summary>How many distinct rows the journal held when it was opened.</summary>
        public int RowsRead => _history!.Last.Count;

        /// <summary>Outcome lines that could not be stored: their rows stay 'sending' (a re-run does not resend them).</summary>
        public long UnrecordedOutcomes => _writer?.UnrecordedOutcomes ?? 0;

        /// <summary>
        /// Opens (or creates) a journal file to write, taking its lock; or, with <paramref name="readOnly"/>, only reads it.
        /// Throws <see cref="RunJournalException"/> when it is locked by another run or cannot be opened.
        /// </summary>
        public static RunJournal Open(string path, bool readOnly)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("A journal path is required.", nameof(path));
            return Open(new FileJournalStore(System.IO.Path.GetFullPath(path)), readOnly);
        }

        /// <summary>
        /// Opens a journal file, or an append blob when <paramref name="pathOrUrl"/> is an http(s) URL (authorised by a
        /// SAS in its query, else <paramref name="accessToken"/>, else a managed identity). <paramref name="notice"/>
        /// hears what the person should know while it opens (waiting for a dead run's lease).
        /// </summary>
        public static RunJournal Open(string pathOrUrl, bool readOnly, SecureString? accessToken, Action<string>? notice)
        {
            if (string.IsNullOrWhiteSpace(pathOrUrl)) throw new ArgumentException("A journal path is required.", nameof(pathOrUrl));
            if (!BlobJournalStore.IsBlobUrl(pathOrUrl)) return Open(pathOrUrl, readOnly);
            return Open(BlobJournalStore.Create(pathOrUrl, accessToken, notice), readOnly);
        }

        /// <summary>How messages may name a journal: a blob URL without its query (a SAS is a secret), a path as it is.</summary>
        public static string DisplayName(string pathOrUrl) =>
            BlobJournalStore.IsBlobUrl(pathOrUrl) && Uri.TryCreate(pathOrUrl, UriKind.Absolute, out Uri? uri) ? uri.GetLeftPart(UriPartial.Path) : pathOrUrl;

        internal static RunJournal Open(IJournalStore store, bool readOnly)
        {
            var journal = new RunJournal(store, readOnly);
            try
            {
                if (!readOnly) store.TakeWriterLock();
                journal._history = JournalHistory.Read(store.OpenRead(), store.Name);
                if (!readOnly) journal._writer = new JournalWriteAhead(store, startWithNewline: !journal._history.EndsWithNewline);
                return journal;
            }
            catch
            {
                journal.Dispose();
                throw;
            }
        }

        /// <summary>The latest record of this row, when it says the row must not be sent again; counts it as skipped.</summary>
        public JournalRecord? FindSent(CallActionRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            // Read-only after Open: no lock needed.
            if (!_history!.Last.TryGetValue(request.DuplicateKey, out JournalRecord? record) || !record.BlocksResend) return null;
            Interlocked.Increment(ref _skipped);
            return record;
        }

        /// <summary>The AlreadySent error for a row <see cref="FindSent"/> found: what the journal says, and when.</summary>
        public AcefoneException AlreadySent(CallActionRequest request, JournalRecord earlier) => JournalText.AlreadySent(Path, request, earlier);

        /// <summary>
        /// Stores the row as sending, then sends it and queues its outcome line before the returned task completes.
        /// Throws <see cref="RunJournalException"/> (and sends nothing) when the journal has already failed; the task
        /// fails with one (and nothing was sent) when the sending line could not be stored.
        /// </summary>
        internal Task<T> Send<T>(CallActionRequest request, long row, Func<Task<T>> send)
        {
            if (_writer == null) throw new InvalidOperationException("A read-only journal (-WhatIf) is never written.");
            Task stored = _writer.WriteAhead(w => JournalLines.Write(w, _run, request, row, JournalState.Sending, null, null, null));
            return SendWhenStored(request, row, stored, send);
        }

        private async Task<T> SendWhenStored<T>(CallActionRequest request, long row, Task stored, Func<Task<T>> send)
        {
            // Write-ahead: a row's request leaves only once the store holds its sending line.
            await stored.ConfigureAwait(false);
            T result;
            try
            {
                result = await send().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                (JournalState state, string? errorId, int? status, string message) = Classify(ex);
                _writer!.WriteOutcome(w => JournalLines.Write(w, _run, request, row, state, errorId, status, message));
                throw;
            }
            _writer!.WriteOutcome(w => JournalLines.Write(w, _run, request, row, JournalState.Succeeded, null, null, null));
            return result;
        }

        /// <summary>Which state a failure leaves a row in: failed only where the API certainly did not act (<see cref="Outcome"/>'s word).</summary>
        internal static (JournalState State, string? ErrorId, int? Status, string Message) Classify(Exception exception)
        {
            if (exception is AcefoneException acefone)
            {
                return (Outcome.MayHaveActed(acefone) ? JournalState.Unknown : JournalState.Failed, acefone.Kind.ToString(), acefone.StatusCode, acefone.Message);
            }
            if (exception is OperationCanceledException)
                return (JournalState.Unknown, "Stopped", null, "the run was stopped before an answer came; the API may have acted on it.");
            return (JournalState.Unknown, "UnexpectedError", null, exception.Message);
        }

        /// <summary>One line, as <see cref="Send"/> writes it (for tests).</summary>
        internal byte[] Format(CallActionRequest request, long row, JournalState state, string? errorId, int? status, string? message)
        {
            using (var buffer = new MemoryStream(256))
            {
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    JournalLines.Write(writer, _run, request, row, state, errorId, status, message);
                }
                buffer.WriteByte((byte)'\n');
                return buffer.ToArray();
            }
        }

        /// <summary>
        /// Stores the last lines and releases the store (the file's lock, the blob's lease). Lines that arrive later
        /// are not stored (their rows stay 'sending') and are counted in <see cref="UnrecordedOutcomes"/>.
        /// </summary>
        public void Dispose()
        {
            // A stop and the end of the run may both close it.
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            _writer?.Dispose();
            _store.Dispose();
        }
    }
}
