using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Acefone.Simulator;

/// <summary>One call record (GET /v1/call/records). <see cref="Shape"/> picks how its fields are written (0..3).</summary>
public sealed record SimCallRecord
{
    public required long Seq { get; init; }
    public required string CallId { get; init; }
    public required string Uuid { get; init; }
    /// <summary>"inbound" or "outbound".</summary>
    public required string Direction { get; init; }
    /// <summary>"answered" or "missed".</summary>
    public required string Status { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public int DurationSeconds { get; init; }
    public string AgentName { get; init; } = "";
    /// <summary>The agent's softphone number without the API's "Extension-" prefix.</summary>
    public string AgentNumber { get; init; } = "";
    public string Department { get; init; } = "";
    public string ClientNumber { get; init; } = "";
    public string DidNumber { get; init; } = "";
    public string HangupCause { get; init; } = "NORMAL_CLEARING";
    /// <summary>0 when the call has no recording.</summary>
    public int RecordingBytes { get; init; }
    /// <summary>The token of its own that the recording link carries in its query.</summary>
    public string RecordingToken { get; init; } = "";
    public int Shape { get; init; }
}

/// <summary>Knobs of the call-record and recording routes (POST /_sim/records/config; cleared by a reset).</summary>
public sealed record CallRecordKnobs
{
    /// <summary>After every Nth page of /v1/call/records, a new record appears at the newest end of the range asked for, shifting later pages by one.</summary>
    public int? ShiftEveryNthPage { get; init; }
    /// <summary>Every Nth record written gets an unreadable date ("31-31-2026").</summary>
    public int? BrokenDateEveryNth { get; init; }
    /// <summary>Scheme, host and port the recording links point at; null = the host the records were asked from.</summary>
    public string? RecordingBaseUri { get; init; }
    /// <summary>Recordings of these call ids answer 404 (aged out by retention).</summary>
    public IReadOnlyList<string> GoneCallIds { get; init; } = Array.Empty<string>();
    /// <summary>Pause after each 64 KB of a recording's body (ms).</summary>
    public int SlowBodyDelayMs { get; init; }
    /// <summary>The next this many recording requests send <see cref="DropAfterBytes"/> bytes, then drop the connection.</summary>
    public int DropNext { get; init; }
    public int DropAfterBytes { get; init; } = 64 * 1024;
    /// <summary>The recording host answers 401 to a request without an Authorization header.</summary>
    public bool RecordingRequiresAuthorization { get; init; }
    /// <summary>GET /v1/users answers has_more with the last_seen_id it was asked for (a cursor that never moves).</summary>
    public bool UsersCursorRepeats { get; init; }
    /// <summary>Largest page of /v1/call/records (limit is clamped to 1..this).</summary>
    public int MaxPageSize { get; init; } = 100;
    /// <summary>The page size is capped at <see cref="MaxPageSize"/> without saying so: the answer's limit is the one asked for.</summary>
    public bool HidePageSizeCap { get; init; }
    /// <summary>Every page after the first answers the first page's records again (its page number and count as asked).</summary>
    public bool RepeatFirstPage { get; init; }
    /// <summary>Validators a recording answer carries: "both" (ETag and Last-Modified), "etag", "lastModified" or "none".</summary>
    public string RecordingValidators { get; init; } = "both";
    /// <summary>A recording whose answer was dropped is another version on the next request: other bytes (same length), other validators.</summary>
    public bool RecordingChangesAfterDrop { get; init; }
    /// <summary>Range is honoured whatever If-Range says (a host that gets If-Range wrong).</summary>
    public bool RecordingIgnoresIfRange { get; init; }
    /// <summary>No Content-Length: the body is chunked, and a dropped one ends without the chunked terminator.</summary>
    public bool RecordingChunked { get; init; }
}

/// <summary>
/// The seeded call records: a few thousand over the 30 days before start or reset, deterministic (same ids, tokens
/// and sizes in every simulator, so a second instance can serve the first one's recording links as a foreign host).
/// </summary>
public sealed class CallRecordStore
{
    public const int SeededCount = 3000;
    public const int SeededDays = 30;
    private const int MinRecordingBytes = 100 * 1024;
    private const int MaxRecordingBytes = 5 * 1024 * 1024;

