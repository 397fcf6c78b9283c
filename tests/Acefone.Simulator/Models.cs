using System;
using System.Collections.Generic;

namespace Acefone.Simulator;

/// <summary>An agent attached to a user (GET /v1/users data[i].agent).</summary>
/// <param name="Id">Agent id, a string with a leading zero, e.g. "0502842370001".</param>
/// <param name="Status">0 available, 1 blocked, 2 disabled, 3 busy, 4 offline.</param>
/// <param name="Intercom">GET /v1/user/{id} data.agent.intercom (the extension).</param>
/// <param name="SoftphoneUsername">GET /v1/user/{id} data.agent.extension.username.</param>
public sealed record SimAgent(string Id, string Name, int Status, string FollowMeNumber, string Intercom, string SoftphoneUsername);

/// <summary>A user of the account.</summary>
public sealed record SimUser(long Id, string Name, SimAgent? Agent, string LoginId, int RoleId, string RoleName, string Extension, int UserStatus);

/// <summary>A department (GET /v1/departments).</summary>
public sealed record SimDepartment(string Id, string Name, string Description, string RingStrategy, string Intercom, IReadOnlyList<long> AgentUserIds);

/// <summary>A live call (GET /v1/live_calls). Only <see cref="CallId"/> is required when adding one.</summary>
public sealed record LiveCall
{
    /// <summary>Row id (NOT the call id); 0 = assigned when added.</summary>
    public long Id { get; init; }
    public required string CallId { get; init; }
    /// <summary>"1" inbound, "2" outbound.</summary>
    public string Direction { get; init; } = "1";
    public string Source { get; init; } = "";
    public string Did { get; init; } = "";
    public string Destination { get; init; } = "";
    public string CustomerNumber { get; init; } = "";
    /// <summary>"Answered" or "Ringing".</summary>
    public string State { get; init; } = "Answered";
    /// <summary>Sent as <c>queue_state</c> only when set (e.g. "Waiting" while in a department's queue); null = left out.</summary>
    public string? QueueState { get; init; }
    /// <summary>Default (<c>default(DateTimeOffset)</c>) = now when added.</summary>
    public DateTimeOffset CreatedAt { get; init; }
    public string AgentName { get; init; } = "";
    public string AgentNumber { get; init; } = "";
    public string Extension { get; init; } = "";
    public string ChannelId { get; init; } = "";
    /// <summary>Sent as <c>custom_identifier</c> only when set (a click-to-call's, when the knob says records carry it).</summary>
    public string? CustomIdentifier { get; init; }
}

/// <summary>One recorded /v1 request.</summary>
/// <param name="Seq">1-based arrival order.</param>
/// <param name="Query">Raw query string without the leading '?', "" when none.</param>
/// <param name="Authorization">Raw Authorization header value, null when absent.</param>
/// <param name="Body">Raw request body text ("" when none).</param>
/// <param name="Status">HTTP status answered; 0 when dropped or not answered yet.</param>
/// <param name="Processed">The operation was performed (state changed / data served).</param>
/// <param name="Dropped">The connection was aborted after processing, without an answer.</param>
/// <param name="Completed">The simulator has finished with the request (answered or dropped).</param>
public sealed record RecordedRequest(
    long Seq,
    string Method,
    string Path,
    string Query,
    string? Authorization,
    string Body,
    int Status,
    bool Processed,
    bool Dropped,
    bool Completed,
    DateTimeOffset Timestamp,
    string? UserAgent = null,
    string? ExtraHeaders = null);

/// <summary>A snapshot of the counters (kept even when RecordRequests is off).</summary>
public sealed record SimulatorStats
{
    /// <summary>/v1 requests received.</summary>
    public long Received { get; init; }
    /// <summary>/v1 requests that performed their operation.</summary>
    public long Processed { get; init; }
    /// <summary>Answers per HTTP status (dropped requests are not counted here).</summary>
    public IReadOnlyDictionary<int, long> StatusCounts { get; init; } = new Dictionary<int, long>();
    public long TooManyRequests { get; init; }
    public long ServiceUnavailable { get; init; }
    /// <summary>Requests processed then dropped (dropAfterProcessingEveryNth).</summary>
    public long Dropped { get; init; }
    /// <summary>Call-options answers replaced by a malformed one.</summary>
    public long MalformedResponses { get; init; }
    /// <summary>Processed call-options/hangup requests whose path + canonical body was already processed before.</summary>
    public long DuplicateProcessed { get; init; }
    /// <summary>POST /v1/auth/login requests that reached the handler (successful or not).</summary>
    public long Logins { get; init; }
    /// <summary>Of those, the ones that failed (bad credentials / locked / malformed).</summary>
    public long FailedLogins { get; init; }
    /// <summary>POST /v1/auth/refresh requests that reached the handler.</summary>
    public long Refreshes { get; init; }
    /// <summary>POST /v1/auth/logout requests that reached the handler.</summary>
    public long Logouts { get; init; }
    public long ConcurrentLoginViolations { get; init; }
    public long ConcurrentRefreshViolations { get; init; }
    /// <summary>Peak number of /v1 requests in flight at once.</summary>
    public long MaxConcurrentRequests { get; init; }
    /// <summary>/v1 requests in flight now.</summary>
    public long InFlight { get; init; }
}
