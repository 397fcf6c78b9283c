using System;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Acefone.Simulator;

/// <summary>How every login is refused while <see cref="ContainmentFaults.LoginRefusal"/> is set.</summary>
public enum LoginRefusal
{
    /// <summary>401 "The username or password is incorrect." whatever the password (one rotated mid-run).</summary>
    BadCredentials,
    /// <summary>429 with <c>retry_after</c> (account-local "YYYY-MM-DD HH:MM:SS") <see cref="ContainmentFaults.LoginRetryAfterSeconds"/> ahead.</summary>
    Throttled,
}

/// <summary>How a processed POST /v1/call/options is answered while <see cref="ContainmentFaults.CallOptionsAnswer"/> is set.</summary>
public enum ProcessedAnswer
{
    /// <summary>204 with no body.</summary>
    NoContent,
    /// <summary>The real JSON answer behind a UTF-8 byte order mark.</summary>
    Bom,
}

/// <summary>
/// Failures a real account can suffer that the module must contain (issue 12): refused or throttled logins,
/// answers that echo secrets, an endless user cursor, long Retry-After waits, a bad live-call entry, odd token
/// lifetimes. Set with <see cref="SimulatorState.Containment"/> or <c>POST /_sim/containment</c>; reset clears them.
/// </summary>
public sealed record ContainmentFaults
{
    /// <summary>Every login is refused this way; null = logins behave normally.</summary>
    public LoginRefusal? LoginRefusal { get; init; }

    /// <summary>How far ahead a throttled login's retry_after is. Default 2.</summary>
    public int LoginRetryAfterSeconds { get; init; } = 2;

    /// <summary>Answers echo what they were sent: a 401 names the token, a refused login quotes the password, forced statuses quote the Authorization header.</summary>
    public bool EchoSecrets { get; init; }

    /// <summary>Every authenticated POST /v1/call/options answers this status without processing (429, 503, 403, 500...); null = never.</summary>
    public int? CallOptionsStatus { get; init; }

    /// <summary>The Retry-After header sent with <see cref="CallOptionsStatus"/> ("3600", or an HTTP date); null = none.</summary>
    public string? CallOptionsRetryAfter { get; init; }

    /// <summary>A processed POST /v1/call/options is answered this way instead; null = normally.</summary>
    public ProcessedAnswer? CallOptionsAnswer { get; init; }

    /// <summary>GET /v1/users answers empty pages that say has_more, with a last_seen_id one past the one asked.</summary>
    public bool EndlessUserPages { get; init; }

    /// <summary>The Nth entry (1-based) of every GET /v1/live_calls answer has <c>call_id: null</c>; null = never.</summary>
    public int? NullCallIdAt { get; init; }

    /// <summary>The raw JSON put as <c>expires_in</c> in login and refresh answers ("1e300", "\"soon\""); null = the real lifetime.</summary>
    public string? ExpiresInJson { get; init; }

    /// <summary>Every login is recorded and then never answered (the connection stays open until the client gives up).</summary>
    public bool LoginNeverAnswers { get; init; }

    public static ContainmentFaults None { get; } = new();
}

