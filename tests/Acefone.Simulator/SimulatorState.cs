using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

namespace Acefone.Simulator;

/// <summary>
/// Everything the simulator knows: knobs, seeded data, tokens, live calls, the request log and the stats.
/// Thread-safe (one lock); every public member may be called while requests are being served.
/// </summary>
public sealed partial class SimulatorState
{
    private const string AccountKey = "account:1";
    private const int LockAfterFailures = 5;

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly SimulatorConfig _initialConfig;
    private SimulatorConfig _config;

    // data
    private SimUser[] _users = Array.Empty<SimUser>();
    private readonly Dictionary<long, int> _userIndexById = new();
    private readonly Dictionary<string, int> _userIndexByAgentId = new(StringComparer.Ordinal);
    private SimDepartment[] _departments = Array.Empty<SimDepartment>();
    private readonly Dictionary<string, LiveCall> _callsById = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, LiveCall> _callsByRow = new();
    private readonly HashSet<string> _endAfterListing = new(StringComparer.Ordinal);
    private long _nextRowId;
    private static long s_generatedBatch;

    // auth
    private readonly HashSet<string> _consoleTokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _revokedConsoleTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TokenInfo> _tokens = new(StringComparer.Ordinal);
    private int _failedLogins;
    private bool _locked;
    private readonly Dictionary<string, int> _unknownIdentityFailures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _loginsInProgress = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _refreshesInProgress = new(StringComparer.Ordinal);

    // log and stats
    private readonly List<RequestEntry> _log = new();
    private long _seq;
    private long _received, _processed, _tooMany, _unavailable, _dropped, _malformed, _duplicates;
    private long _logins, _failedLoginCount, _refreshes, _logouts, _loginViolations, _refreshViolations;
    private long _inFlight, _maxInFlight;
    private readonly Dictionary<int, long> _statusCounts = new();
    private readonly HashSet<string> _processedKeys = new(StringComparer.Ordinal);

    // knob counters
    private long _unavailableCounter, _dropCounter, _malformedCounter;
    private double _bucketTokens = double.NaN;
    // When the knobs were last set: the outage and the limit change count from it.
    private long _configSetAt;
    // The fixed window's second and count; the sliding window's accepted times.
    private long _windowSecond = -1;
    private int _windowCount;
    private readonly Queue<long> _windowPassed = new Queue<long>();
    private long _bucketStamp;

    internal SimulatorState(SimulatorConfig? initialConfig, TimeProvider? time)
    {
        _time = time ?? TimeProvider.System;
        _initialConfig = initialConfig ?? SimulatorConfig.Default;
        _initialConfig.Validate();
        _config = _initialConfig;
        _configSetAt = _time.GetTimestamp();
        lock (_gate) SeedLocked();
        CallRecords = new CallRecordStore(_time.GetUtcNow());
    }

    /// <summary>Call records and recordings (GET /v1/call/records, /file/recording) with their own knobs; reset with the rest.</summary>
    public CallRecordStore CallRecords { get; }

    /// <summary>The clock used for tokens, call times and the rate limiter.</summary>
    public TimeProvider TimeProvider => _time;

    // ------------------------------------------------------------------ knobs

