using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Acefone.Simulator;

internal readonly record struct SimResponse(int Status, string ContentType, byte[] Body, string? RetryAfter = null, bool Huge = false, string? Location = null);

/// <summary>The /v1 pipeline: latency → rate limit → 503 knob → redirect knob → (route known?) → auth → route → fault knobs.</summary>
internal sealed class ApiHandler
{
    private enum Route { Unknown, Login, Refresh, Logout, CallOptions, Hangup, LiveCalls, Users, User, Departments, CallRecords, ClickToCall, AgentBlock, AgentUnblock }

    internal const string Json = "application/json";
    private const string Html = "text/html; charset=UTF-8";

    private static readonly byte[] ForbiddenBody = "{\"message\":\"Forbidden\"}"u8.ToArray();
    private static readonly byte[] UnauthenticatedBody = JsonOut.Message(false, "Unauthenticated.");
    private static readonly byte[] ExpiredBody = JsonOut.Message(false, "Token has expired");
    private static readonly byte[] TooManyBody = "{\"success\":\"false\",\"message\":\"Too many requests.\"}"u8.ToArray();
    private static readonly byte[] UnavailableBody = "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"u8.ToArray();
    private static readonly byte[] InvalidBodyBody = JsonOut.Message(false, "Invalid request body");
    private static readonly byte[] InvalidCallIdBody = JsonOut.Message(false, "Invalid Call ID");
    private static readonly byte[] TypeRequiredBody = JsonOut.Message(false, "The type field is required.");
    private static readonly byte[] TypeInvalidBody = JsonOut.Message(false, "The selected type is invalid.");
    private static readonly byte[] CallIdRequiredBody = JsonOut.Message(false, "The call id field is required.");
    private static readonly byte[] AgentIdRequiredBody = JsonOut.Message(false, "The agent id field is required.");
    private static readonly byte[] AgentIdStringBody = JsonOut.Message(false, "The agent id must be a string.");
    private static readonly byte[] IntercomRequiredBody = JsonOut.Message(false, "The intercom field is required.");
    private static readonly byte[] InvalidAgentBody = JsonOut.Message(false, "Invalid agent");
    private static readonly byte[] AgentNotAvailableBody = JsonOut.Message(false, "Agent is not available");
    private static readonly byte[] InvalidDestinationBody = JsonOut.Message(false, "Invalid destination");
    private static readonly byte[] HangupOkBody = JsonOut.Message(true, "Call hangup successfully");
    private static readonly byte[] LogoutOkBody = JsonOut.Message(true, "Successfully logged out");
    private static readonly byte[] UserNotFoundBody = JsonOut.Message(false, "User not found");
    private static readonly byte[] HtmlPageBody = Encoding.UTF8.GetBytes(
        "<!DOCTYPE html>\n<html><head><title>Acefone</title></head><body><h1>Something went wrong</h1>" +
        "<p>The request could not be completed. Please try again later.</p></body></html>\n");
    private static readonly byte[] MovedBody = "<html><body><h1>302 Found</h1></body></html>"u8.ToArray();
    private static readonly byte[] TruncatedBody = "{\"success\":tr"u8.ToArray();
    private static readonly byte[] NotObjectBody = "[1,2,3]"u8.ToArray();
    private static readonly string[] OptionNames = { "", "Monitor", "Whisper", "Barge", "Transfer" };

    internal static readonly SimResponse Forbidden = new(403, Json, ForbiddenBody);
    private static readonly SimResponse Unauthenticated = new(401, Json, UnauthenticatedBody);
    private static readonly SimResponse Expired = new(401, Json, ExpiredBody);
    private static readonly SimResponse InvalidBody = new(422, Json, InvalidBodyBody);

    private const int HugeBytes = 50 * 1024 * 1024;
    private static readonly byte[] HugeChunk = CreateHugeChunk();

    private readonly SimulatorState _state;
    private readonly AdminHandler _admin;
    private readonly ContainmentHandler _containment;
    private readonly CallRecordHandler _records;
    private readonly SupervisorRoutes _supervisor;

    public ApiHandler(SimulatorState state)
    {
        _supervisor = new SupervisorRoutes(state);
        _state = state;
        _admin = new AdminHandler(state);
        _containment = new ContainmentHandler(state);
        _records = new CallRecordHandler(state);
    }

