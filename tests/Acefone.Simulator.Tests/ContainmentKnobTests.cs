using System;
using System.Globalization;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace Acefone.Simulator.Tests;

/// <summary>The issue-12 containment knobs (ContainmentFaults) do what the README says, in-process and over /_sim/containment.</summary>
public class ContainmentKnobTests
{
    private const string Transfer = "{\"type\":\"4\",\"call_id\":\"1714657799.11930961\",\"intercom\":\"8004\"}";
    private const string Login = "{\"email\":\"admin@example.com\",\"password\":\"Simulat0r!Pass\"}";

    [Fact]
    public async Task Refused_and_throttled_logins()
    {
        var clock = new ManualTimeProvider();
        await using var sim = await Sim.StartAsync(new SimulatorOptions { TimeProvider = clock });
        sim.State.Containment = new ContainmentFaults { LoginRefusal = LoginRefusal.BadCredentials, EchoSecrets = true };
        var refused = await sim.PostAsync("/v1/auth/login", Login, token: null);
        Assert.Equal(401, refused.Status);
        Assert.Contains("Simulat0r!Pass", refused.Message);

        sim.State.Containment = new ContainmentFaults { LoginRefusal = LoginRefusal.Throttled, LoginRetryAfterSeconds = 30 };
        var throttled = await sim.PostAsync("/v1/auth/login", Login, token: null);
        Assert.Equal(429, throttled.Status);
        string at = clock.GetUtcNow().ToOffset(TimeSpan.FromMinutes(330)).AddSeconds(30).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        Assert.Equal(at, throttled.Json.GetProperty("retry_after").GetString());
        Assert.Equal(0, sim.State.GetStats().Logins);
    }

    [Fact]
    public async Task Revoked_tokens_echo_and_forced_statuses()
    {
        await using var sim = await Sim.StartAsync();
        string token = await sim.LoginAsync();
        Assert.Equal(1, sim.State.RevokeIssuedTokens());
        sim.State.Containment = new ContainmentFaults { EchoSecrets = true };
        var revoked = await sim.PostAsync("/v1/call/options", Transfer, token);
        Assert.Equal(401, revoked.Status);
        Assert.Equal($"Token {token} is invalid", revoked.Message);

        sim.State.Containment = new ContainmentFaults { CallOptionsStatus = 429, CallOptionsRetryAfter = "3600" };
        var limited = await sim.PostAsync("/v1/call/options", Transfer);
        Assert.Equal(429, limited.Status);
        Assert.Equal("3600", limited.RetryAfter);
        Assert.True(sim.State.IsLive("1714657799.11930961"));

        sim.State.Containment = new ContainmentFaults { CallOptionsStatus = 403, EchoSecrets = true };
        var forbidden = await sim.PostAsync("/v1/call/options", Transfer);
        Assert.Contains("Authorization=Bearer " + Sim.Console, forbidden.Message);
        Assert.Equal("Bearer " + Sim.Console, forbidden.Json.GetProperty("authorization").GetString());
    }

    [Fact]
    public async Task Listings_and_answers_broken_as_asked()
    {
        await using var sim = await Sim.StartAsync();
        sim.State.Containment = new ContainmentFaults { EndlessUserPages = true, NullCallIdAt = 2, CallOptionsAnswer = ProcessedAnswer.Bom, ExpiresInJson = "1e300" };
        var page = await sim.GetAsync("/v1/users?last_seen_id=41");
        Assert.True(page.Json.GetProperty("has_more").GetBoolean());
        Assert.Equal(42, page.Json.GetProperty("last_seen_id").GetInt64());
        Assert.Equal(0, page.Json.GetProperty("data").GetArrayLength());

        var calls = await sim.GetAsync("/v1/live_calls");
        Assert.Equal(JsonValueKind.Null, calls.Json[1].GetProperty("call_id").ValueKind);
        Assert.Equal(JsonValueKind.String, calls.Json[0].GetProperty("call_id").ValueKind);

        using var request = new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Post, "v1/call/options")
        {
            Content = new System.Net.Http.StringContent(Transfer, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Sim.Console);
        using var response = await sim.Http.SendAsync(request);
        byte[] raw = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'{' }, raw[..4]);

        var login = await sim.PostAsync("/v1/auth/login", Login, token: null);
        Assert.Contains("\"expires_in\":1e300", login.Body);
    }

    [Fact]
    public async Task The_admin_route_merges_clears_and_refuses_unknown_knobs_and_reset_clears_all()
    {
        await using var sim = await Sim.StartAsync();
        var set = await sim.PostAsync("/_sim/containment", "{\"loginRefusal\":\"throttled\",\"callOptionsStatus\":503}", token: null);
        Assert.Equal(200, set.Status);
        Assert.Equal("throttled", set.Json.GetProperty("loginRefusal").GetString());
        var cleared = await sim.PostAsync("/_sim/containment", "{\"callOptionsStatus\":null}", token: null);
        Assert.Equal(JsonValueKind.Null, cleared.Json.GetProperty("callOptionsStatus").ValueKind);
        Assert.Equal("throttled", cleared.Json.GetProperty("loginRefusal").GetString());
        Assert.Equal(400, (await sim.PostAsync("/_sim/containment", "{\"noSuchKnob\":1}", token: null)).Status);
        Assert.Equal(200, (await sim.PostAsync("/_sim/reset", "", token: null)).Status);
        Assert.Equal(ContainmentFaults.None, sim.State.Containment);
    }
}