    /// <summary>
    /// The current knobs. Setting them (or <see cref="UpdateConfig"/>) resets the every-Nth counters and refills the rate bucket.
    /// </summary>
    public SimulatorConfig Config
    {
        get => Volatile.Read(ref _config);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            lock (_gate)
            {
                Volatile.Write(ref _config, value);
                ResetCountersLocked();
            }
        }
    }

    /// <summary>Atomically change the knobs, e.g. <c>UpdateConfig(c =&gt; c with { RateLimitPerSecond = 3 })</c>.</summary>
    public SimulatorConfig UpdateConfig(Func<SimulatorConfig, SimulatorConfig> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_gate)
        {
            var next = update(_config) ?? throw new InvalidOperationException("update returned null");
            next.Validate();
            Volatile.Write(ref _config, next);
            ResetCountersLocked();
            return next;
        }
    }

    // ------------------------------------------------------------------ containment faults (issue 12; ContainmentFaults.cs)
    private ContainmentFaults _containment = ContainmentFaults.None;

    /// <summary>The issue-12 failure knobs (refused logins, echoed secrets, endless cursor, ...). Reset clears them.</summary>
    public ContainmentFaults Containment
    {
        get => Volatile.Read(ref _containment);
        set => Volatile.Write(ref _containment, value ?? ContainmentFaults.None);
    }

    /// <summary>Whether a request with this token would pass auth (not counted as a use).</summary>
    internal bool IsAuthenticated(string? token)
    {
        if (token is null) return false;
        lock (_gate)
            return _consoleTokens.Contains(token) || (_tokens.TryGetValue(token, out var info) && !info.Revoked && !info.ForcedExpired && info.ExpiresAt > _time.GetUtcNow());
    }

    /// <summary>Revokes every login-issued token (server-side revocation mid-run). Answers how many.</summary>
    public int RevokeIssuedTokens()
    {
        lock (_gate)
        {
            int count = 0;
            foreach (var info in _tokens.Values)
            {
                if (info.Revoked) continue;
                info.Revoked = true;
                count++;
            }
            return count;
        }
    }

    /// <summary>Back to the seeded defaults: data, knobs (the start-up config), tokens, log, stats and counters.</summary>
    public void Reset()
    {
        Containment = ContainmentFaults.None;
        Supervisor = SupervisorKnobs.Default;
        lock (_gate)
        {
            Volatile.Write(ref _config, _initialConfig);
            SeedLocked();
        }
        CallRecords.Reset(_time.GetUtcNow());
    }

    private void ResetCountersLocked()
    {
        _unavailableCounter = 0;
        _dropCounter = 0;
        _malformedCounter = 0;
        _bucketTokens = double.NaN;
        _configSetAt = _time.GetTimestamp();
        _windowSecond = -1;
        _windowCount = 0;
        _windowPassed.Clear();
    }

    private void SeedLocked()
    {
        _users = SeedData.BuildUsers();
        _userIndexById.Clear();
        _userIndexByAgentId.Clear();
        for (int i = 0; i < _users.Length; i++)
        {
            _userIndexById[_users[i].Id] = i;
            if (_users[i].Agent is { } a) _userIndexByAgentId[a.Id] = i;
        }
        _departments = SeedData.BuildDepartments();
        _callsById.Clear();
        _callsByRow.Clear();
        _endAfterListing.Clear();
        ResetLiveScenarioLocked();
        foreach (var c in SeedData.BuildCalls(_time.GetUtcNow()))
        {
            _callsById[c.CallId] = c;
            _callsByRow[c.Id] = c;
        }
        _nextRowId = 88101;

        _consoleTokens.Clear();
        _consoleTokens.Add(SeedData.ConsoleToken);
        _revokedConsoleTokens.Clear();
        _tokens.Clear();
        _failedLogins = 0;
        _locked = false;
        _unknownIdentityFailures.Clear();

        _log.Clear();
        _seq = 0;
        _received = _processed = _tooMany = _unavailable = _dropped = _malformed = _duplicates = 0;
        _logins = _failedLoginCount = _refreshes = _logouts = _loginViolations = _refreshViolations = 0;
        _maxInFlight = Interlocked.Read(ref _inFlight);
        _statusCounts.Clear();
        _processedKeys.Clear();
        ResetCountersLocked();
    }

    // ------------------------------------------------------------------ data (public)

    /// <summary>All users, ordered by id.</summary>
    public IReadOnlyList<SimUser> GetUsers()
    {
        lock (_gate) return (SimUser[])_users.Clone();
    }

    /// <summary>A user by id, or null.</summary>
    public SimUser? GetUser(long id)
    {
        lock (_gate) return _userIndexById.TryGetValue(id, out int i) ? _users[i] : null;
    }

    /// <summary>The user owning an agent id, or null.</summary>
    public SimUser? GetUserByAgentId(string agentId)
    {
        lock (_gate) return _userIndexByAgentId.TryGetValue(agentId, out int i) ? _users[i] : null;
    }

    /// <summary>The departments.</summary>
    public IReadOnlyList<SimDepartment> GetDepartments()
    {
        lock (_gate) return (SimDepartment[])_departments.Clone();
    }

    /// <summary>
    /// Set an agent's status (0 available, 1 blocked, 2 disabled, 3 busy, 4 offline).
    /// <paramref name="agentIdOrUserId"/> is an agent id ("0502842370001") or a user id ("314601"). False when unknown.
    /// </summary>
    public bool SetAgentStatus(string agentIdOrUserId, int status)
    {
        lock (_gate)
        {
            if (!_userIndexByAgentId.TryGetValue(agentIdOrUserId, out int i))
            {
                if (!long.TryParse(agentIdOrUserId, NumberStyles.None, CultureInfo.InvariantCulture, out long uid)
                    || !_userIndexById.TryGetValue(uid, out i) || _users[i].Agent is null)
                    return false;
            }
            var u = _users[i];
            _users[i] = u with { Agent = u.Agent! with { Status = status } };
            return true;
        }
    }

    /// <summary>Snapshot of the live calls, ordered by row id.</summary>
    public IReadOnlyList<LiveCall> GetLiveCalls()
    {
        lock (_gate)
        {
            ApplyScenarioLocked(listing: false);
            return new List<LiveCall>(_callsByRow.Values);
        }
    }

    /// <summary>Number of live calls.</summary>
    public int LiveCallCount
    {
        get { lock (_gate) return _callsById.Count; }
    }

    /// <summary>Whether a call id is live.</summary>
    public bool IsLive(string callId)
    {
        lock (_gate) return _callsById.ContainsKey(callId);
    }

    /// <summary>Add calls (row id and created_at defaulted when not set). An existing call id is replaced. Returns the call ids.</summary>
    public IReadOnlyList<string> AddCalls(IEnumerable<LiveCall> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var ids = new List<string>();
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var c0 in calls)
            {
                if (string.IsNullOrEmpty(c0.CallId)) throw new ArgumentException("call_id is required");
                var c = c0;
                if (c.Id <= 0 || _callsByRow.ContainsKey(c.Id)) c = c with { Id = _nextRowId++ };
                else if (c.Id >= _nextRowId) _nextRowId = c.Id + 1;
                if (c.CreatedAt == default) c = c with { CreatedAt = now };
                AddCallLocked(c);
                ids.Add(c.CallId);
            }
        }
        return ids;
    }

    /// <summary>Add one call; see <see cref="AddCalls"/>.</summary>
    public string AddCall(LiveCall call) => AddCalls(new[] { call })[0];

    /// <summary>
    /// Generate <paramref name="count"/> answered calls with ids prefix+1..prefix+count, spread over the seeded agents.
    /// A null or empty prefix picks a unique one. Returns the call ids.
    /// </summary>
    public IReadOnlyList<string> GenerateCalls(int count, string? prefix = null)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
        if (string.IsNullOrEmpty(prefix)) prefix = (1800000000 + Interlocked.Increment(ref s_generatedBatch)).ToString(CultureInfo.InvariantCulture) + ".";
        var ids = new string[count];
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var agents = new List<SimUser>(_users.Length);
            foreach (var u in _users) if (u.Agent is not null && u.RoleId != 1) agents.Add(u);
            for (int n = 1; n <= count; n++)
            {
                string callId = prefix + n.ToString(CultureInfo.InvariantCulture);
                var u = agents[(n - 1) % agents.Count];
                string number = u.Agent!.FollowMeNumber;
                string customer = "9199" + (10000000 + n % 90000000).ToString(CultureInfo.InvariantCulture);
                bool inbound = (n & 1) == 1;
                long row = _nextRowId++;
                AddCallLocked(new LiveCall
                {
                    Id = row,
                    CallId = callId,
                    Direction = inbound ? "1" : "2",
                    Source = inbound ? customer : number,
                    Did = inbound ? "918069123400" : "918069123401",
                    Destination = inbound ? number : customer,
                    CustomerNumber = customer,
                    State = "Answered",
                    CreatedAt = now,
                    AgentName = u.Name,
                    AgentNumber = number,
                    Extension = u.Extension,
                    ChannelId = "sim-" + row.ToString(CultureInfo.InvariantCulture),
                });
                ids[n - 1] = callId;
            }
        }
        return ids;
    }

    private void AddCallLocked(LiveCall c)
    {
        if (_callsById.Remove(c.CallId, out var old)) _callsByRow.Remove(old.Id);
        _callsById[c.CallId] = c;
        _callsByRow[c.Id] = c;
    }

    private bool EndCallLocked(string callId)
    {
        if (!_callsById.Remove(callId, out var old)) return false;
        _callsByRow.Remove(old.Id);
        _endAfterListing.Remove(callId);
        return true;
    }

    /// <summary>End calls; returns the ids that were live.</summary>
    public IReadOnlyList<string> EndCalls(IEnumerable<string> callIds)
    {
        ArgumentNullException.ThrowIfNull(callIds);
        var ended = new List<string>();
        lock (_gate)
        {
            foreach (var id in callIds)
                if (id is not null && EndCallLocked(id)) ended.Add(id);
        }
        return ended;
    }

    /// <summary>These calls end right after the next GET /v1/live_calls answer that lists them has been built.</summary>
    public void EndCallsAfterListing(IEnumerable<string> callIds)
    {
        ArgumentNullException.ThrowIfNull(callIds);
        lock (_gate)
        {
            foreach (var id in callIds)
                if (id is not null) _endAfterListing.Add(id);
        }
    }

    // ------------------------------------------------------------------ tokens (public)

    /// <summary>Add a long-lived console token (never expires, not affected by tokenExpiresAfterRequests).</summary>
    public void AddConsoleToken(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        lock (_gate)
        {
            _consoleTokens.Add(token);
            _revokedConsoleTokens.Remove(token);
        }
    }

    /// <summary>The console tokens currently valid.</summary>
    public IReadOnlyCollection<string> GetConsoleTokens()
    {
        lock (_gate) return new List<string>(_consoleTokens);
    }

    /// <summary>Issue a login token directly (as a successful login would, without counting a login).</summary>
    public string IssueToken()
    {
        lock (_gate) return IssueTokenLocked();
    }

    /// <summary>Mark a login-issued token expired (it can still be refreshed). False when unknown.</summary>
    public bool ExpireToken(string token)
    {
        lock (_gate)
        {
            if (!_tokens.TryGetValue(token, out var info)) return false;
            info.ForcedExpired = true;
            return true;
        }
    }

    /// <summary>Revoke a login-issued or console token. False when unknown.</summary>
    public bool RevokeToken(string token)
    {
        lock (_gate) return RevokeLocked(token);
    }

    /// <summary>Clear the failed-login count and the lock of the account.</summary>
    public void UnlockAccount()
    {
        lock (_gate)
        {
            _failedLogins = 0;
            _locked = false;
        }
    }

    /// <summary>Whether the account is locked after repeated failed logins.</summary>
    public bool IsAccountLocked
    {
        get { lock (_gate) return _locked; }
    }

    private bool RevokeLocked(string token)
    {
        if (_consoleTokens.Remove(token))
        {
            _revokedConsoleTokens.Add(token);
            return true;
        }
        if (_tokens.TryGetValue(token, out var info))
        {
            info.Revoked = true;
            return true;
        }
        return false;
    }

    private string IssueTokenLocked()
    {
        var now = _time.GetUtcNow();
        int lifetime = _config.TokenLifetimeSeconds;
        long iat = now.ToUnixTimeSeconds();
        Span<byte> random = stackalloc byte[48];
        RandomNumberGenerator.Fill(random);
        string jti = Base64Url.EncodeToString(random.Slice(0, 12));
        string payload = "{\"iss\":\"https://api.acefone.in/v1/auth/login\",\"iat\":" + iat.ToString(CultureInfo.InvariantCulture)
            + ",\"exp\":" + (iat + lifetime).ToString(CultureInfo.InvariantCulture)
            + ",\"nbf\":" + iat.ToString(CultureInfo.InvariantCulture)
            + ",\"jti\":\"" + jti + "\",\"sub\":\"1\",\"prv\":\"23bd5c8949f600adb39e701c400872db7a5976f7\"}";
        string token = JwtHeader + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload)) + "." + Base64Url.EncodeToString(random.Slice(12, 32));
        _tokens[token] = new TokenInfo(now.AddSeconds(lifetime));
        return token;
    }

    private static readonly string JwtHeader = Base64Url.EncodeToString("{\"typ\":\"JWT\",\"alg\":\"HS256\"}"u8);

    // ------------------------------------------------------------------ log and stats (public)

    /// <summary>Recorded /v1 requests in arrival order, optionally only those with this exact path.</summary>
    public IReadOnlyList<RecordedRequest> GetRequests(string? path = null)
    {
        lock (_gate)
        {
            var list = new List<RecordedRequest>(path is null ? _log.Count : 16);
            foreach (var e in _log)
                if (path is null || string.Equals(e.Path, path, StringComparison.Ordinal)) list.Add(e.ToRecord());
            return list;
        }
    }

    /// <summary>Clear the request log only.</summary>
    public void ClearRequests()
    {
        lock (_gate) _log.Clear();
    }

    /// <summary>A snapshot of the counters.</summary>
    public SimulatorStats GetStats()
    {
        lock (_gate)
        {
            return new SimulatorStats
            {
                Received = _received,
                Processed = _processed,
                StatusCounts = new SortedDictionary<int, long>(_statusCounts),
                TooManyRequests = _tooMany,
                ServiceUnavailable = _unavailable,
                Dropped = _dropped,
                MalformedResponses = _malformed,
                DuplicateProcessed = _duplicates,
                Logins = _logins,
                FailedLogins = _failedLoginCount,
                Refreshes = _refreshes,
                Logouts = _logouts,
                ConcurrentLoginViolations = _loginViolations,
                ConcurrentRefreshViolations = _refreshViolations,
                MaxConcurrentRequests = _maxInFlight,
                InFlight = Interlocked.Read(ref _inFlight),
            };
        }
    }

    // ------------------------------------------------------------------ pipeline (internal)

    internal RequestEntry BeginRequest(string method, string path, string query, string? authorization, string body, bool record)
    {
        var entry = new RequestEntry(method, path, query, authorization, body, _time.GetUtcNow());
        long inflight = Interlocked.Increment(ref _inFlight);
        lock (_gate)
        {
            entry.Seq = ++_seq;
            _received++;
            if (inflight > _maxInFlight) _maxInFlight = inflight;
            if (record) _log.Add(entry);
        }
        return entry;
    }

    internal void EndInFlight() => Interlocked.Decrement(ref _inFlight);

    internal void Complete(RequestEntry entry, int status, bool processed, bool dropped, string? dedupeKey, bool malformed)
    {
        lock (_gate)
        {
            entry.Status = status;
            entry.Processed = processed;
            entry.Dropped = dropped;
            entry.Completed = true;
            if (processed)
            {
                _processed++;
                if (dedupeKey is not null && !_processedKeys.Add(dedupeKey)) _duplicates++;
            }
            if (dropped) _dropped++;
            else
            {
                _statusCounts[status] = _statusCounts.TryGetValue(status, out long n) ? n + 1 : 1;
                if (status == 429) _tooMany++;
                else if (status == 503) _unavailable++;
            }
            if (malformed) _malformed++;
        }
    }

    /// <summary>
    /// The account's limit: an outage, the concurrency cap, then the rate by its model. False = refused;
    /// <paramref name="retryAfter"/> = time until a request could pass.
    /// </summary>
    internal bool TryPassRateLimit(out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        var cfg = Volatile.Read(ref _config);
        if (cfg.RateLimitPerSecond is null && cfg.ConcurrencyLimit is null && cfg.OutageSeconds is null) return true;
        lock (_gate)
        {
            cfg = _config;
            long now = _time.GetTimestamp();
            double sinceSet = _time.GetElapsedTime(_configSetAt, now).TotalSeconds;
            if (cfg.OutageSeconds is { } outage && sinceSet < outage)
            {
                retryAfter = TimeSpan.FromSeconds(outage - sinceSet);
                return false;
            }
            // This request is already counted in flight (BeginRequest).
            if (cfg.ConcurrencyLimit is { } cap && Interlocked.Read(ref _inFlight) > cap)
            {
                retryAfter = TimeSpan.FromSeconds(1);
                return false;
            }
            if (cfg.RateLimitPerSecond is not { } rate) return true;
            if (cfg.RateLimitChangesTo is { } changed && sinceSet >= cfg.RateLimitChangesAfterSeconds) rate = changed;
            if (cfg.RateLimitModel == RateLimitModel.FixedWindow) return PassFixedWindowLocked(rate, now, out retryAfter);
            if (cfg.RateLimitModel == RateLimitModel.SlidingWindow) return PassSlidingWindowLocked(rate, now, out retryAfter);
            double capacity = cfg.RateLimitBurst is { } b ? b : Math.Max(1.0, rate);
            if (double.IsNaN(_bucketTokens)) _bucketTokens = capacity;
            else
            {
                double elapsed = _time.GetElapsedTime(_bucketStamp, now).TotalSeconds;
                if (elapsed > 0) _bucketTokens = Math.Min(capacity, _bucketTokens + elapsed * rate);
            }
            _bucketStamp = now;
            if (_bucketTokens >= 1.0)
            {
                _bucketTokens -= 1.0;
                return true;
            }
            retryAfter = TimeSpan.FromSeconds((1.0 - _bucketTokens) / rate);
            return false;
        }
    }

    // At most floor(rate) (at least one) in each second counted from when the knobs were set (the lock is held).
    private bool PassFixedWindowLocked(double rate, long now, out TimeSpan retryAfter)
    {
        double since = _time.GetElapsedTime(_configSetAt, now).TotalSeconds;
        long second = (long)Math.Floor(since);
        if (second != _windowSecond)
        {
            _windowSecond = second;
            _windowCount = 0;
        }
        retryAfter = TimeSpan.FromSeconds(second + 1 - since);
        if (_windowCount >= Math.Max(1, (int)Math.Floor(rate))) return false;
        _windowCount++;
        return true;
    }

    // At most floor(rate) (at least one) in the second before now (the lock is held).
    private bool PassSlidingWindowLocked(double rate, long now, out TimeSpan retryAfter)
    {
        while (_windowPassed.Count > 0 && _time.GetElapsedTime(_windowPassed.Peek(), now) >= TimeSpan.FromSeconds(1)) _windowPassed.Dequeue();
        retryAfter = _windowPassed.Count > 0 ? TimeSpan.FromSeconds(1) - _time.GetElapsedTime(_windowPassed.Peek(), now) : TimeSpan.Zero;
        if (_windowPassed.Count >= Math.Max(1, (int)Math.Floor(rate))) return false;
        _windowPassed.Enqueue(now);
        return true;
    }

    internal bool ShouldServe503()
    {
        var cfg = Volatile.Read(ref _config);
        if (cfg.ServiceUnavailableEveryNth is null) return false;
        lock (_gate)
        {
            if (_config.ServiceUnavailableEveryNth is not { } n) return false;
            return ++_unavailableCounter % n == 0;
        }
    }

    internal bool ShouldDrop()
    {
        var cfg = Volatile.Read(ref _config);
        if (cfg.DropAfterProcessingEveryNth is null) return false;
        lock (_gate)
        {
            if (_config.DropAfterProcessingEveryNth is not { } n) return false;
            return ++_dropCounter % n == 0;
        }
    }

    internal MalformedResponseKind? ShouldMalform()
    {
        var cfg = Volatile.Read(ref _config);
        if (cfg.MalformedResponseKind is null) return null;
        lock (_gate)
        {
            if (_config.MalformedResponseKind is not { } kind) return null;
            return ++_malformedCounter % _config.MalformedResponseEveryNth == 0 ? kind : null;
        }
    }

    // --- concurrency tracking of logins and refreshes

    internal string? EnterLogin(string? identity)
    {
        if (identity is null) return null;
        lock (_gate)
        {
            string key = IsAccountIdentity(identity) ? AccountKey : "identity:" + identity;
            return EnterLocked(_loginsInProgress, key, ref _loginViolations);
        }
    }

    internal void ExitLogin(string? key)
    {
        if (key is null) return;
        lock (_gate) ExitLocked(_loginsInProgress, key);
    }

    internal string? EnterRefresh(string? token)
    {
        if (token is null) return null;
        lock (_gate)
        {
            if (!_tokens.ContainsKey(token) && !_consoleTokens.Contains(token)) return null;
            return EnterLocked(_refreshesInProgress, AccountKey, ref _refreshViolations);
        }
    }

    internal void ExitRefresh(string? key)
    {
        if (key is null) return;
        lock (_gate) ExitLocked(_refreshesInProgress, key);
    }

    private static string EnterLocked(Dictionary<string, int> map, string key, ref long violations)
    {
        map.TryGetValue(key, out int n);
        if (n > 0) violations++;
        map[key] = n + 1;
        return key;
    }

    private static void ExitLocked(Dictionary<string, int> map, string key)
    {
        if (map.TryGetValue(key, out int n))
        {
            if (n <= 1) map.Remove(key);
            else map[key] = n - 1;
        }
    }

    private static bool IsAccountIdentity(string identity) =>
        string.Equals(identity, SeedData.Email, StringComparison.OrdinalIgnoreCase)
        || string.Equals(identity, SeedData.LoginId, StringComparison.OrdinalIgnoreCase);

    // --- auth

    internal AuthStatus Authenticate(string? token)
    {
        if (token is null) return AuthStatus.Unauthenticated;
        lock (_gate)
        {
            if (_consoleTokens.Contains(token)) return AuthStatus.Ok;
            if (!_tokens.TryGetValue(token, out var info) || info.Revoked) return AuthStatus.Unauthenticated;
            if (info.ForcedExpired || _time.GetUtcNow() >= info.ExpiresAt) return AuthStatus.Expired;
            if (_config.TokenExpiresAfterRequests is { } max && info.Uses >= max) return AuthStatus.Expired;
            info.Uses++;
            return AuthStatus.Ok;
        }
    }

    internal LoginStatus Login(string identity, string password, out string? token, out int failedCount)
    {
        token = null;
        lock (_gate)
        {
            _logins++;
            if (!IsAccountIdentity(identity))
            {
                _failedLoginCount++;
                _unknownIdentityFailures.TryGetValue(identity, out int f);
                _unknownIdentityFailures[identity] = failedCount = f + 1;
                return LoginStatus.InvalidCredentials;
            }
            if (_locked)
            {
                _failedLoginCount++;
                failedCount = ++_failedLogins;
                return LoginStatus.Locked;
            }
            if (!string.Equals(password, SeedData.Password, StringComparison.Ordinal))
            {
                _failedLoginCount++;
                failedCount = ++_failedLogins;
                if (_failedLogins >= LockAfterFailures) _locked = true;
                return LoginStatus.InvalidCredentials;
            }
            _failedLogins = 0;
            failedCount = 0;
            token = IssueTokenLocked();
            return LoginStatus.Ok;
        }
    }

    internal void CountMalformedLogin()
    {
        lock (_gate)
        {
            _logins++;
            _failedLoginCount++;
        }
    }

    /// <summary>Refresh: an expired-but-not-revoked token may be refreshed; the old one is revoked.</summary>
    internal string? Refresh(string? token)
    {
        lock (_gate)
        {
            _refreshes++;
            if (token is null) return null;
            if (_consoleTokens.Contains(token))
            {
                RevokeLocked(token);
                return IssueTokenLocked();
            }
            if (!_tokens.TryGetValue(token, out var info) || info.Revoked) return null;
            info.Revoked = true;
            return IssueTokenLocked();
        }
    }

    internal AuthStatus Logout(string? token)
    {
        lock (_gate) _logouts++;
        var auth = Authenticate(token);
        if (auth == AuthStatus.Ok)
        {
            lock (_gate) RevokeLocked(token!);
        }
        return auth;
    }

    // --- calls

    internal CallOptionStatus CallOption(int type, string callId, string? agentId, List<string>? intercoms)
    {
        lock (_gate)
        {
            ApplyScenarioLocked(listing: false);
            if (!_callsById.ContainsKey(callId)) return CallOptionStatus.InvalidCallId;
            if (type <= 3)
            {
                if (agentId is null || !_userIndexByAgentId.TryGetValue(agentId, out int i)) return CallOptionStatus.InvalidAgent;
                if (_users[i].Agent!.Status != 0) return CallOptionStatus.AgentNotAvailable;
                return CallOptionStatus.Ok;
            }
            foreach (var dest in intercoms!)
                if (!IsDestination(dest)) return CallOptionStatus.InvalidDestination;
            return CallOptionStatus.Ok;
        }
    }

    private static bool IsDestination(string s)
    {
        int start = s.Length > 0 && s[0] == '+' ? 1 : 0;
        if (s.Length == start) return false;
        for (int i = start; i < s.Length; i++)
            if (s[i] < '0' || s[i] > '9') return false;
        return true;
    }

    internal bool Hangup(string callId)
    {
        lock (_gate)
        {
            ApplyScenarioLocked(listing: false);
            return EndCallLocked(callId);
        }
    }

    internal List<LiveCall> ListCalls(string? agentNumber, string? extension, string? did, string? callId)
    {
        var result = new List<LiveCall>();
        lock (_gate)
        {
            ApplyScenarioLocked(listing: true);
            if (callId is not null)
            {
                if (_callsById.TryGetValue(callId, out var c) && Matches(c, agentNumber, extension, did)) result.Add(c);
            }
            else if (agentNumber is null && extension is null && did is null)
            {
                result.AddRange(_callsByRow.Values);
            }
            else
            {
                foreach (var c in _callsByRow.Values)
                    if (Matches(c, agentNumber, extension, did)) result.Add(c);
            }
            if (_endAfterListing.Count > 0)
            {
                foreach (var c in result)
                    if (_endAfterListing.Contains(c.CallId)) EndCallLocked(c.CallId);
            }
        }
        return result;
    }

    private static bool Matches(LiveCall c, string? agentNumber, string? extension, string? did) =>
        (agentNumber is null || c.AgentNumber == agentNumber)
        && (extension is null || c.Extension == extension)
        && (did is null || c.Did == did);

    internal (SimUser[] Page, bool HasMore) GetUsersPage(long afterId, int limit)
    {
        lock (_gate)
        {
            int start = 0;
            while (start < _users.Length && _users[start].Id <= afterId) start++;
            int n = Math.Min(limit, _users.Length - start);
            var page = new SimUser[n];
            Array.Copy(_users, start, page, 0, n);
            return (page, start + n < _users.Length);
        }
    }

    internal (SimDepartment[] Departments, Dictionary<long, SimUser> Users) GetDepartmentsWithUsers()
    {
        lock (_gate)
        {
            var users = new Dictionary<long, SimUser>();
            foreach (var d in _departments)
                foreach (var id in d.AgentUserIds)
                    if (_userIndexById.TryGetValue(id, out int i)) users[id] = _users[i];
            return (_departments, users);
        }
    }

    // ------------------------------------------------------------------ helper types

    private sealed class TokenInfo
    {
        public TokenInfo(DateTimeOffset expiresAt) => ExpiresAt = expiresAt;
        public DateTimeOffset ExpiresAt { get; }
        public bool Revoked { get; set; }
        public bool ForcedExpired { get; set; }
        public long Uses { get; set; }
    }
}

internal enum AuthStatus { Ok, Unauthenticated, Expired }

internal enum LoginStatus { Ok, InvalidCredentials, Locked }

internal enum CallOptionStatus { Ok, InvalidCallId, InvalidAgent, AgentNotAvailable, InvalidDestination }

internal sealed class RequestEntry
{
    public RequestEntry(string method, string path, string query, string? authorization, string body, DateTimeOffset timestamp)
    {
        Method = method;
        Path = path;
        Query = query;
        Authorization = authorization;
        Body = body;
        Timestamp = timestamp;
    }

    public long Seq;
    public readonly string Method;
    public readonly string Path;
    public readonly string Query;
    public readonly string? Authorization;
    public readonly string Body;
    public readonly DateTimeOffset Timestamp;
    public int Status;
    public bool Processed;
    public bool Dropped;
    public bool Completed;
    public string? UserAgent;
    /// <summary>The request's X-* headers as "Name: value" lines, for tests of headers a client adds.</summary>
    public string? ExtraHeaders;

    public RecordedRequest ToRecord() =>
        new(Seq, Method, Path, Query, Authorization, Body, Status, Processed, Dropped, Completed, Timestamp, UserAgent, ExtraHeaders);
}
