using System;

namespace Acefone.Simulator;

/// <summary>Whether a 429 answer carries a Retry-After header.</summary>
public enum RetryAfterMode
{
    /// <summary>No Retry-After header (the documented behaviour: none is documented).</summary>
    None,
    /// <summary>Retry-After: whole seconds until a token is available (at least 1).</summary>
    Seconds,
    /// <summary>Retry-After: an HTTP-date.</summary>
    Date,
}

/// <summary>
/// How the account's request limit counts (the real one's is not documented, so clients are tried against each).
/// </summary>
public enum RateLimitModel
{
    /// <summary>A bucket of <see cref="SimulatorConfig.RateLimitBurst"/> refilled at the rate (the default).</summary>
    TokenBucket,
    /// <summary>At most the rate in each calendar second: a burst at the turn of a second goes through.</summary>
    FixedWindow,
    /// <summary>At most the rate in any one second.</summary>
    SlidingWindow,
}

/// <summary>How the answer of a POST /v1/call/options is broken when <see cref="SimulatorConfig.MalformedResponseKind"/> is set.</summary>
public enum MalformedResponseKind
{
    /// <summary>200 with an HTML page.</summary>
    Html,
    /// <summary>200 with an empty body.</summary>
    Empty,
    /// <summary>200 with <c>{"success":tr</c>.</summary>
    Truncated,
    /// <summary>200 with <c>[1,2,3]</c>.</summary>
    NotObject,
    /// <summary>200 with a valid JSON object of about 50 MB (streamed).</summary>
    Huge,
    /// <summary>200 with the real JSON body but content-type text/plain.</summary>
    WrongContentType,
}

/// <summary>
/// The simulator's knobs. Immutable: change them with <see cref="SimulatorState.Config"/> (set) or
/// <see cref="SimulatorState.UpdateConfig"/>, e.g. <c>state.UpdateConfig(c =&gt; c with { LatencyMs = 50 })</c>.
/// Every change resets the counters of the every-Nth knobs and refills the rate-limit bucket.
/// JSON names (admin route /_sim/config) are the camelCase property names.
/// </summary>
public sealed record SimulatorConfig
{
    /// <summary>Delay added to every /v1 request before anything else (ms). Default 0.</summary>
    public int LatencyMs { get; init; }

    /// <summary>Account-wide token-bucket rate over every /v1 request; null = unlimited.</summary>
    public double? RateLimitPerSecond { get; init; }

    /// <summary>Bucket size; null = same as the rate (at least 1).</summary>
    public int? RateLimitBurst { get; init; }

    /// <summary>How <see cref="RateLimitPerSecond"/> counts. Default <see cref="RateLimitModel.TokenBucket"/>.</summary>
    public RateLimitModel RateLimitModel { get; init; } = RateLimitModel.TokenBucket;

    /// <summary>
    /// The rate limit becomes this many seconds after the knobs were set (a limit that drops or rises mid-run); null = never.
    /// Needs <see cref="RateLimitChangesAfterSeconds"/>.
    /// </summary>
    public double? RateLimitChangesTo { get; init; }

    /// <summary>When <see cref="RateLimitChangesTo"/> applies, in seconds after the knobs were set.</summary>
    public double? RateLimitChangesAfterSeconds { get; init; }

    /// <summary>At most this many /v1 requests in the account's hands at once; more are answered 429. Null = no cap.</summary>
    public int? ConcurrencyLimit { get; init; }

    /// <summary>Every /v1 request is answered 429 for this many seconds after the knobs were set (an outage); null = none.</summary>
    public double? OutageSeconds { get; init; }

    /// <summary>Whether a 429 carries Retry-After. Default <see cref="RetryAfterMode.None"/>.</summary>
    public RetryAfterMode RetryAfter { get; init; } = RetryAfterMode.None;

    /// <summary>Wall-clock lifetime of login/refresh-issued tokens (and the expires_in answered). Default 3600.</summary>
    public int TokenLifetimeSeconds { get; init; } = 3600;

    /// <summary>A login-issued token expires after this many authenticated requests made with it; null = never.</summary>
    public int? TokenExpiresAfterRequests { get; init; }