/// <summary>Applies <see cref="ContainmentFaults"/> in the /v1 pipeline (two hooks in ApiHandler) and serves /_sim/containment.</summary>
internal sealed class ContainmentHandler
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly SimulatorState _state;

    internal ContainmentHandler(SimulatorState state) => _state = state;

    /// <summary>Before the route runs: an answer that replaces it, or null.</summary>
    internal SimResponse? Before(string path, string body, string? authorization)
    {
        ContainmentFaults f = _state.Containment;
        if (path == "/v1/auth/login" && f.LoginRefusal is { } refusal)
        {
            if (refusal == LoginRefusal.Throttled)
            {
                var offset = TimeSpan.FromMinutes(_state.Config.TimeZoneOffsetMinutes);
                string at = _state.TimeProvider.GetUtcNow().ToOffset(offset).AddSeconds(f.LoginRetryAfterSeconds).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                return Json(429, w =>
                {
                    w.WriteBoolean("success", false);
                    w.WriteString("message", "Too many login attempts. Please try again after " + at + ".");
                    w.WriteString("retry_after", at);
                });
            }
            string message = "The username or password is incorrect.";
            if (f.EchoSecrets && PasswordIn(body) is { } password) message = $"The password '{password}' is incorrect.";
            return Json(401, w =>
            {
                w.WriteBoolean("success", false);
                w.WriteString("message", message);
            });
        }
        if (path == "/v1/call/options" && f.CallOptionsStatus is { } status && _state.IsAuthenticated(ApiHandler.ExtractToken(authorization)))
        {
            if (status == 503 && !f.EchoSecrets)
                return new SimResponse(503, "text/html; charset=UTF-8", "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"u8.ToArray(), f.CallOptionsRetryAfter);
            string echo = f.EchoSecrets ? $" (Authorization={authorization})" : string.Empty;
            string text = status == 429 ? "Too many requests." : status == 403 ? "Forbidden" + echo : $"Server Error{echo}";
            return Json(status, w =>
            {
                w.WriteString("success", "false");
                w.WriteString("message", text);
                if (f.EchoSecrets) w.WriteString("authorization", authorization);
            }, f.CallOptionsRetryAfter);
        }
        return null;
    }

    /// <summary>After the route ran: the answer, changed as the faults say.</summary>
    internal SimResponse After(string path, string query, SimResponse response, string? authorization, bool processed)
    {
        ContainmentFaults f = _state.Containment;
        if (f.EchoSecrets && response.Status == 401 && path != "/v1/auth/login" && ApiHandler.ExtractToken(authorization) is { } token)
            return Json(401, w =>
            {
                w.WriteBoolean("success", false);
                w.WriteString("message", $"Token {token} is invalid");
            });
        if (path == "/v1/users" && f.EndlessUserPages && response.Status == 200)
        {
            // The cursor advances, so a client that only checks "does it move" pages for ever.
            long after = 0;
            foreach (string part in query.Split('&'))
            {
                if (part.StartsWith("last_seen_id=", StringComparison.Ordinal)) long.TryParse(part.Substring(13), NumberStyles.Integer, CultureInfo.InvariantCulture, out after);
            }
            return Json(200, w =>
            {
                w.WriteBoolean("has_more", true);
                w.WriteNumber("count", 0);
                w.WriteNumber("last_seen_id", after + 1);
                w.WriteStartArray("data");
                w.WriteEndArray();
            });
        }
        if (path == "/v1/live_calls" && f.NullCallIdAt is { } at && response.Status == 200 && JsonNode.Parse(response.Body) is JsonArray calls && at >= 1 && at <= calls.Count)
        {
            calls[at - 1]!["call_id"] = null;
            return response with { Body = Encoding.UTF8.GetBytes(calls.ToJsonString()) };
        }
        if ((path == "/v1/auth/login" || path == "/v1/auth/refresh") && f.ExpiresInJson is { } expiresIn && response.Status == 200)
        {
            string text = Encoding.UTF8.GetString(response.Body);
            int i = text.IndexOf("\"expires_in\":", StringComparison.Ordinal);
            if (i >= 0)
            {
                int end = text.IndexOfAny(new[] { ',', '}' }, i + 13);
                return response with { Body = Encoding.UTF8.GetBytes(text.Substring(0, i + 13) + expiresIn + text.Substring(end)) };
            }
        }
        if (path == "/v1/call/options" && processed && f.CallOptionsAnswer is { } answer)
        {
            return answer == ProcessedAnswer.NoContent
                ? new SimResponse(204, response.ContentType, Array.Empty<byte>())
                : response with { Body = [0xEF, 0xBB, 0xBF, .. response.Body] };
        }
        return response;
    }

    /// <summary>GET answers the faults; POST merges the given camelCase knobs (null clears one); POST /_sim/containment/revoke-tokens revokes every login-issued token.</summary>
    internal SimResponse Admin(string path, bool get, bool post, string body)
    {
        if (path == "/_sim/containment/revoke-tokens" && post)
        {
            int revoked = _state.RevokeIssuedTokens();
            return Json(200, w => w.WriteNumber("revoked", revoked));
        }
        if (path != "/_sim/containment") return new SimResponse(404, ApiHandler.Json, "{\"error\":\"unknown containment route\"}"u8.ToArray());
        if (post)
        {
            JsonObject current = JsonSerializer.SerializeToNode(_state.Containment, JsonOptions)!.AsObject();
            JsonObject given = JsonNode.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body) as JsonObject ?? throw new ArgumentException("a JSON object was expected");
            foreach (var (name, value) in given)
            {
                if (!current.ContainsKey(name)) throw new ArgumentException("unknown containment knob " + name);
                current[name] = value?.DeepClone();
            }
            ContainmentFaults next = current.Deserialize<ContainmentFaults>(JsonOptions) ?? ContainmentFaults.None;
            foreach (var (name, value) in given)
            {
                // null clears a knob back to its default
                if (value is null) next = Cleared(next, name);
            }
            _state.Containment = next;
        }
        else if (!get)
        {
            return new SimResponse(404, ApiHandler.Json, "{\"error\":\"GET or POST\"}"u8.ToArray());
        }
        return new SimResponse(200, ApiHandler.Json, JsonSerializer.SerializeToUtf8Bytes(_state.Containment, JsonOptions));
    }

    private static ContainmentFaults Cleared(ContainmentFaults f, string name) => name switch
    {
        "loginRetryAfterSeconds" => f with { LoginRetryAfterSeconds = ContainmentFaults.None.LoginRetryAfterSeconds },
        "echoSecrets" => f with { EchoSecrets = false },
        "endlessUserPages" => f with { EndlessUserPages = false },
        _ => f,
    };

    private static string? PasswordIn(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("password", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static SimResponse Json(int status, Action<Utf8JsonWriter> write, string? retryAfter = null)
    {
        var buffer = new System.IO.MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        return new SimResponse(status, ApiHandler.Json, buffer.ToArray(), retryAfter);
    }
}