    public Task HandleAsync(HttpContext ctx)
    {
        string path = ctx.Request.Path.Value ?? "/";
        if (path.StartsWith("/_sim/containment", StringComparison.Ordinal))
            return ContainmentAdminAsync(ctx, path);
        if (path.StartsWith("/_sim/", StringComparison.Ordinal) || path == "/_sim")
            return _admin.HandleAsync(ctx, path);
        if (path == "/v1" || path.StartsWith("/v1/", StringComparison.Ordinal))
            return HandleV1Async(ctx, path);
        // The recording links of call records point at the web console's host, outside the API gateway.
        if (path == "/file/recording")
            return _records.HandleRecordingAsync(ctx);
        // Outside /v1 the gateway knows no route either (not recorded: only /v1 requests are).
        return WriteAsync(ctx, Forbidden);
    }

    private async Task HandleV1Async(HttpContext ctx, string path)
    {
        var req = ctx.Request;
        string method = req.Method;
        string body = await ReadBodyAsync(req).ConfigureAwait(false);
        string? authorization = req.Headers.Authorization.Count > 0 ? req.Headers.Authorization.ToString() : null;
        string query = req.QueryString.HasValue ? req.QueryString.Value!.Substring(1) : "";
        var route = Match(method, path);
        var cfg = _state.Config;
        var entry = _state.BeginRequest(method, path, query, authorization, body, cfg.RecordRequests);
        entry.UserAgent = req.Headers.UserAgent.Count > 0 ? req.Headers.UserAgent.ToString() : null;
        entry.ExtraHeaders = RequestLog.ExtraHeaders(req.Headers);
        string? loginKey = null, refreshKey = null;
        try
        {
            // "In progress" starts at arrival, so latency counts.
            if (route == Route.Login) loginKey = _state.EnterLogin(TryGetLoginIdentity(req, body));
            else if (route == Route.Refresh) refreshKey = _state.EnterRefresh(ExtractToken(authorization));

            if (cfg.LatencyMs > 0) await Task.Delay(cfg.LatencyMs).ConfigureAwait(false);
            if (route == Route.Login && _state.Containment.LoginNeverAnswers)
            {
                // A login that never answers (ContainmentFaults.LoginNeverAnswers): recorded, held until the client gives up.
                try { await Task.Delay(-1, ctx.RequestAborted).ConfigureAwait(false); } catch (OperationCanceledException) { }
                return;
            }

            SimResponse response;
            bool processed = false, reached = false, dropped = false, malformed = false;
            string? dedupeKey = null;
            if (!_state.TryPassRateLimit(out var retryAfter))
            {
                response = TooMany(retryAfter);
            }
            else if (_state.TakeForcedFailure() is { } forced)
            {
                response = forced switch
                {
                    429 => TooMany(TimeSpan.FromSeconds(1)),
                    401 => Unauthenticated,
                    _ => new SimResponse(forced, Html, UnavailableBody),
                };
            }
            else if (_state.ShouldServe503())
            {
                response = new SimResponse(503, Html, UnavailableBody);
            }
            else if (cfg.RedirectTo is { } redirectTo)
            {
                response = new SimResponse(302, Html, MovedBody, Location: redirectTo.TrimEnd('/') + path);
            }
            else if (route == Route.Unknown)
            {
                response = Forbidden;
            }
            else if (_containment.Before(path, body, authorization) is { } contained)
            {
                response = contained;
            }
            else
            {
                (response, processed, reached, dedupeKey) = Dispatch(route, ctx, path, body, authorization);
                response = _containment.After(path, query, response, authorization, processed);
            }

            if (reached && (route is Route.CallOptions or Route.Hangup or Route.ClickToCall or Route.AgentBlock or Route.AgentUnblock) && _state.ShouldDrop())
            {
                dropped = true;
            }
            else if (reached && route == Route.CallOptions && _state.ShouldMalform() is { } kind)
            {
                response = Malform(kind, response);
                malformed = true;
            }

            // Record before answering, so a test sees the final state as soon as it has the answer.
            _state.Complete(entry, dropped ? 0 : response.Status, processed, dropped, processed ? dedupeKey : null, malformed);
            if (dropped)
            {
                ctx.Abort();
                return;
            }
            await WriteAsync(ctx, response).ConfigureAwait(false);
        }
        finally
        {
            _state.ExitLogin(loginKey);
            _state.ExitRefresh(refreshKey);
            _state.EndInFlight();
        }
    }

