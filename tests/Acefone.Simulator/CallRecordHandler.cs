using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Acefone.Simulator;

/// <summary>
/// GET /v1/call/records (inside the /v1 pipeline), the recording links' route GET /file/recording (the web
/// console's host in live records, so outside /v1: no gateway, no rate limit, a token of its own in the query),
/// and the admin routes /_sim/records*.
/// </summary>
internal sealed class CallRecordHandler
{
    private const int Chunk = 64 * 1024;
    private static readonly byte[] BadFromBody = JsonOut.Message(false, "The from date does not match the format Y-m-d H:i:s.");
    private static readonly byte[] BadToBody = JsonOut.Message(false, "The to date does not match the format Y-m-d H:i:s.");
    private static readonly byte[] NotFoundBody = JsonOut.Message(false, "Recording not found");
    private static readonly byte[] BadTokenBody = JsonOut.Message(false, "Invalid token");
    private static readonly byte[] NeedAuthBody = JsonOut.Message(false, "Unauthenticated.");

    private readonly SimulatorState _state;

    internal CallRecordHandler(SimulatorState state) => _state = state;

    private CallRecordStore Store => _state.CallRecords;

    // ------------------------------------------------------------------ GET /v1/call/records

    internal SimResponse List(HttpRequest req)
    {
        var offset = TimeSpan.FromMinutes(_state.Config.TimeZoneOffsetMinutes);
        var query = req.Query;
        DateTimeOffset? from = null, to = null;
        if (Value(query, "from_date") is { } f)
        {
            if (!TryParseLocal(f, offset, out var v)) return new SimResponse(422, ApiHandler.Json, BadFromBody);
            from = v;
        }
        if (Value(query, "to_date") is { } t)
        {
            if (!TryParseLocal(t, offset, out var v)) return new SimResponse(422, ApiHandler.Json, BadToBody);
            to = v;
        }
        int page = Int(query, "page") ?? 1;
        int limit = Int(query, "limit") ?? 10;
        var q = new CallRecordStore.Query(from, to, Value(query, "call_id"), Value(query, "agents"), Value(query, "department"),
            Value(query, "direction"), Value(query, "call_type"), Value(query, "did_numbers"), Int(query, "duration"), Value(query, "operator") ?? "=",
            page, limit);
        var (records, count, effectiveLimit, firstWritten) = Store.List(q);
        string recordingBase = Store.Knobs.RecordingBaseUri ?? (req.Scheme + "://" + req.Host.Value);
        var store = Store;
        return new SimResponse(200, ApiHandler.Json, JsonOut.Build((records, count, effectiveLimit, page, offset, recordingBase, firstWritten, store), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteNumber("count", s.count);
            w.WriteNumber("limit", s.effectiveLimit);
            w.WriteNumber("size", s.records.Count);
            w.WriteNumber("page", s.page);
            w.WriteStartArray("results");
            for (int i = 0; i < s.records.Count; i++)
                CallRecordStore.WriteRecord(w, s.records[i], s.offset, s.recordingBase, s.store.IsBroken(s.firstWritten + i));
            w.WriteEndArray();
            w.WriteEndObject();
        }));
    }

    private static bool TryParseLocal(string text, TimeSpan offset, out DateTimeOffset value)
    {
        value = default;
        if (!DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return false;
        value = new DateTimeOffset(local, offset);
        return true;
    }

    // ------------------------------------------------------------------ GET /file/recording

    internal async Task HandleRecordingAsync(HttpContext ctx)
    {
        var req = ctx.Request;
        string? authorization = req.Headers.Authorization.Count > 0 ? req.Headers.Authorization.ToString() : null;
        string query = req.QueryString.HasValue ? req.QueryString.Value!.Substring(1) : "";
        var entry = _state.BeginRequest(req.Method, req.Path.Value ?? "/", query, authorization, "", _state.Config.RecordRequests);
        entry.UserAgent = req.Headers.UserAgent.Count > 0 ? req.Headers.UserAgent.ToString() : null;
        try
        {
            var knobs = Store.Knobs;
            string? callId = Value(req.Query, "callId");
            var record = callId is null ? null : Store.Find(callId);
            SimResponse? refusal = null;
            if (!HttpMethods.IsGet(req.Method)) refusal = ApiHandler.Forbidden;
            else if (knobs.RecordingRequiresAuthorization && authorization is null) refusal = new SimResponse(401, ApiHandler.Json, NeedAuthBody);
            else if (record is null || record.RecordingBytes == 0 || Array.IndexOf((string[])[.. knobs.GoneCallIds], record.CallId) >= 0)
                refusal = new SimResponse(404, ApiHandler.Json, NotFoundBody);
            else if (!string.Equals(Value(req.Query, "token"), record.RecordingToken, StringComparison.Ordinal))
                refusal = new SimResponse(403, ApiHandler.Json, BadTokenBody);
            if (refusal is { } r)
            {
                _state.Complete(entry, r.Status, false, false, null, false);
                await ApiHandler.WriteAsync(ctx, r).ConfigureAwait(false);
                return;
            }

            var (contentType, header) = CallRecordStore.RecordingHeader(record!);
            long total = record!.RecordingBytes;
            long start = 0;
            string? range = req.Headers.Range.Count > 0 ? req.Headers.Range.ToString() : null;
            if (range is not null && range.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) && range.EndsWith('-')
                && long.TryParse(range.AsSpan(6, range.Length - 7), NumberStyles.None, CultureInfo.InvariantCulture, out long from) && from < total)
                start = from;
            // Validators, as a real host sends them: a strong ETag and Last-Modified, both changing with the file.
            int version = Store.RecordingVersion(record.CallId);
            string etag = $"\"{record.RecordingToken.Substring(0, Math.Min(8, record.RecordingToken.Length))}-{version}\"";
            string lastModified = record.StartedAt.UtcDateTime.AddMinutes(5 + version).ToString("R", CultureInfo.InvariantCulture);
            bool sendsEtag = knobs.RecordingValidators is "both" or "etag", sendsDate = knobs.RecordingValidators is "both" or "lastModified";
            string? ifRange = req.Headers.IfRange.Count > 0 ? req.Headers.IfRange.ToString() : null;
            // If-Range (RFC 9110 13.1.5): the range only when the validator is the current one (exact match); else the whole file.
            if (start > 0 && ifRange is not null && !knobs.RecordingIgnoresIfRange && !((sendsEtag && ifRange == etag) || (sendsDate && ifRange == lastModified)))
                start = 0;
            bool drops = Store.NextRecordingDrops();
            var res = ctx.Response;
            res.StatusCode = start > 0 ? 206 : 200;
            res.ContentType = contentType;
            res.Headers.AcceptRanges = "bytes";
            if (sendsEtag) res.Headers.ETag = etag;
            if (sendsDate) res.Headers.LastModified = lastModified;
            if (start > 0) res.Headers.ContentRange = $"bytes {start}-{total - 1}/{total}";
            if (!knobs.RecordingChunked) res.ContentLength = total - start;
            _state.Complete(entry, drops ? 0 : res.StatusCode, true, drops, null, false);
            if (drops && knobs.RecordingChangesAfterDrop) Store.ChangeRecording(record.CallId);
            byte mask = (byte)(version * 37);

            long limit = drops ? Math.Min(total, start + knobs.DropAfterBytes) : total;
            var buffer = new byte[Chunk];
            long position = start;
            try
            {
                while (position < limit)
                {
                    int n = (int)Math.Min(Chunk, limit - position);
                    for (int i = 0; i < n; i++)
                    {
                        long p = position + i;
                        if (p < header.Length) buffer[i] = header[p];
                        else
                        {
                            CallRecordStore.FillBody(record, p, buffer.AsSpan(i, n - i));
                            // Another version of the file: the same length, other audio.
                            for (int j = i; j < n && mask != 0; j++) buffer[j] ^= mask;
                            break;
                        }
                    }
                    await res.Body.WriteAsync(buffer.AsMemory(0, n), ctx.RequestAborted).ConfigureAwait(false);
                    position += n;
                    if (knobs.SlowBodyDelayMs > 0)
                    {
                        await res.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
                        await Task.Delay(knobs.SlowBodyDelayMs, ctx.RequestAborted).ConfigureAwait(false);
                    }
                }
                if (drops)
                {
                    await res.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
                    ctx.Abort();
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
            {
                // The client went away.
            }
        }
        finally
        {
            _state.EndInFlight();
        }
    }

    // ------------------------------------------------------------------ /_sim/records*

    internal SimResponse Admin(string path, bool get, bool post, string body, IQueryCollection query)
    {
        switch (path, get, post)
        {
            case ("/_sim/records/config", true, _):
                return KnobsJson(Store.Knobs);
            case ("/_sim/records/config", _, true):
            {
                using var doc = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
                var k = Store.Knobs;
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    var v = p.Value;
                    bool isNull = v.ValueKind == JsonValueKind.Null;
                    var d = new CallRecordKnobs();
                    k = p.Name switch
                    {
                        "shiftEveryNthPage" => k with { ShiftEveryNthPage = isNull ? null : v.GetInt32() },
                        "brokenDateEveryNth" => k with { BrokenDateEveryNth = isNull ? null : v.GetInt32() },
                        "recordingBaseUri" => k with { RecordingBaseUri = isNull ? null : v.GetString() },
                        "goneCallIds" => k with { GoneCallIds = isNull ? d.GoneCallIds : ReadStrings(v) },
                        "slowBodyDelayMs" => k with { SlowBodyDelayMs = isNull ? d.SlowBodyDelayMs : v.GetInt32() },
                        "dropNext" => k with { DropNext = isNull ? 0 : v.GetInt32() },
                        "dropAfterBytes" => k with { DropAfterBytes = isNull ? d.DropAfterBytes : v.GetInt32() },
                        "recordingRequiresAuthorization" => k with { RecordingRequiresAuthorization = !isNull && v.GetBoolean() },
                        "usersCursorRepeats" => k with { UsersCursorRepeats = !isNull && v.GetBoolean() },
                        "maxPageSize" => k with { MaxPageSize = isNull ? d.MaxPageSize : v.GetInt32() },
                        "recordingValidators" => k with { RecordingValidators = isNull ? d.RecordingValidators : v.GetString()! },
                        "recordingChangesAfterDrop" => k with { RecordingChangesAfterDrop = !isNull && v.GetBoolean() },
                        "recordingIgnoresIfRange" => k with { RecordingIgnoresIfRange = !isNull && v.GetBoolean() },
                        "recordingChunked" => k with { RecordingChunked = !isNull && v.GetBoolean() },
                        _ => throw new ArgumentException("unknown record knob '" + p.Name + "'"),
                    };
                }
                Store.Knobs = k;
                return KnobsJson(k);
            }
            case ("/_sim/records/generate", _, true):
            {
                using var doc = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
                var root = doc.RootElement;
                int count = root.TryGetProperty("count", out var c) ? c.GetInt32() : 1000;
                int days = root.TryGetProperty("days", out var d) ? d.GetInt32() : 30;
                bool clear = root.TryGetProperty("clear", out var x) && x.GetBoolean();
                Store.Generate(count, days, _state.TimeProvider.GetUtcNow(), clear);
                return new SimResponse(200, ApiHandler.Json, JsonOut.Build(Store.GetRecords().Count, static (w, n) =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("records", n);
                    w.WriteEndObject();
                }));
            }
            case ("/_sim/records/reseed", _, true):
            {
                // Seeds as a reset does, at a stated time: two simulators reseeded with one time hold the same records
                // (call ids carry their start times), which a reset of each in different seconds would not.
                using var doc = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
                if (!doc.RootElement.TryGetProperty("seededAt", out var at) || at.ValueKind != JsonValueKind.Number)
                    throw new ArgumentException("records/reseed needs seededAt (unix seconds)");
                Store.Reset(DateTimeOffset.FromUnixTimeSeconds(at.GetInt64()));
                return new SimResponse(200, ApiHandler.Json, JsonOut.Build(Store.GetRecords().Count, static (w, n) =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("records", n);
                    w.WriteEndObject();
                }));
            }
            case ("/_sim/records", true, _):
                return ListTruth(query);
            default:
                return new SimResponse(404, ApiHandler.Json, JsonOut.Message(false, "unknown admin route " + path));
        }
    }

    private static IReadOnlyList<string> ReadStrings(JsonElement v)
    {
        var list = new List<string>();
        foreach (var item in v.EnumerateArray()) list.Add(item.GetString() ?? "");
        return list;
    }

    private static SimResponse KnobsJson(CallRecordKnobs k) => new(200, ApiHandler.Json, JsonOut.Build(k, static (w, k) =>
    {
        w.WriteStartObject();
        if (k.ShiftEveryNthPage is { } s) w.WriteNumber("shiftEveryNthPage", s); else w.WriteNull("shiftEveryNthPage");
        if (k.BrokenDateEveryNth is { } b) w.WriteNumber("brokenDateEveryNth", b); else w.WriteNull("brokenDateEveryNth");
        if (k.RecordingBaseUri is { } u) w.WriteString("recordingBaseUri", u); else w.WriteNull("recordingBaseUri");
        w.WriteStartArray("goneCallIds");
        foreach (var id in k.GoneCallIds) w.WriteStringValue(id);
        w.WriteEndArray();
        w.WriteNumber("slowBodyDelayMs", k.SlowBodyDelayMs);
        w.WriteNumber("dropNext", k.DropNext);
        w.WriteNumber("dropAfterBytes", k.DropAfterBytes);
        w.WriteBoolean("recordingRequiresAuthorization", k.RecordingRequiresAuthorization);
        w.WriteBoolean("usersCursorRepeats", k.UsersCursorRepeats);
        w.WriteNumber("maxPageSize", k.MaxPageSize);
        w.WriteString("recordingValidators", k.RecordingValidators);
        w.WriteBoolean("recordingChangesAfterDrop", k.RecordingChangesAfterDrop);
        w.WriteBoolean("recordingIgnoresIfRange", k.RecordingIgnoresIfRange);
        w.WriteBoolean("recordingChunked", k.RecordingChunked);
        w.WriteEndObject();
    }));

    /// <summary>The records themselves, for tests to check a listing against: ?from=&amp;to= (ISO 8601, inclusive).</summary>
    private SimResponse ListTruth(IQueryCollection query)
    {
        DateTimeOffset? from = Value(query, "from") is { } f ? DateTimeOffset.Parse(f, CultureInfo.InvariantCulture) : null;
        DateTimeOffset? to = Value(query, "to") is { } t ? DateTimeOffset.Parse(t, CultureInfo.InvariantCulture) : null;
        var records = Store.GetRecords();
        var offset = TimeSpan.FromMinutes(_state.Config.TimeZoneOffsetMinutes);
        return new SimResponse(200, ApiHandler.Json, JsonOut.Build((records, from, to, offset), static (w, s) =>
        {
            w.WriteStartArray();
            foreach (var r in s.records)
            {
                if (s.from is { } a && r.StartedAt < a) continue;
                if (s.to is { } b && r.StartedAt > b) continue;
                w.WriteStartObject();
                w.WriteString("callId", r.CallId);
                w.WriteString("uuid", r.Uuid);
                w.WriteString("startedAt", r.StartedAt.ToOffset(s.offset).ToString("yyyy-MM-dd HH:mm:sszzz", CultureInfo.InvariantCulture));
                w.WriteString("status", r.Status);
                w.WriteString("direction", r.Direction);
                w.WriteNumber("durationSeconds", r.DurationSeconds);
                w.WriteString("agentNumber", r.AgentNumber);
                w.WriteNumber("recordingBytes", r.RecordingBytes);
                w.WriteNumber("shape", r.Shape);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));
    }

    private static string? Value(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values)) return null;
        string? v = values.Count > 0 ? values[values.Count - 1] : null;
        return string.IsNullOrWhiteSpace(v) ? null : v.Trim();
    }

    private static int? Int(IQueryCollection query, string name) =>
        Value(query, name) is { } s && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : null;
}
