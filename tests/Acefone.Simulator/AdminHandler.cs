using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Acefone.Simulator;

/// <summary>/_sim/* admin routes: no auth, no latency, no rate limit, no faults, not recorded.</summary>
internal sealed class AdminHandler
{
    private readonly SimulatorState _state;
    private readonly CallRecordHandler _records;

    public AdminHandler(SimulatorState state)
    {
        _state = state;
        _records = new CallRecordHandler(state);
    }

    public async Task HandleAsync(HttpContext ctx, string path)
    {
        string method = ctx.Request.Method;
        bool get = HttpMethods.IsGet(method), post = HttpMethods.IsPost(method);
        SimResponse response;
        try
        {
            string body = post ? await ApiHandler.ReadBodyAsync(ctx.Request).ConfigureAwait(false) : "";
            response = (path, get, post) switch
            {
                ("/_sim/health", true, _) => new SimResponse(200, "text/plain; charset=utf-8", "ok"u8.ToArray()),
                ("/_sim/reset", _, true) => Reset(),
                ("/_sim/config", true, _) => ConfigJson(_state.Config),
                ("/_sim/config", _, true) => SetConfig(body),
                ("/_sim/calls", true, _) => ListCalls(),
                ("/_sim/calls", _, true) => AddCalls(body),
                ("/_sim/calls/end", _, true) => EndCalls(body, afterListing: false),
                ("/_sim/calls/end-after-listing", _, true) => EndCalls(body, afterListing: true),
                ("/_sim/calls/change", _, true) => LiveCallScenarioRoutes.Change(_state, body),
                ("/_sim/calls/scenario", _, true) => LiveCallScenarioRoutes.Scenario(_state, body),
                ("/_sim/faults/next", _, true) => LiveCallScenarioRoutes.FailNext(_state, body),
                ("/_sim/requests", true, _) => Requests(ctx.Request.Query.TryGetValue("path", out var p) ? p.ToString() : null),
                ("/_sim/stats", true, _) => Stats(),
                ("/_sim/tokens", true, _) => Tokens(),
                ("/_sim/tokens", _, true) => AddToken(body),
                ("/_sim/account/unlock", _, true) => Unlock(),
                ("/_sim/webhooks/deliver", _, true) => WebhookDelivery.Deliver(body),
                ("/_sim/supervisor", true, _) => SupervisorKnobsJson(),
                ("/_sim/supervisor", _, true) => SetSupervisorKnobs(body),
                _ when path == "/_sim/records" || path.StartsWith("/_sim/records/", StringComparison.Ordinal)
                    => _records.Admin(path, get, post, body, ctx.Request.Query),
                _ when post && path.StartsWith("/_sim/users/", StringComparison.Ordinal) && path.EndsWith("/status", StringComparison.Ordinal)
                    => SetStatus(path.Substring(12, path.Length - 12 - 7), body),
                _ => Error(404, "unknown admin route " + method + " " + path),
            };
        }
        catch (AdminException e)
        {
            response = Error(400, e.Message);
        }
        catch (JsonException e)
        {
            response = Error(400, "invalid JSON: " + e.Message);
        }
        catch (ArgumentException e)
        {
            response = Error(400, e.Message);
        }
        await ApiHandler.WriteAsync(ctx, response).ConfigureAwait(false);
    }

    private SimResponse SupervisorKnobsJson() =>
        new(200, ApiHandler.Json, JsonSerializer.SerializeToUtf8Bytes(_state.Supervisor, SupervisorKnobsOptions));