    private readonly object _gate = new();
    private List<SimCallRecord> _records = new();   // ordered by StartedAt, then Seq
    private readonly Dictionary<string, SimCallRecord> _byCallId = new(StringComparer.Ordinal);
    private CallRecordKnobs _knobs = new();
    private long _nextSeq;
    private long _pagesServed, _written;
    private int _dropsLeft;
    private readonly Dictionary<string, int> _recordingVersions = new(StringComparer.Ordinal);
    private DateTimeOffset _seededAt;

    internal CallRecordStore(DateTimeOffset now) => Reset(now);

    public CallRecordKnobs Knobs
    {
        get { lock (_gate) return _knobs; }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.ShiftEveryNthPage is < 1 || value.BrokenDateEveryNth is < 1 || value.DropNext < 0 || value.SlowBodyDelayMs < 0
                || value.DropAfterBytes < 0 || value.MaxPageSize < 1)
                throw new ArgumentException("record knobs: every-Nth values must be >= 1, delays and sizes >= 0");
            if (value.RecordingBaseUri is { } u && !Uri.TryCreate(u, UriKind.Absolute, out _)) throw new ArgumentException("recordingBaseUri must be an absolute URI");
            lock (_gate)
            {
                _knobs = value;
                _pagesServed = _written = 0;
                _dropsLeft = value.DropNext;
            }
        }
    }

    /// <summary>When the records were seeded: the newest is just before this.</summary>
    public DateTimeOffset SeededAt { get { lock (_gate) return _seededAt; } }

    public IReadOnlyList<SimCallRecord> GetRecords()
    {
        lock (_gate) return _records.ToArray();
    }

    public SimCallRecord? Find(string callId)
    {
        lock (_gate) return _byCallId.TryGetValue(callId, out var r) ? r : null;
    }

    /// <summary>Adds a record (the next sequence number); its start defaults to now.</summary>
    public SimCallRecord Add(SimCallRecord record)
    {
        lock (_gate)
        {
            var r = record with { Seq = ++_nextSeq };
            Insert(r);
            return r;
        }
    }

    /// <summary>
    /// Adds <paramref name="count"/> records spread over the <paramref name="days"/> before <paramref name="now"/>
    /// (replacing every record when <paramref name="clear"/>): for benchmarks that need more than the seeded few thousand.
    /// </summary>
    public void Generate(int count, int days, DateTimeOffset now, bool clear)
    {
        if (count < 0 || days < 1) throw new ArgumentException("count must be >= 0 and days >= 1");
        lock (_gate)
        {
            if (clear)
            {
                _records = new List<SimCallRecord>(count);
                _byCallId.Clear();
            }
            var random = new Random(count ^ days);
            long start = now.AddDays(-days).ToUnixTimeSeconds();
            long span = days * 86400L - 60;
            var times = new long[count];
            for (int i = 0; i < count; i++) times[i] = start + (long)(random.NextDouble() * span);
            Array.Sort(times);
            foreach (long t in times) Insert(Build(++_nextSeq, DateTimeOffset.FromUnixTimeSeconds(t), random));
        }
    }

    internal void Reset(DateTimeOffset now)
    {
        lock (_gate)
        {
            _seededAt = now;
            _records = new List<SimCallRecord>(SeededCount + 16);
            _byCallId.Clear();
            _knobs = new CallRecordKnobs();
            _pagesServed = _written = 0;
            _dropsLeft = 0;
            _recordingVersions.Clear();
            _nextSeq = 0;
            var random = new Random(15);
            long start = now.AddDays(-SeededDays).ToUnixTimeSeconds();
            long span = SeededDays * 86400L - 60;
            var times = new long[SeededCount];
            for (int i = 0; i < SeededCount; i++) times[i] = start + (long)(random.NextDouble() * span);
            Array.Sort(times);
            // Some calls share a second with the one before (busy queues), so a boundary at that second splits a tie.
            for (int i = 1; i < SeededCount; i++) if (i % 25 == 0) times[i] = times[i - 1];
            for (int i = 0; i < SeededCount; i++)
                Insert(Build(i + 1, DateTimeOffset.FromUnixTimeSeconds(times[i]), random));
            _nextSeq = SeededCount;
        }
    }

    private void Insert(SimCallRecord r)
    {
        int index = _records.BinarySearch(r, Comparer<SimCallRecord>.Create(static (a, b) =>
        {
            int c = a.StartedAt.CompareTo(b.StartedAt);
            return c != 0 ? c : a.Seq.CompareTo(b.Seq);
        }));
        _records.Insert(index < 0 ? ~index : index, r);
        _byCallId[r.CallId] = r;
    }

    private static SimCallRecord Build(long seq, DateTimeOffset startedAt, Random random)
    {
        int agent = 4 + (int)(seq % 40);
        bool answered = seq % 5 != 0;
        bool inbound = seq % 3 != 0;
        long unix = startedAt.ToUnixTimeSeconds();
        string digits = unix.ToString(CultureInfo.InvariantCulture) + "." + (60000 + seq).ToString(CultureInfo.InvariantCulture);
        string callId = (seq % 3) switch
        {
            0 => digits,
            1 => DeterministicGuid("call" + seq).ToString(),
            _ => "SRVINF-T" + (seq % 9).ToString(CultureInfo.InvariantCulture) + "-" + digits,
        };
        int duration = answered ? 20 + random.Next(1800) : 0;
        // Only answered calls have recordings (as in the live capture), and not every one of them.
        bool recorded = answered && seq % 11 != 0;
        int size = recorded ? MinRecordingBytes + (int)(Hash(callId) % (MaxRecordingBytes - MinRecordingBytes)) : 0;
        string[] departments = { "Sales", "Support", "Billing", "Escalations" };
        return new SimCallRecord
        {
            Seq = seq,
            CallId = callId,
            Uuid = DeterministicGuid("uuid" + seq).ToString(),
            Direction = inbound ? "inbound" : "outbound",
            Status = answered ? "answered" : "missed",
            StartedAt = startedAt,
            DurationSeconds = duration,
            AgentName = "Agent " + agent.ToString("000", CultureInfo.InvariantCulture),
            AgentNumber = SeedData.SoftphoneUsername(agent),
            Department = departments[seq % 4],
            ClientNumber = "9198" + (10000000 + seq * 7919 % 90000000).ToString(CultureInfo.InvariantCulture),
            DidNumber = "91806912340" + (seq % 3).ToString(CultureInfo.InvariantCulture),
            HangupCause = answered ? "NORMAL_CLEARING" : (seq % 2 == 0 ? "NO_ANSWER" : "USER_BUSY"),
            RecordingBytes = size,
            RecordingToken = recorded ? Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("rec-token:" + callId))).Substring(0, 32).ToLowerInvariant() : "",
            Shape = (int)(seq % 4),
        };
    }

    internal static Guid DeterministicGuid(string text)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        Array.Resize(ref hash, 16);
        hash[7] = (byte)((hash[7] & 0x0F) | 0x40);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash);
    }

    internal static uint Hash(string text) => BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0);

    // ------------------------------------------------------------------ listing

    internal sealed record Query(DateTimeOffset? From, DateTimeOffset? To, string? CallId, string? Agents, string? Department,
        string? Direction, string? CallType, string? DidNumbers, int? Duration, string Operator, int Page, int Limit);

    internal (List<SimCallRecord> Page, int Count, int Limit, long FirstWritten) List(Query q)
    {
        lock (_gate)
        {
            var matching = new List<SimCallRecord>();
            // Newest first, as the console lists them: a record added during a listing shifts every later page.
            for (int i = _records.Count - 1; i >= 0; i--)
            {
                var r = _records[i];
                if (Matches(r, q)) matching.Add(r);
            }
            int limit = Math.Clamp(q.Limit, 1, _knobs.MaxPageSize);
            int skip = _knobs.RepeatFirstPage ? 0 : (int)Math.Min(int.MaxValue, (long)(Math.Max(1, q.Page) - 1) * limit);
            var page = skip >= matching.Count ? new List<SimCallRecord>() : matching.GetRange(skip, Math.Min(limit, matching.Count - skip));
            long first = _written;
            _written += page.Count;
            _pagesServed++;
            if (_knobs.ShiftEveryNthPage is { } n && _pagesServed % n == 0 && matching.Count > 0)
            {
                var newest = matching[0];
                var added = Build(++_nextSeq, newest.StartedAt, new Random((int)_nextSeq)) with { CallId = "SHIFT-" + _nextSeq.ToString(CultureInfo.InvariantCulture) + "." + newest.StartedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) };
                Insert(added with { Department = newest.Department, Direction = newest.Direction, Status = newest.Status, AgentNumber = newest.AgentNumber, DidNumber = newest.DidNumber, DurationSeconds = newest.DurationSeconds });
            }
            return (page, matching.Count, _knobs.HidePageSizeCap ? Math.Max(1, q.Limit) : limit, first);
        }
    }

    private static bool Matches(SimCallRecord r, Query q)
    {
        // from_date and to_date are both inclusive, to the second.
        if (q.From is { } from && r.StartedAt < from) return false;
        if (q.To is { } to && r.StartedAt > to) return false;
        if (q.CallId is { } id && !string.Equals(id, r.CallId, StringComparison.Ordinal)) return false;
        if (q.Agents is { } agents && Array.IndexOf(agents.Split(','), r.AgentNumber) < 0) return false;
        if (q.Department is { } d && !string.Equals(d, r.Department, StringComparison.OrdinalIgnoreCase)) return false;
        if (q.Direction is { } dir && !string.Equals(dir, r.Direction, StringComparison.OrdinalIgnoreCase)) return false;
        if (q.CallType is { } type && !(type == "c" ? r.Status == "answered" : type == "m" ? r.Status == "missed" : false)) return false;
        if (q.DidNumbers is { } dids && Array.IndexOf(dids.Split(','), r.DidNumber) < 0) return false;
        if (q.Duration is { } seconds)
        {
            bool ok = q.Operator switch
            {
                ">" => r.DurationSeconds > seconds,
                "<" => r.DurationSeconds < seconds,
                ">=" => r.DurationSeconds >= seconds,
                "<=" => r.DurationSeconds <= seconds,
                "!=" => r.DurationSeconds != seconds,
                _ => r.DurationSeconds == seconds,
            };
            if (!ok) return false;
        }
        return true;
    }

    internal bool IsBroken(long writtenIndex)
    {
        lock (_gate) return _knobs.BrokenDateEveryNth is { } n && (writtenIndex + 1) % n == 0;
    }

    /// <summary>Counts a recording request; true when this one is to be dropped part-way.</summary>
    /// <summary>How often the recording of <paramref name="callId"/> changed (<see cref="CallRecordKnobs.RecordingChangesAfterDrop"/>); 0 = as seeded.</summary>
    public int RecordingVersion(string callId)
    {
        lock (_gate) return _recordingVersions.TryGetValue(callId, out int v) ? v : 0;
    }

    internal void ChangeRecording(string callId)
    {
        lock (_gate) _recordingVersions[callId] = RecordingVersion(callId) + 1;
    }

    internal bool NextRecordingDrops()
    {
        lock (_gate)
        {
            if (_dropsLeft <= 0) return false;
            _dropsLeft--;
            return true;
        }
    }

    // ------------------------------------------------------------------ JSON

    internal static void WriteRecord(Utf8JsonWriter w, SimCallRecord r, TimeSpan offset, string recordingBase, bool brokenDate)
    {
        var local = r.StartedAt.ToOffset(offset);
        var end = local.AddSeconds(r.DurationSeconds);
        w.WriteStartObject();
        w.WriteNumber("id", r.Seq);
        w.WriteString("call_id", r.CallId);
        w.WriteString("uuid", r.Uuid);
        w.WriteString("direction", r.Direction);
        w.WriteString("status", r.Status);
        string date = brokenDate ? "31-31-" + local.Year.ToString(CultureInfo.InvariantCulture) : local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (r.Shape == 3 && !brokenDate)
        {
            // Some accounts send one start_stamp instead of date and time.
            w.WriteString("start_stamp", local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteString("date", date);
            w.WriteString("time", local.ToString("HH:mm:ss", CultureInfo.InvariantCulture));
        }
        w.WriteString("end_stamp", end.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        if (r.Shape == 2) w.WriteString("call_duration", TimeSpan.FromSeconds(r.DurationSeconds).ToString("hh\\:mm\\:ss", CultureInfo.InvariantCulture));
        else w.WriteNumber("call_duration", r.DurationSeconds);
        w.WriteString("hangup_cause", r.HangupCause);
        w.WriteString("client_number", r.ClientNumber);
        w.WriteString("did_number", r.DidNumber);
        w.WriteString("department_name", r.Department);
        string number = "Extension-" + r.AgentNumber;
        switch (r.Shape)
        {
            case 1:
                // Agent fields as arrays (every agent the call rang), the answering agent first.
                w.WriteStartArray("agent_name"); w.WriteStringValue(r.AgentName); w.WriteEndArray();
                w.WriteStartArray("agent_number"); w.WriteStringValue(number); w.WriteEndArray();
                break;
            case 2:
                w.WriteStartObject("agent_name"); w.WriteString("name", r.AgentName); w.WriteString("number", number); w.WriteEndObject();
                w.WriteString("agent_number", number);
                break;
            default:
                w.WriteString("agent_name", r.AgentName);
                w.WriteString("agent_number", number);
                break;
        }
        if (r.RecordingBytes > 0)
            w.WriteString("recording_url", recordingBase.TrimEnd('/') + "/file/recording?callId=" + Uri.EscapeDataString(r.CallId) + "&type=rec&token=" + r.RecordingToken);
        else if (r.Shape % 2 == 0)
            w.WriteNull("recording_url");
        else
            w.WriteString("recording_url", "");
        w.WriteStartArray("call_flow");
        w.WriteStartObject(); w.WriteString("type", "init"); w.WriteString("value", r.DidNumber); w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The recording's bytes: a WAV or MP3-ish header, then a pattern derived from the call id (deterministic).</summary>
    internal static (string ContentType, byte[] Header) RecordingHeader(SimCallRecord r)
    {
        if (r.Seq % 2 == 0)
        {
            var header = new byte[44];
            Encoding.ASCII.GetBytes("RIFF").CopyTo(header, 0);
            BitConverter.GetBytes(r.RecordingBytes - 8).CopyTo(header, 4);
            Encoding.ASCII.GetBytes("WAVEfmt ").CopyTo(header, 8);
            BitConverter.GetBytes(16).CopyTo(header, 16);
            BitConverter.GetBytes((short)1).CopyTo(header, 20);
            BitConverter.GetBytes((short)1).CopyTo(header, 22);
            BitConverter.GetBytes(8000).CopyTo(header, 24);
            BitConverter.GetBytes(16000).CopyTo(header, 28);
            BitConverter.GetBytes((short)2).CopyTo(header, 32);
            BitConverter.GetBytes((short)16).CopyTo(header, 34);
            Encoding.ASCII.GetBytes("data").CopyTo(header, 36);
            BitConverter.GetBytes(r.RecordingBytes - 44).CopyTo(header, 40);
            return ("audio/wav", header);
        }
        return ("audio/mpeg", new byte[] { (byte)'I', (byte)'D', (byte)'3', 4, 0, 0, 0, 0, 0, 0 });
    }

    /// <summary>Byte <paramref name="offset"/> of the recording's body after the header.</summary>
    internal static void FillBody(SimCallRecord r, long offset, Span<byte> destination)
    {
        uint seed = Hash(r.CallId);
        for (int i = 0; i < destination.Length; i++)
        {
            long p = offset + i;
            destination[i] = (byte)((p * 31 + seed + (p >> 8)) & 0xFF);
        }
    }
}