    private async Task ContainmentAdminAsync(HttpContext ctx, string path)
    {
        bool post = HttpMethods.IsPost(ctx.Request.Method);
        string body = post ? await ReadBodyAsync(ctx.Request).ConfigureAwait(false) : "";
        SimResponse response;
        try
        {
            response = _containment.Admin(path, HttpMethods.IsGet(ctx.Request.Method), post, body);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            response = new SimResponse(400, Json, JsonSerializer.SerializeToUtf8Bytes(new { error = e.Message }));
        }
        await WriteAsync(ctx, response).ConfigureAwait(false);
    }

    private static Route Match(string method, string path)
    {
        bool get = HttpMethods.IsGet(method), post = HttpMethods.IsPost(method);
        switch (path)
        {
            case "/v1/auth/login": return post ? Route.Login : Route.Unknown;
            case "/v1/auth/refresh": return post ? Route.Refresh : Route.Unknown;
            case "/v1/auth/logout": return post ? Route.Logout : Route.Unknown;
            case "/v1/call/options": return post ? Route.CallOptions : Route.Unknown;
            case "/v1/call/hangup": return post ? Route.Hangup : Route.Unknown;
            case "/v1/live_calls": return get ? Route.LiveCalls : Route.Unknown;
            case "/v1/users": return get ? Route.Users : Route.Unknown;
            case "/v1/departments": return get ? Route.Departments : Route.Unknown;
            case "/v1/call/records": return get ? Route.CallRecords : Route.Unknown;
            case "/v1/click_to_call": return post ? Route.ClickToCall : Route.Unknown;
        }
        if (SupervisorRoutes.AgentIdOf(path, out bool block) is not null)
            return post ? (block ? Route.AgentBlock : Route.AgentUnblock) : Route.Unknown;
        if (path.StartsWith("/v1/user/", StringComparison.Ordinal) && path.Length > 9 && path.IndexOf('/', 9) < 0)
            return get ? Route.User : Route.Unknown;
        return Route.Unknown;
    }

    private (SimResponse Response, bool Processed, bool Reached, string? DedupeKey) Dispatch(
        Route route, HttpContext ctx, string path, string body, string? authorization)
    {
        string? token = ExtractToken(authorization);
        switch (route)
        {
            case Route.Login:
                return (Login(ctx.Request, body, out bool ok), ok, true, null);
            case Route.Refresh:
            {
                string? fresh = _state.Refresh(token);
                return fresh is null ? (Unauthenticated, false, true, null) : (TokenResponse(fresh), true, true, null);
            }
            case Route.Logout:
                return _state.Logout(token) switch
                {
                    AuthStatus.Ok => (new SimResponse(200, Json, LogoutOkBody), true, true, null),
                    AuthStatus.Expired => (Expired, false, true, null),
                    _ => (Unauthenticated, false, true, null),
                };
        }

        switch (_state.Authenticate(token))
        {
            case AuthStatus.Expired: return (Expired, false, false, null);
            case AuthStatus.Unauthenticated: return (Unauthenticated, false, false, null);
        }

        switch (route)
        {
            case Route.CallOptions:
            {
                var r = CallOptions(ctx.Request, body, out bool processed, out string? key);
                return (r, processed, true, key is null ? null : path + "\n" + key);
            }
            case Route.Hangup:
            {
                var r = Hangup(ctx.Request, body, out bool processed, out string? key);
                return (r, processed, true, key is null ? null : path + "\n" + key);
            }
            case Route.LiveCalls:
                return (LiveCalls(ctx.Request.Query), true, true, null);
            case Route.Users:
                return (Users(ctx.Request.Query), true, true, null);
            case Route.User:
            {
                var r = User(path.Substring(9), out bool found);
                return (r, found, true, null);
            }
            case Route.Departments:
                return (Departments(), true, true, null);
            case Route.CallRecords:
            {
                var r = _records.List(ctx.Request);
                return (r, r.Status == 200, true, null);
            }
            case Route.ClickToCall:
            {
                var r = _supervisor.ClickToCall(ctx.Request, body, out bool processed, out string? key);
                return (r, processed, true, key is null ? null : path + "\n" + key);
            }
            case Route.AgentBlock:
            case Route.AgentUnblock:
            {
                var r = _supervisor.SetBlocked(path, route == Route.AgentBlock, out bool processed);
                return (r, processed, true, null);
            }
            default:
                return (Forbidden, false, true, null);
        }
    }