    /// <summary>Every Nth /v1 request (counted after the rate limit) answers an HTML 503 without processing; null = never.</summary>
    public int? ServiceUnavailableEveryNth { get; init; }

    /// <summary>Every Nth POST /v1/call/options or /v1/call/hangup is processed, then the connection is aborted; null = never.</summary>
    public int? DropAfterProcessingEveryNth { get; init; }

    /// <summary>Breaks the answer of POST /v1/call/options (processed anyway); null = never.</summary>
    public MalformedResponseKind? MalformedResponseKind { get; init; }

    /// <summary>Which call-options answers get broken: every Nth. Default 1 (all).</summary>
    public int MalformedResponseEveryNth { get; init; } = 1;

    /// <summary>
    /// Every /v1 request (after the rate limit and 503 knobs) answers 302 with Location = this base URI + the path,
    /// unprocessed: a gateway pointing clients elsewhere, which must not carry the token there. Null = never.
    /// </summary>
    public string? RedirectTo { get; init; }

    /// <summary>HTTP status of a failed login (wrong credentials, locked account). Default 200.</summary>
    public int LoginFailureStatus { get; init; } = 200;

    /// <summary>Keep the per-request log (stats are always kept). Default true.</summary>
    public bool RecordRequests { get; init; } = true;

    /// <summary>Account-local UTC offset used for live calls' created_at. Default 330 (India, +05:30).</summary>
    public int TimeZoneOffsetMinutes { get; init; } = 330;

    /// <summary>The defaults.</summary>
    public static SimulatorConfig Default { get; } = new();

    internal void Validate()
    {
        if (LatencyMs < 0) throw new ArgumentException("latencyMs must be >= 0");
        if (RateLimitPerSecond is { } r && (!(r > 0) || double.IsInfinity(r))) throw new ArgumentException("rateLimitPerSecond must be > 0 or null");
        if (RateLimitBurst is { } b && b < 1) throw new ArgumentException("rateLimitBurst must be >= 1 or null");
        if (RateLimitChangesTo is { } ct && (!(ct > 0) || double.IsInfinity(ct))) throw new ArgumentException("rateLimitChangesTo must be > 0 or null");
        if (RateLimitChangesAfterSeconds is { } ca && (!(ca >= 0) || double.IsInfinity(ca))) throw new ArgumentException("rateLimitChangesAfterSeconds must be >= 0 or null");
        if (RateLimitChangesTo.HasValue != RateLimitChangesAfterSeconds.HasValue) throw new ArgumentException("rateLimitChangesTo and rateLimitChangesAfterSeconds go together");
        if (RateLimitChangesTo.HasValue && !RateLimitPerSecond.HasValue) throw new ArgumentException("rateLimitChangesTo needs rateLimitPerSecond");
        if (ConcurrencyLimit is { } cl && cl < 1) throw new ArgumentException("concurrencyLimit must be >= 1 or null");
        if (OutageSeconds is { } os && (!(os >= 0) || double.IsInfinity(os))) throw new ArgumentException("outageSeconds must be >= 0 or null");
        if (TokenLifetimeSeconds < 0) throw new ArgumentException("tokenLifetimeSeconds must be >= 0");
        if (TokenExpiresAfterRequests is { } t && t < 0) throw new ArgumentException("tokenExpiresAfterRequests must be >= 0 or null");
        if (ServiceUnavailableEveryNth is { } s && s < 1) throw new ArgumentException("serviceUnavailableEveryNth must be >= 1 or null");
        if (DropAfterProcessingEveryNth is { } d && d < 1) throw new ArgumentException("dropAfterProcessingEveryNth must be >= 1 or null");
        if (MalformedResponseEveryNth < 1) throw new ArgumentException("malformedResponseEveryNth must be >= 1");
        if (RedirectTo is { } to && !Uri.TryCreate(to, UriKind.Absolute, out _)) throw new ArgumentException("redirectTo must be an absolute URI or null");
        if (LoginFailureStatus < 100 || LoginFailureStatus > 599) throw new ArgumentException("loginFailureStatus must be an HTTP status code");
        if (TimeZoneOffsetMinutes < -14 * 60 || TimeZoneOffsetMinutes > 14 * 60) throw new ArgumentException("timeZoneOffsetMinutes out of range");
    }
}
