using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>What a journal line says about a row. The names are written in camelCase and are stable.</summary>
    public enum JournalState
    {
        /// <summary>Written before the request leaves: it may have acted even if no later line says so.</summary>
        Sending,
        Succeeded,
        /// <summary>The API certainly did not act (refused, 429/503 after every retry, nothing sent): a re-run sends it again.</summary>
        Failed,
        /// <summary>It may have acted: no answer, an unreadable answer, a 5xx other than 503, or cut off by a stop.</summary>
        Unknown,
    }

    /// <summary>One journal line as read back.</summary>
    public sealed class JournalRecord
    {
        internal JournalRecord(JournalState state, string operation, string callId, string? agentId, string? intercom, long row,
            DateTimeOffset? time, string? errorId, int? status, string? message)
        {
            State = state;
            Operation = operation;
            CallId = callId;
            AgentId = agentId;
            Intercom = intercom;
            Row = row;
            Time = time;
            ErrorId = errorId;
            Status = status;
            Message = message;
        }

        public JournalState State { get; }
        public string Operation { get; }
        public string CallId { get; }
        public string? AgentId { get; }
        public string? Intercom { get; }
        public long Row { get; }
        public DateTimeOffset? Time { get; }
        public string? ErrorId { get; }
        public int? Status { get; }
        public string? Message { get; }

        /// <summary>Whether a re-run must not send this row again.</summary>
        public bool BlocksResend => State != JournalState.Failed;
    }

    /// <summary>Why a journal cannot be used; the cmdlets turn it into a terminating error with <see cref="ErrorId"/>.</summary>
    public sealed class RunJournalException : IOException
    {
        internal RunJournalException(string errorId, string message, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
        }

        /// <summary>JournalLocked, JournalUnavailable or JournalWriteFailed.</summary>
        public string ErrorId { get; }
    }

    /// <summary>
    /// The write-ahead record of a bulk run, one JSON object per line (format: about_Acefone_Journal). A row is written
    /// as sending, and handed to the operating system, before its request leaves; its outcome follows when known. A
    /// re-run with the same file sends nothing the journal shows as sending, unknown or succeeded. Rows are keyed
    /// exactly as the duplicate-row check keys them (<see cref="CallActionRequest.DuplicateKey"/>). One writer at a
    /// time: a second one is refused by a lock file beside the journal. Thread-safe.
    /// </summary>
    public sealed class RunJournal : IDisposable
    {
        internal const int FormatVersion = 1;
        private static readonly TimeSpan SyncInterval = TimeSpan.FromSeconds(1);
        private static readonly string ModuleVersion = ReadModuleVersion();

        private readonly object _gate = new object();
        private readonly Dictionary<string, JournalRecord> _last = new Dictionary<string, JournalRecord>(StringComparer.Ordinal);
        private readonly List<string> _warnings = new List<string>();
        private readonly string _run = Guid.NewGuid().ToString("n");
        private FileStream? _lock;
        private FileStream? _stream;
        // A second handle only for syncing to disk, so a slow fsync (a busy disk takes 100s of ms) never holds up a row's write.
        private FileStream? _syncHandle;
        private readonly object _syncGate = new object();
        private Timer? _syncTimer;
        // Lines not yet handed to the operating system: outcome lines wait here for the next sending line (one write
        // for both) or the next timer tick. A lost outcome line leaves its row 'sending', which a re-run never resends.
        private readonly MemoryStream _pending = new MemoryStream(4096);
        private Utf8JsonWriter? _lineWriter;
        private bool _dirty;
        private bool _disposed;
        private Exception? _writeFailure;
        private long _skipped;

        private RunJournal(string path, bool readOnly)
        {
            Path = path;
            ReadOnly = readOnly;
        }

        /// <summary>The full path of the journal file.</summary>
        public string Path { get; }

        /// <summary>True for -WhatIf: the journal is read and never written (and may not exist).</summary>
        public bool ReadOnly { get; }

        /// <summary>What reading found and skipped over (a torn last line, a line that is not a record).</summary>
        public IReadOnlyList<string> Warnings => _warnings;

        /// <summary>How many rows <see cref="FindSent"/> reported as already sent.</summary>
        public long Skipped => Interlocked.Read(ref _skipped);

        /// <summary>How many distinct rows the journal held when it was opened.</summary>
        public int RowsRead => _last.Count;

        /// <summary>
        /// Opens (or creates) a journal to write, taking its lock; or, with <paramref name="readOnly"/>, only reads it.
        /// Throws <see cref="RunJournalException"/> when it is locked by another run or cannot be opened.
        /// </summary>
        public static RunJournal Open(string path, bool readOnly)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("A journal path is required.", nameof(path));
            var journal = new RunJournal(System.IO.Path.GetFullPath(path), readOnly);
            try
            {
                journal.OpenCore();
                return journal;
            }
            catch
            {
                journal.Dispose();
                throw;
            }
        }

        private void OpenCore()
        {
            string? folder = System.IO.Path.GetDirectoryName(Path);
            if (folder != null && !Directory.Exists(folder))
                throw new RunJournalException("JournalUnavailable", $"The journal's folder '{folder}' does not exist.");

            if (!ReadOnly)
            {
                try
                {
                    // The lock is the open handle: the operating system releases it when the process ends, even by kill -9,
                    // so a stale .lock file left by a crash never blocks the next run.
                    _lock = new FileStream(Path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
                }
                catch (Exception ex) when (ex is UnauthorizedAccessException || ex is DirectoryNotFoundException || ex is PathTooLongException)
                {
                    throw new RunJournalException("JournalUnavailable", $"The journal '{Path}' cannot be locked for writing: {ex.Message}", ex);
                }
                catch (IOException ex)
                {
                    throw new RunJournalException("JournalLocked",
                        $"The journal '{Path}' is in use by another run (its lock file '{Path}.lock' is held). Wait for that run to end, or use another -JournalPath.", ex);
                }
            }

            bool endsWithNewline = Read();
            if (ReadOnly) return;

            try
            {
                // bufferSize 1: every line goes straight to the operating system, so it survives the process being killed.
                // Sharing write access lets the sync handle in; the lock file is what keeps a second run out.
                _stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
                _syncHandle = new FileStream(Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
                // A torn last line must not swallow the first new record.
                if (!endsWithNewline) WriteBytes(new[] { (byte)'\n' });
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new RunJournalException("JournalUnavailable", $"The journal '{Path}' cannot be opened for writing: {ex.Message}", ex);
            }
            _syncTimer = new Timer(_ => SyncIfDirty(), null, SyncInterval, SyncInterval);
        }

        /// <summary>Reads every line; returns whether the file is empty or ends with a newline.</summary>
        private bool Read()
        {
            FileStream file;
            try
            {
                file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (FileNotFoundException)
            {
                return true;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new RunJournalException("JournalUnavailable", $"The journal '{Path}' cannot be read: {ex.Message}", ex);
            }

            using (file)
            {
                if (file.Length == 0) return true;
                file.Seek(-1, SeekOrigin.End);
                bool endsWithNewline = file.ReadByte() == '\n';
                file.Seek(0, SeekOrigin.Begin);
                using (var reader = new StreamReader(file, new UTF8Encoding(false), false, 65536, leaveOpen: true))
                {
                    long number = 0;
                    string? line;
                    while ((line = reader.ReadLine()) != null)
                    {
                        number++;
                        if (line.Trim().Length == 0) continue;
                        bool last = reader.Peek() < 0;
                        JournalRecord? record = Parse(line, out string? key);
                        if (record != null && key != null)
                        {
                            _last[key] = record;
                        }
                        else if (last && !endsWithNewline)
                        {
                            _warnings.Add($"The journal '{Path}' ends with a torn line {number} (the run that wrote it was cut off); it was ignored.");
                        }
                        else
                        {
                            _warnings.Add($"Line {number} of the journal '{Path}' is not a journal record; it was ignored.");
                        }
                    }
                }
                return endsWithNewline;
            }
        }

        /// <summary>The latest record of this row, when it says the row must not be sent again; counts it as skipped.</summary>
        public JournalRecord? FindSent(CallActionRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            JournalRecord? record;
            lock (_gate)
            {
                if (!_last.TryGetValue(request.DuplicateKey, out record) || !record.BlocksResend) return null;
            }
            Interlocked.Increment(ref _skipped);
            return record;
        }

        /// <summary>The AlreadySent error for a row <see cref="FindSent"/> found: what the journal says, and when.</summary>
        public AcefoneException AlreadySent(CallActionRequest request, JournalRecord earlier)
        {
            string when = earlier.Time.HasValue ? " at " + earlier.Time.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : string.Empty;
            string what;
            switch (earlier.State)
            {
                case JournalState.Succeeded:
                    what = $"succeeded{when}";
                    break;
                case JournalState.Sending:
                    what = $"was sent{when} with no outcome recorded (that run was stopped or killed before the answer)";
                    break;
                default:
                    what = $"has an unknown outcome{when}" + (earlier.ErrorId != null ? $" ({earlier.ErrorId})" : string.Empty) + ": the API may have acted on it";
                    break;
            }
            return new AcefoneException(AcefoneErrorKind.AlreadySent,
                $"{request.Describe()}: the journal '{Path}' shows it {what}; it was not sent again. Check the call, then send it without this journal if it is still needed.")
            {
                CallId = request.CallId,
                Operation = (request as CallOptionRequest)?.Operation,
            };
        }

        /// <summary>
        /// Writes the row as sending, then sends it and writes its outcome before the returned task completes.
        /// Throws <see cref="RunJournalException"/> (and sends nothing) when the sending line cannot be written.
        /// </summary>
        internal Task<T> Send<T>(CallActionRequest request, long row, Func<Task<T>> send)
        {
            Write(request, row, JournalState.Sending, null, null, null, throwOnFailure: true);
            Task<T> task;
            try
            {
                task = send();
            }
            catch (Exception ex)
            {
                task = Task.FromException<T>(ex);
            }
            return Finish(request, row, task);
        }

        private async Task<T> Finish<T>(CallActionRequest request, long row, Task<T> sending)
        {
            T result;
            try
            {
                result = await sending.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                (JournalState state, string? errorId, int? status, string message) = Classify(ex);
                Write(request, row, state, errorId, status, message, throwOnFailure: false);
                throw;
            }
            Write(request, row, JournalState.Succeeded, null, null, null, throwOnFailure: false);
            return result;
        }

        /// <summary>Which state a failure leaves a row in: failed only where the API certainly did not act.</summary>
        internal static (JournalState State, string? ErrorId, int? Status, string Message) Classify(Exception exception)
        {
            if (exception is AcefoneException acefone)
            {
                bool mayHaveActed = acefone.Kind == AcefoneErrorKind.OutcomeUnknown || acefone.Kind == AcefoneErrorKind.InvalidResponse ||
                                    (acefone.Kind == AcefoneErrorKind.ServerError && acefone.StatusCode != 503);
                return (mayHaveActed ? JournalState.Unknown : JournalState.Failed, acefone.Kind.ToString(), acefone.StatusCode, acefone.Message);
            }
            if (exception is OperationCanceledException)
                return (JournalState.Unknown, "Stopped", null, "the run was stopped before an answer came; the API may have acted on it.");
            return (JournalState.Unknown, "UnexpectedError", null, exception.Message);
        }

        private void Write(CallActionRequest request, long row, JournalState state, string? errorId, int? status, string? message, bool throwOnFailure)
        {
            lock (_gate)
            {
                if (ReadOnly) throw new InvalidOperationException("A read-only journal (-WhatIf) is never written.");
                if (_disposed || _writeFailure != null)
                {
                    if (!throwOnFailure) return;
                    throw new RunJournalException("JournalWriteFailed",
                        _writeFailure != null ? $"The journal '{Path}' could not be written ({_writeFailure.Message}); nothing more is sent." : $"The journal '{Path}' is closed; nothing more is sent.",
                        _writeFailure);
                }
                try
                {
                    if (_lineWriter == null) _lineWriter = new Utf8JsonWriter(_pending);
                    else _lineWriter.Reset(_pending);
                    WriteRecord(_lineWriter, request, row, state, errorId, status, message);
                    _lineWriter.Flush();
                    _pending.WriteByte((byte)'\n');
                    // Write-ahead: a sending line reaches the operating system before its request may leave.
                    if (state == JournalState.Sending) WritePending();
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ObjectDisposedException)
                {
                    _writeFailure = ex;
                    if (throwOnFailure)
                        throw new RunJournalException("JournalWriteFailed", $"The journal '{Path}' could not be written ({ex.Message}); nothing more is sent.", ex);
                }
            }
        }

        private void WriteBytes(byte[] bytes)
        {
            _stream!.Write(bytes, 0, bytes.Length);
            _stream.Flush(flushToDisk: false);
            _dirty = true;
        }

        private void WritePending()
        {
            if (_pending.Length == 0) return;
            _stream!.Write(_pending.GetBuffer(), 0, (int)_pending.Length);
            _stream.Flush(flushToDisk: false);
            _pending.SetLength(0);
            _dirty = true;
        }

        private void SyncIfDirty()
        {
            lock (_gate)
            {
                if (_disposed || _stream == null || _writeFailure != null) return;
                try
                {
                    WritePending();
                }
                catch (Exception ex) when (ex is IOException || ex is ObjectDisposedException)
                {
                    _writeFailure = ex;
                    return;
                }
                if (!_dirty) return;
                _dirty = false;
            }
            // fsync syncs the file, whichever handle asks (FlushFileBuffers likewise on Windows): rows keep being written meanwhile.
            lock (_syncGate)
            {
                try
                {
                    _syncHandle?.Flush(flushToDisk: true);
                }
                catch (Exception ex) when (ex is IOException || ex is ObjectDisposedException)
                {
                    // The lines are with the operating system; only this sync failed. The next tick or the end tries again.
                    // (No _gate here: Dispose holds it while it waits for this one.)
                    _dirty = true;
                }
            }
        }

        /// <summary>One line, as <see cref="Send"/> writes it (for tests).</summary>
        internal byte[] Format(CallActionRequest request, long row, JournalState state, string? errorId, int? status, string? message)
        {
            using (var buffer = new MemoryStream(256))
            {
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    WriteRecord(writer, request, row, state, errorId, status, message);
                }
                buffer.WriteByte((byte)'\n');
                return buffer.ToArray();
            }
        }

        private void WriteRecord(Utf8JsonWriter writer, CallActionRequest request, long row, JournalState state, string? errorId, int? status, string? message)
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", FormatVersion);
            // ISO 8601 in UTC with a 'Z' and up to 7 fraction digits, as the writer formats a UTC DateTime.
            writer.WriteString("time", DateTime.UtcNow);
            writer.WriteString("state", StateName(state));
            writer.WriteNumber("row", row);
            writer.WriteString("operation", request.JournalOperation);
            writer.WriteString("callId", request.CallId);
            if (request.JournalAgentId != null) writer.WriteString("agentId", request.JournalAgentId);
            if (request.JournalIntercom != null) writer.WriteString("intercom", request.JournalIntercom);
            if (request.JournalCustomIdentifier != null) writer.WriteString("customIdentifier", request.JournalCustomIdentifier);
            if (errorId != null) writer.WriteString("errorId", errorId);
            if (status.HasValue) writer.WriteNumber("status", status.Value);
            if (message != null) writer.WriteString("message", message);
            writer.WriteString("module", ModuleVersion);
            writer.WriteString("run", _run);
            writer.WriteEndObject();
        }

        internal static string StateName(JournalState state)
        {
            switch (state)
            {
                case JournalState.Sending: return "sending";
                case JournalState.Succeeded: return "succeeded";
                case JournalState.Failed: return "failed";
                default: return "unknown";
            }
        }

        /// <summary>A line as a record and its row key; null for anything that is not a whole record.</summary>
        internal static JournalRecord? Parse(string line, out string? key)
        {
            key = null;
            try
            {
                using (JsonDocument document = JsonDocument.Parse(line))
                {
                    JsonElement root = document.RootElement;
                    if (root.ValueKind != JsonValueKind.Object) return null;
                    string? stateText = Text(root, "state");
                    string? operation = Text(root, "operation");
                    string? callId = Text(root, "callId");
                    if (stateText == null || operation == null || callId == null) return null;
                    string? agentId = Text(root, "agentId");
                    string? intercom = Text(root, "intercom");
                    if (string.Equals(operation, CallHangupRequest.OperationName, StringComparison.Ordinal))
                        key = CallHangupRequest.KeyOf(callId);
                    else if (string.Equals(operation, ClickToCallRequest.OperationName, StringComparison.Ordinal) && agentId != null && intercom != null)
                        key = ClickToCallRequest.KeyOf(agentId, intercom, Text(root, "customIdentifier"));
                    else if (Enum.TryParse(operation, false, out CallOperation parsed) && Enum.IsDefined(typeof(CallOperation), parsed) && !char.IsDigit(operation[0]))
                        key = CallOptionRequest.KeyOf(parsed, callId, agentId, intercom);
                    else
                        return null;

                    JournalState state;
                    switch (stateText)
                    {
                        case "sending": state = JournalState.Sending; break;
                        case "succeeded": state = JournalState.Succeeded; break;
                        case "failed": state = JournalState.Failed; break;
                        // "unknown", and any state a later version adds: assume it may have acted.
                        default: state = JournalState.Unknown; break;
                    }
                    long row = root.TryGetProperty("row", out JsonElement rowElement) && rowElement.ValueKind == JsonValueKind.Number && rowElement.TryGetInt64(out long r) ? r : 0;
                    int? status = root.TryGetProperty("status", out JsonElement statusElement) && statusElement.ValueKind == JsonValueKind.Number && statusElement.TryGetInt32(out int s) ? s : (int?)null;
                    DateTimeOffset? time = DateTimeOffset.TryParse(Text(root, "time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset t) ? t : (DateTimeOffset?)null;
                    return new JournalRecord(state, operation, callId, agentId, intercom, row, time, Text(root, "errorId"), status, Text(root, "message"));
                }
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static string ReadModuleVersion()
        {
            string version = typeof(RunJournal).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            int plus = version.IndexOf('+');
            return plus > 0 ? version.Substring(0, plus) : version;
        }

        /// <summary>
        /// Hands the last lines to the operating system, releases the lock, and syncs the file to disk in the background:
        /// the lines already survive the process, and a busy disk's fsync (100s of ms) must not hold up the pipeline's end.
        /// Lines that arrive later are dropped (their rows stay 'sending').
        /// </summary>
        public void Dispose()
        {
            Timer? timer;
            FileStream? syncHandle = null;
            lock (_gate)
            {
                if (_disposed) return;
                _disposed = true;
                timer = _syncTimer;
                _syncTimer = null;
                try
                {
                    if (_stream != null && _writeFailure == null) WritePending();
                }
                catch (IOException)
                {
                    // What was not written leaves its rows 'sending': a re-run does not send them again.
                }
                _stream?.Dispose();
                _stream = null;
                _lock?.Dispose();
                _lock = null;
                _lineWriter?.Dispose();
                lock (_syncGate)
                {
                    syncHandle = _syncHandle;
                    _syncHandle = null;
                }
            }
            timer?.Dispose();
            if (syncHandle != null)
            {
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
}