    /// <summary>Fields not given keep their current value.</summary>
    private SimResponse SetSupervisorKnobs(string body)
    {
        using var doc = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
        var k = _state.Supervisor;
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            k = p.Name switch
            {
                "liveCallsCarryCustomIdentifier" => k with { LiveCallsCarryCustomIdentifier = p.Value.GetBoolean() },
                "placeCalls" => k with { PlaceCalls = p.Value.GetBoolean() },
                "placedCallDelayMs" => k with { PlacedCallDelayMs = p.Value.GetInt32() },
                _ => throw new AdminException("unknown supervisor knob " + p.Name),
            };
        }
        _state.Supervisor = k;
        return SupervisorKnobsJson();
    }

    private static readonly JsonSerializerOptions SupervisorKnobsOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private sealed class AdminException : Exception
    {
        public AdminException(string message) : base(message) { }
    }

    private static SimResponse Error(int status, string message) =>
        new(status, ApiHandler.Json, JsonOut.Build(message, static (w, m) =>
        {
            w.WriteStartObject();
            w.WriteString("error", m);
            w.WriteEndObject();
        }));

    internal static SimResponse OkJson(byte[] body) => new(200, ApiHandler.Json, body);

    private static readonly byte[] OkBody = "{\"ok\":true}"u8.ToArray();

    private static JsonDocument ParseObject(string body)
    {
        var doc = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            throw new AdminException("body must be a JSON object");
        }
        return doc;
    }

    private SimResponse Reset()
    {
        _state.Reset();
        return OkJson(OkBody);
    }

    // ------------------------------------------------------------------ config

    internal static SimResponse ConfigJson(SimulatorConfig c) => OkJson(JsonOut.Build(c, static (w, c) =>
    {
        w.WriteStartObject();
        w.WriteNumber("latencyMs", c.LatencyMs);
        if (c.RateLimitPerSecond is { } r) w.WriteNumber("rateLimitPerSecond", r); else w.WriteNull("rateLimitPerSecond");
        if (c.RateLimitBurst is { } b) w.WriteNumber("rateLimitBurst", b); else w.WriteNull("rateLimitBurst");
        w.WriteString("rateLimitModel", c.RateLimitModel switch { RateLimitModel.FixedWindow => "fixedWindow", RateLimitModel.SlidingWindow => "slidingWindow", _ => "tokenBucket" });
        if (c.RateLimitChangesTo is { } ct) w.WriteNumber("rateLimitChangesTo", ct); else w.WriteNull("rateLimitChangesTo");
        if (c.RateLimitChangesAfterSeconds is { } ca) w.WriteNumber("rateLimitChangesAfterSeconds", ca); else w.WriteNull("rateLimitChangesAfterSeconds");
        WriteNullable(w, "concurrencyLimit", c.ConcurrencyLimit);
        if (c.OutageSeconds is { } os) w.WriteNumber("outageSeconds", os); else w.WriteNull("outageSeconds");
        w.WriteString("retryAfter", c.RetryAfter switch { RetryAfterMode.Seconds => "seconds", RetryAfterMode.Date => "date", _ => "none" });
        w.WriteNumber("tokenLifetimeSeconds", c.TokenLifetimeSeconds);
        WriteNullable(w, "tokenExpiresAfterRequests", c.TokenExpiresAfterRequests);
        WriteNullable(w, "serviceUnavailableEveryNth", c.ServiceUnavailableEveryNth);
        WriteNullable(w, "dropAfterProcessingEveryNth", c.DropAfterProcessingEveryNth);
        if (c.MalformedResponseKind is { } k) w.WriteString("malformedResponseKind", KindName(k)); else w.WriteNull("malformedResponseKind");
        w.WriteNumber("malformedResponseEveryNth", c.MalformedResponseEveryNth);
        if (c.RedirectTo is { } to) w.WriteString("redirectTo", to); else w.WriteNull("redirectTo");
        w.WriteNumber("loginFailureStatus", c.LoginFailureStatus);
        w.WriteBoolean("recordRequests", c.RecordRequests);
        w.WriteNumber("timeZoneOffsetMinutes", c.TimeZoneOffsetMinutes);
        w.WriteEndObject();
    }));

    private static void WriteNullable(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    private static string KindName(MalformedResponseKind k) => k switch
    {
        MalformedResponseKind.Html => "html",
        MalformedResponseKind.Empty => "empty",
        MalformedResponseKind.Truncated => "truncated",
        MalformedResponseKind.NotObject => "notObject",
        MalformedResponseKind.Huge => "huge",
        _ => "wrongContentType",
    };

    private SimResponse SetConfig(string body)
    {
        using var doc = ParseObject(body);
        var d = SimulatorConfig.Default;
        var updated = _state.UpdateConfig(c =>
        {
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                var v = p.Value;
                bool isNull = v.ValueKind == JsonValueKind.Null;
                c = p.Name switch
                {
                    "latencyMs" => c with { LatencyMs = isNull ? d.LatencyMs : Int(p) },
                    "rateLimitPerSecond" => c with { RateLimitPerSecond = isNull ? null : Double(p) },
                    "rateLimitBurst" => c with { RateLimitBurst = isNull ? null : Int(p) },
                    "rateLimitModel" => c with { RateLimitModel = isNull ? d.RateLimitModel : ParseModel(p) },
                    "rateLimitChangesTo" => c with { RateLimitChangesTo = isNull ? null : Double(p) },
                    "rateLimitChangesAfterSeconds" => c with { RateLimitChangesAfterSeconds = isNull ? null : Double(p) },
                    "concurrencyLimit" => c with { ConcurrencyLimit = isNull ? null : Int(p) },
                    "outageSeconds" => c with { OutageSeconds = isNull ? null : Double(p) },
                    "retryAfter" => c with { RetryAfter = isNull ? d.RetryAfter : ParseRetryAfter(p) },
                    "tokenLifetimeSeconds" => c with { TokenLifetimeSeconds = isNull ? d.TokenLifetimeSeconds : Int(p) },
                    "tokenExpiresAfterRequests" => c with { TokenExpiresAfterRequests = isNull ? null : Int(p) },
                    "serviceUnavailableEveryNth" => c with { ServiceUnavailableEveryNth = isNull ? null : Int(p) },
                    "dropAfterProcessingEveryNth" => c with { DropAfterProcessingEveryNth = isNull ? null : Int(p) },
                    "malformedResponseKind" => c with { MalformedResponseKind = isNull ? null : ParseKind(p) },
                    "malformedResponseEveryNth" => c with { MalformedResponseEveryNth = isNull ? d.MalformedResponseEveryNth : Int(p) },
                    "redirectTo" => c with { RedirectTo = isNull ? null : String(p) },
                    "loginFailureStatus" => c with { LoginFailureStatus = isNull ? d.LoginFailureStatus : Int(p) },
                    "recordRequests" => c with { RecordRequests = isNull ? d.RecordRequests : Bool(p) },
                    "timeZoneOffsetMinutes" => c with { TimeZoneOffsetMinutes = isNull ? d.TimeZoneOffsetMinutes : Int(p) },
                    _ => throw new AdminException("unknown knob '" + p.Name + "'"),
                };
            }
            return c;
        });
        return ConfigJson(updated);
    }

    private static RateLimitModel ParseModel(JsonProperty p) => (p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null) switch
    {
        "tokenBucket" => RateLimitModel.TokenBucket,
        "fixedWindow" => RateLimitModel.FixedWindow,
        "slidingWindow" => RateLimitModel.SlidingWindow,
        _ => throw new AdminException("rateLimitModel must be \"tokenBucket\", \"fixedWindow\" or \"slidingWindow\""),
    };

    private static int Int(JsonProperty p)
    {
        // Lenient: PowerShell's ConvertTo-Json may write 5 as 5.0.
        if (p.Value.ValueKind == JsonValueKind.Number)
        {
            if (p.Value.TryGetInt32(out int v)) return v;
            double d = p.Value.GetDouble();
            if (d == Math.Floor(d) && d >= int.MinValue && d <= int.MaxValue) return (int)d;
        }
        throw new AdminException(p.Name + " must be an integer or null");
    }

    private static string String(JsonProperty p) =>
        p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw new AdminException(p.Name + " must be a string or null");

    private static double Double(JsonProperty p) =>
        p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : throw new AdminException(p.Name + " must be a number or null");

    private static bool Bool(JsonProperty p) => p.Value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new AdminException(p.Name + " must be true or false"),
    };

    private static RetryAfterMode ParseRetryAfter(JsonProperty p) => (p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null)?.ToLowerInvariant() switch
    {
        "none" => RetryAfterMode.None,
        "seconds" => RetryAfterMode.Seconds,
        "date" => RetryAfterMode.Date,
        _ => throw new AdminException("retryAfter must be \"none\", \"seconds\" or \"date\""),
    };

    private static MalformedResponseKind ParseKind(JsonProperty p) => (p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null)?.ToLowerInvariant() switch
    {
        "html" => MalformedResponseKind.Html,
        "empty" => MalformedResponseKind.Empty,
        "truncated" => MalformedResponseKind.Truncated,
        "notobject" => MalformedResponseKind.NotObject,
        "huge" => MalformedResponseKind.Huge,
        "wrongcontenttype" => MalformedResponseKind.WrongContentType,
        _ => throw new AdminException("malformedResponseKind must be null, \"html\", \"empty\", \"truncated\", \"notObject\", \"huge\" or \"wrongContentType\""),
    };

    // ------------------------------------------------------------------ calls

    private SimResponse ListCalls()
    {
        var calls = _state.GetLiveCalls();
        var now = _state.TimeProvider.GetUtcNow();
        var offset = TimeSpan.FromMinutes(_state.Config.TimeZoneOffsetMinutes);
        return OkJson(JsonOut.Build((calls, now, offset), static (w, s) =>
        {
            w.WriteStartArray();
            foreach (var c in s.calls) ApiHandler.WriteLiveCall(w, c, s.now, s.offset);
            w.WriteEndArray();
        }));
    }

    private SimResponse AddCalls(string body)
    {
        using var doc = ParseObject(body);
        var root = doc.RootElement;
        IReadOnlyList<string> ids;
        if (root.TryGetProperty("generate", out var gen))
        {
            if (gen.ValueKind != JsonValueKind.Number || !gen.TryGetInt32(out int n) || n < 0) throw new AdminException("generate must be a non-negative integer");
            string? prefix = null;
            if (root.TryGetProperty("prefix", out var pe) && pe.ValueKind != JsonValueKind.Null)
                prefix = pe.ValueKind == JsonValueKind.String ? pe.GetString() : throw new AdminException("prefix must be a string");
            if (string.IsNullOrEmpty(prefix)) prefix = null; // "" (e.g. an unset PowerShell [string]) = omitted
            ids = _state.GenerateCalls(n, prefix);
        }
        else if (root.TryGetProperty("calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            var list = new List<LiveCall>();
            foreach (var c in calls.EnumerateArray()) list.Add(ParseCall(c));
            ids = _state.AddCalls(list);
        }
        else
        {
            throw new AdminException("expected {\"generate\": N, \"prefix\": \"...\"} or {\"calls\": [{\"call_id\": \"...\"}]}");
        }
        return OkJson(CallIdsBody("callIds", ids));
    }

    internal static byte[] CallIdsBody(string name, IReadOnlyList<string> ids) => JsonOut.Build((name, ids), static (w, s) =>
    {
        w.WriteStartObject();
        w.WriteStartArray(s.name);
        foreach (var id in s.ids) w.WriteStringValue(id);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    internal static LiveCall ParseCall(JsonElement c)
    {
        if (c.ValueKind != JsonValueKind.Object) throw new AdminException("each call must be an object");
        string? S(string name) => c.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.Null => null,
            _ => throw new AdminException(name + " must be a string"),
        } : null;
        string callId = S("call_id") is { Length: > 0 } id ? id : throw new AdminException("call_id is required");
        long rowId = 0;
        if (S("id") is { } rid && !long.TryParse(rid, NumberStyles.Integer, CultureInfo.InvariantCulture, out rowId))
            throw new AdminException("id must be an integer");
        DateTimeOffset created = default;
        if (S("created_at") is { } ca)
        {
            // "YYYY-MM-DD HH:MM:SS" in account-local time (+05:30) or any ISO 8601 date.
            if (DateTime.TryParseExact(ca, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
                created = new DateTimeOffset(local, TimeSpan.FromMinutes(330));
            else if (!DateTimeOffset.TryParse(ca, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out created))
                throw new AdminException("created_at must be \"YYYY-MM-DD HH:MM:SS\" or ISO 8601");
        }
        return new LiveCall
        {
            Id = rowId,
            CallId = callId,
            Direction = S("direction") ?? "1",
            Source = S("source") ?? "",
            Did = S("did") ?? "",
            Destination = S("destination") ?? "",
            CustomerNumber = S("customer_number") ?? "",
            State = S("state") ?? "Answered",
            QueueState = S("queue_state"),
            CreatedAt = created,
            AgentName = S("agent_name") ?? "",
            AgentNumber = S("agent_number") ?? "",
            Extension = S("extension") ?? "",
            ChannelId = S("channel_id") ?? "",
        };
    }

    private SimResponse EndCalls(string body, bool afterListing)
    {
        using var doc = ParseObject(body);
        if (!doc.RootElement.TryGetProperty("callIds", out var arr) || arr.ValueKind != JsonValueKind.Array)
            throw new AdminException("expected {\"callIds\": [\"...\"]}");
        var ids = new List<string>();
        foreach (var e in arr.EnumerateArray())
            ids.Add(e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new AdminException("callIds must be strings"));
        if (afterListing)
        {
            _state.EndCallsAfterListing(ids);
            return OkJson(OkBody);
        }
        return OkJson(CallIdsBody("ended", _state.EndCalls(ids)));
    }

    // ------------------------------------------------------------------ log, stats, tokens, users

    private SimResponse Requests(string? path)
    {
        var list = _state.GetRequests(string.IsNullOrEmpty(path) ? null : path);
        return OkJson(JsonOut.Build(list, static (w, list) =>
        {
            w.WriteStartArray();
            foreach (var r in list)
            {
                w.WriteStartObject();
                w.WriteNumber("seq", r.Seq);
                w.WriteString("method", r.Method);
                w.WriteString("path", r.Path);
                w.WriteString("query", r.Query);
                if (r.Authorization is null) w.WriteNull("authorization"); else w.WriteString("authorization", r.Authorization);
                if (r.UserAgent is null) w.WriteNull("userAgent"); else w.WriteString("userAgent", r.UserAgent);
                if (r.ExtraHeaders is null) w.WriteNull("extraHeaders"); else w.WriteString("extraHeaders", r.ExtraHeaders);
                w.WriteString("body", r.Body);
                w.WriteNumber("status", r.Status);
                w.WriteBoolean("processed", r.Processed);
                w.WriteBoolean("dropped", r.Dropped);
                w.WriteBoolean("completed", r.Completed);
                w.WriteString("timestamp", r.Timestamp);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));
    }

    private SimResponse Stats()
    {
        var s = _state.GetStats();
        return OkJson(JsonOut.Build(s, static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteNumber("received", s.Received);
            w.WriteNumber("processed", s.Processed);
            w.WriteStartObject("statusCounts");
            foreach (var kv in s.StatusCounts) w.WriteNumber(kv.Key.ToString(CultureInfo.InvariantCulture), kv.Value);
            w.WriteEndObject();
            w.WriteNumber("tooManyRequests", s.TooManyRequests);
            w.WriteNumber("serviceUnavailable", s.ServiceUnavailable);
            w.WriteNumber("dropped", s.Dropped);
            w.WriteNumber("malformedResponses", s.MalformedResponses);
            w.WriteNumber("duplicateProcessed", s.DuplicateProcessed);
            w.WriteNumber("logins", s.Logins);
            w.WriteNumber("failedLogins", s.FailedLogins);
            w.WriteNumber("refreshes", s.Refreshes);
            w.WriteNumber("logouts", s.Logouts);
            w.WriteNumber("concurrentLoginViolations", s.ConcurrentLoginViolations);
            w.WriteNumber("concurrentRefreshViolations", s.ConcurrentRefreshViolations);
            w.WriteNumber("maxConcurrentRequests", s.MaxConcurrentRequests);
            w.WriteNumber("inFlight", s.InFlight);
            w.WriteEndObject();
        }));
    }

    private SimResponse Tokens()
    {
        var tokens = new List<string>(_state.GetConsoleTokens());
        return OkJson(CallIdsBody("tokens", tokens));
    }

    private SimResponse AddToken(string body)
    {
        using var doc = ParseObject(body);
        if (!doc.RootElement.TryGetProperty("token", out var t) || t.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(t.GetString()))
            throw new AdminException("expected {\"token\": \"...\"}");
        _state.AddConsoleToken(t.GetString()!);
        return OkJson(OkBody);
    }

    private SimResponse Unlock()
    {
        _state.UnlockAccount();
        return OkJson(OkBody);
    }

    private SimResponse SetStatus(string agentId, string body)
    {
        using var doc = ParseObject(body);
        if (!doc.RootElement.TryGetProperty("status", out var s) || s.ValueKind != JsonValueKind.Number || !s.TryGetInt32(out int status))
            throw new AdminException("expected {\"status\": N}");
        agentId = Uri.UnescapeDataString(agentId);
        return _state.SetAgentStatus(agentId, status) ? OkJson(OkBody) : Error(404, "unknown agent '" + agentId + "'");
    }
}