    // ------------------------------------------------------------------ auth routes

    private SimResponse Login(HttpRequest req, string body, out bool ok)
    {
        ok = false;
        string? identity = null, password = null;
        if (TryParseObject(req, body, out var doc))
        {
            using (doc)
            {
                var root = doc!.RootElement;
                identity = GetNonEmptyString(root, "email") ?? GetNonEmptyString(root, "login_id");
                password = GetNonEmptyString(root, "password");
            }
        }
        if (identity is null || password is null)
        {
            _state.CountMalformedLogin();
            return InvalidBody;
        }
        var status = _state.Login(identity, password, out string? token, out int failed);
        if (status == LoginStatus.Ok)
        {
            ok = true;
            return TokenResponse(token!);
        }
        var body2 = JsonOut.Build((status == LoginStatus.Locked ? "Account locked" : "Invalid credentials", failed), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteBoolean("success", false);
            w.WriteString("message", s.Item1);
            w.WriteNumber("login_failed_count", s.failed);
            w.WriteEndObject();
        });
        return new SimResponse(_state.Config.LoginFailureStatus, Json, body2);
    }

    private SimResponse TokenResponse(string token)
    {
        int lifetime = _state.Config.TokenLifetimeSeconds;
        return new SimResponse(200, Json, JsonOut.Build((token, lifetime), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteBoolean("success", true);
            w.WriteString("access_token", s.token);
            w.WriteString("token_type", "bearer");
            w.WriteNumber("expires_in", s.lifetime);
            w.WriteEndObject();
        }));
    }

    private static string? TryGetLoginIdentity(HttpRequest req, string body)
    {
        if (!TryParseObject(req, body, out var doc)) return null;
        using (doc)
            return GetNonEmptyString(doc!.RootElement, "email") ?? GetNonEmptyString(doc.RootElement, "login_id");
    }

    internal static string? ExtractToken(string? header)
    {
        if (header is null) return null;
        var span = header.AsSpan().Trim();
        if (span.Length == 0) return null;
        if (span.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || span.StartsWith("Bearer\t", StringComparison.OrdinalIgnoreCase))
        {
            span = span.Slice(7).Trim();
            return span.Length == 0 ? null : span.ToString();
        }
        return span.Length == header.Length ? header : span.ToString();
    }

    // ------------------------------------------------------------------ call routes

    private SimResponse CallOptions(HttpRequest req, string body, out bool processed, out string? dedupeKey)
    {
        processed = false;
        dedupeKey = null;
        if (!TryParseObject(req, body, out var doc)) return InvalidBody;
        using (doc)
        {
            var root = doc!.RootElement;

            if (!root.TryGetProperty("type", out var typeEl) || IsNullish(typeEl)) return Unprocessable(TypeRequiredBody);
            int type = 0;
            if (typeEl.ValueKind == JsonValueKind.Number && typeEl.TryGetInt32(out int t) && t is >= 1 and <= 4) type = t;
            else if (typeEl.ValueKind == JsonValueKind.String && typeEl.GetString() is { Length: 1 } ts && ts[0] is >= '1' and <= '4') type = ts[0] - '0';
            if (type == 0) return Unprocessable(TypeInvalidBody);

            string? callId = GetNonEmptyString(root, "call_id");
            if (callId is null) return Unprocessable(CallIdRequiredBody);

            string? agentId = null;
            List<string>? intercoms = null;
            if (type <= 3)
            {
                if (!root.TryGetProperty("agent_id", out var agentEl) || IsNullish(agentEl)) return Unprocessable(AgentIdRequiredBody);
                if (agentEl.ValueKind != JsonValueKind.String) return Unprocessable(AgentIdStringBody);
                agentId = agentEl.GetString()!;
            }
            else
            {
                intercoms = GetIntercoms(root);
                if (intercoms is null) return Unprocessable(IntercomRequiredBody);
            }

            switch (_state.CallOption(type, callId, agentId, intercoms))
            {
                case CallOptionStatus.InvalidCallId: return Unprocessable(InvalidCallIdBody);
                case CallOptionStatus.InvalidAgent: return Ok(InvalidAgentBody);
                case CallOptionStatus.AgentNotAvailable: return Ok(AgentNotAvailableBody);
                case CallOptionStatus.InvalidDestination: return Ok(InvalidDestinationBody);
            }

            processed = true;
            dedupeKey = JsonOut.Canonical(root);
            return new SimResponse(200, Json, JsonOut.Build(OptionNames[type], static (w, name) =>
            {
                w.WriteStartObject();
                w.WriteBoolean("success", true);
                w.WriteString("message", name + " request initiated");
                w.WriteString("request_id", Guid.NewGuid().ToString());
                w.WriteEndObject();
            }));
        }
    }

    private static List<string>? GetIntercoms(JsonElement root)
    {
        if (!root.TryGetProperty("intercom", out var el)) return null;
        if (el.ValueKind == JsonValueKind.String)
        {
            string s = el.GetString()!;
            return string.IsNullOrWhiteSpace(s) ? null : new List<string>(1) { s };
        }
        if (el.ValueKind != JsonValueKind.Array || el.GetArrayLength() == 0) return null;
        var list = new List<string>(el.GetArrayLength());
        foreach (var item in el.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) return null;
            string s = item.GetString()!;
            if (string.IsNullOrWhiteSpace(s)) return null;
            list.Add(s);
        }
        return list;
    }

    private SimResponse Hangup(HttpRequest req, string body, out bool processed, out string? dedupeKey)
    {
        processed = false;
        dedupeKey = null;
        if (!TryParseObject(req, body, out var doc)) return InvalidBody;
        using (doc)
        {
            var root = doc!.RootElement;
            string? callId = GetNonEmptyString(root, "call_id");
            if (callId is null) return Unprocessable(CallIdRequiredBody);
            if (!_state.Hangup(callId)) return Unprocessable(InvalidCallIdBody);
            processed = true;
            dedupeKey = JsonOut.Canonical(root);
            return Ok(HangupOkBody);
        }
    }

    // ------------------------------------------------------------------ read routes

    private SimResponse LiveCalls(IQueryCollection query)
    {
        var calls = _state.ListCalls(QueryValue(query, "agent_number"), QueryValue(query, "extension"),
            QueryValue(query, "did_number"), QueryValue(query, "call_id"));
        var cfg = _state.Config;
        var now = _state.TimeProvider.GetUtcNow();
        return Ok(JsonOut.Build((calls, now, TimeSpan.FromMinutes(cfg.TimeZoneOffsetMinutes)), static (w, s) =>
        {
            w.WriteStartArray();
            foreach (var c in s.calls) WriteLiveCall(w, c, s.now, s.Item3);
            w.WriteEndArray();
        }));
    }

    internal static void WriteLiveCall(Utf8JsonWriter w, LiveCall c, DateTimeOffset now, TimeSpan offset)
    {
        Span<char> buf = stackalloc char[32];
        w.WriteStartObject();
        w.WriteNumber("id", c.Id);
        w.WriteString("call_id", c.CallId);
        w.WriteString("direction", c.Direction);
        w.WriteString("source", c.Source);
        w.WriteString("did", c.Did);
        w.WriteString("destination", c.Destination);
        w.WriteString("customer_number", c.CustomerNumber);
        w.WriteString("state", c.State);
        if (c.QueueState is not null) w.WriteString("queue_state", c.QueueState);
        c.CreatedAt.ToOffset(offset).TryFormat(buf, out int n, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        w.WriteString("created_at", buf.Slice(0, n));
        // call_time is computed from the whole-second created_at, as the real API would.
        long secs = Math.Max(0, now.ToUnixTimeSeconds() - c.CreatedAt.ToUnixTimeSeconds());
        long h = secs / 3600, m = secs / 60 % 60, sec = secs % 60;
        h.TryFormat(buf, out n, "00", CultureInfo.InvariantCulture);
        buf[n++] = ':';
        m.TryFormat(buf.Slice(n), out int n2, "00", CultureInfo.InvariantCulture);
        n += n2;
        buf[n++] = ':';
        sec.TryFormat(buf.Slice(n), out n2, "00", CultureInfo.InvariantCulture);
        n += n2;
        w.WriteString("call_time", buf.Slice(0, n));
        w.WriteString("agent_name", c.AgentName);
        w.WriteString("agent_number", c.AgentNumber);
        w.WriteString("extension", c.Extension);
        w.WriteString("channel_id", c.ChannelId);
        if (c.CustomIdentifier is not null) w.WriteString("custom_identifier", c.CustomIdentifier);
        w.WriteEndObject();
    }

    private SimResponse Users(IQueryCollection query)
    {
        int limit = 100;
        if (QueryValue(query, "limit") is { } ls && int.TryParse(ls, NumberStyles.Integer, CultureInfo.InvariantCulture, out int l))
            limit = Math.Clamp(l, 1, 100);
        long after = 0;
        if (QueryValue(query, "last_seen_id") is { } ids && long.TryParse(ids, NumberStyles.Integer, CultureInfo.InvariantCulture, out long a))
            after = a;
        var (page, hasMore) = _state.GetUsersPage(after, limit);
        // A knob of the call-record store: a cursor that never moves (clients must not loop on it).
        bool repeat = _state.CallRecords.Knobs.UsersCursorRepeats && after > 0;
        if (repeat) (page, hasMore) = (page.Length > 0 ? page[..1] : page, true);
        return Ok(JsonOut.Build((page, hasMore, after, repeat), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteBoolean("has_more", s.hasMore);
            w.WriteNumber("count", s.page.Length);
            w.WriteNumber("last_seen_id", s.page.Length > 0 && !s.repeat ? s.page[^1].Id : s.after);
            w.WriteStartArray("data");
            foreach (var u in s.page) WriteUser(w, u, detailed: false);
            w.WriteEndArray();
            w.WriteEndObject();
        }));
    }

    private SimResponse User(string idSegment, out bool found)
    {
        found = false;
        SimUser? user = long.TryParse(idSegment, NumberStyles.None, CultureInfo.InvariantCulture, out long id) ? _state.GetUser(id) : null;
        if (user is null) return Ok(UserNotFoundBody);
        found = true;
        return Ok(JsonOut.Build(user, static (w, u) =>
        {
            w.WriteStartObject();
            w.WriteBoolean("success", true);
            w.WritePropertyName("data");
            WriteUser(w, u, detailed: true);
            w.WriteEndObject();
        }));
    }

    internal static void WriteUser(Utf8JsonWriter w, SimUser u, bool detailed)
    {
        w.WriteStartObject();
        w.WriteNumber("id", u.Id);
        w.WriteString("name", u.Name);
        if (u.Agent is { } a)
        {
            w.WriteStartObject("agent");
            w.WriteString("id", a.Id);
            w.WriteString("name", a.Name);
            w.WriteNumber("status", a.Status);
            w.WriteString("follow_me_number", a.FollowMeNumber);
            if (detailed)
            {
                w.WriteString("intercom", a.Intercom);
                w.WriteStartObject("extension");
                w.WriteString("username", a.SoftphoneUsername);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteString("login_id", u.LoginId);
        w.WriteStartObject("user_role");
        w.WriteNumber("id", u.RoleId);
        w.WriteString("name", u.RoleName);
        w.WriteEndObject();
        w.WriteString("extension", u.Extension);
        w.WriteNumber("user_status", u.UserStatus);
        w.WriteEndObject();
    }

    private SimResponse Departments()
    {
        var (departments, users) = _state.GetDepartmentsWithUsers();
        return Ok(JsonOut.Build((departments, users), static (w, s) =>
        {
            w.WriteStartArray();
            foreach (var d in s.departments)
            {
                w.WriteStartObject();
                w.WriteString("id", d.Id);
                w.WriteString("name", d.Name);
                w.WriteString("description", d.Description);
                w.WriteString("ring_strategy", d.RingStrategy);
                w.WriteString("intercom", d.Intercom);
                w.WriteStartArray("agents");
                foreach (long uid in d.AgentUserIds)
                {
                    if (!s.users.TryGetValue(uid, out var u) || u.Agent is null) continue;
                    w.WriteStartObject();
                    w.WriteString("id", u.Id.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("name", u.Name);
                    w.WriteString("eid", u.Agent.Id);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));
    }

    // ------------------------------------------------------------------ helpers

    private static SimResponse Ok(byte[] body) => new(200, Json, body);

    private static SimResponse Unprocessable(byte[] body) => new(422, Json, body);

    private SimResponse TooMany(TimeSpan retryAfter)
    {
        string? header = null;
        var mode = _state.Config.RetryAfter;
        if (mode != RetryAfterMode.None)
        {
            long secs = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
            header = mode == RetryAfterMode.Seconds
                ? secs.ToString(CultureInfo.InvariantCulture)
                : _state.TimeProvider.GetUtcNow().AddSeconds(secs).ToString("R", CultureInfo.InvariantCulture);
        }
        return new SimResponse(429, Json, TooManyBody, header);
    }

    private static SimResponse Malform(MalformedResponseKind kind, SimResponse original) => kind switch
    {
        MalformedResponseKind.Html => new SimResponse(200, Html, HtmlPageBody),
        MalformedResponseKind.Empty => new SimResponse(200, Json, Array.Empty<byte>()),
        MalformedResponseKind.Truncated => new SimResponse(200, Json, TruncatedBody),
        MalformedResponseKind.NotObject => new SimResponse(200, Json, NotObjectBody),
        MalformedResponseKind.Huge => new SimResponse(200, Json, Array.Empty<byte>(), Huge: true),
        MalformedResponseKind.WrongContentType => new SimResponse(200, "text/plain; charset=UTF-8", original.Body),
        _ => original,
    };

    private static bool IsNullish(JsonElement e) =>
        e.ValueKind == JsonValueKind.Null || (e.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(e.GetString()));

    /// <summary>A non-empty (after Laravel's trim/empty-to-null) string property, else null.</summary>
    private static string? GetNonEmptyString(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var el) || el.ValueKind != JsonValueKind.String) return null;
        string s = el.GetString()!;
        return string.IsNullOrWhiteSpace(s) ? null : s;
    }

    private static string? QueryValue(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out StringValues values)) return null;
        string? v = values.Count > 0 ? values[values.Count - 1] : null;
        return string.IsNullOrWhiteSpace(v) ? null : v.Trim();
    }

    /// <summary>
    /// A JSON object body: the request must say it is JSON (content-type containing "json"), as Laravel only
    /// reads a JSON body then; an empty, non-JSON, or non-object body fails.
    /// </summary>
    internal static bool TryParseObject(HttpRequest req, string body, out JsonDocument? doc)
    {
        doc = null;
        if (body.Length == 0) return false;
        string? ct = req.ContentType;
        if (ct is null || ct.IndexOf("json", StringComparison.OrdinalIgnoreCase) < 0) return false;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return false;
        }
        if (doc.RootElement.ValueKind == JsonValueKind.Object) return true;
        doc.Dispose();
        doc = null;
        return false;
    }

    internal static async Task<string> ReadBodyAsync(HttpRequest req)
    {
        if (req.ContentLength == 0) return "";
        using var reader = new StreamReader(req.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
        return await reader.ReadToEndAsync().ConfigureAwait(false);
    }

    internal static async Task WriteAsync(HttpContext ctx, SimResponse r)
    {
        var res = ctx.Response;
        try
        {
            res.StatusCode = r.Status;
            res.ContentType = r.ContentType;
            if (r.RetryAfter is not null) res.Headers.RetryAfter = r.RetryAfter;
            if (r.Location is not null) res.Headers.Location = r.Location;
            if (r.Huge)
            {
                await WriteHugeAsync(ctx).ConfigureAwait(false);
                return;
            }
            res.ContentLength = r.Body.Length;
            if (r.Body.Length > 0) await res.Body.WriteAsync(r.Body, ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away.
        }
    }

    private static async Task WriteHugeAsync(HttpContext ctx)
    {
        // Chunked (no Content-Length): the client only learns the size by reading.
        var body = ctx.Response.Body;
        var ct = ctx.RequestAborted;
        byte[] head = Encoding.UTF8.GetBytes("{\"success\":true,\"message\":\"Transfer request initiated\",\"request_id\":\"" + Guid.NewGuid() + "\",\"data\":\"");
        await body.WriteAsync(head, ct).ConfigureAwait(false);
        int written = head.Length;
        while (written < HugeBytes)
        {
            int n = Math.Min(HugeChunk.Length, HugeBytes - written);
            await body.WriteAsync(HugeChunk.AsMemory(0, n), ct).ConfigureAwait(false);
            written += n;
        }
        await body.WriteAsync("\"}"u8.ToArray(), ct).ConfigureAwait(false);
    }

    private static byte[] CreateHugeChunk()
    {
        var chunk = new byte[64 * 1024];
        for (int i = 0; i < chunk.Length; i++) chunk[i] = (byte)('a' + i % 26);
        return chunk;
    }
}
