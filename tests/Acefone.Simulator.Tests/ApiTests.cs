using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace Acefone.Simulator.Tests;

public class RoutingAndAuthTests
{
    [Fact]
    public async Task Health_and_base_uri()
    {
        await using var sim = await Sim.StartAsync();
        Assert.Equal("127.0.0.1", sim.Host.BaseUri.Host);
        Assert.EndsWith("/", sim.Host.BaseUri.AbsoluteUri);
        var a = await sim.GetAsync("/_sim/health", token: null);
        Assert.Equal(200, a.Status);
        Assert.Equal("ok", a.Body);
    }

    [Theory]
    [InlineData("GET", "/v1/nope")]
    [InlineData("GET", "/v1/call/options")]
    [InlineData("DELETE", "/v1/users")]
    [InlineData("POST", "/v1/live_calls")]
    [InlineData("GET", "/v1/live_calls/")]
    [InlineData("GET", "/v1/user/1/x")]
    [InlineData("GET", "/v2/users")]
    public async Task Unknown_route_or_method_is_403(string method, string path)
    {
        await using var sim = await Sim.StartAsync();
        var a = await sim.SendAsync(new HttpMethod(method), path, null);
        Assert.Equal(403, a.Status);
        Assert.Equal("{\"message\":\"Forbidden\"}", a.Body);
        // Also without a token: the gateway does not know the route.
        Assert.Equal(403, (await sim.SendAsync(new HttpMethod(method), path, null, token: null)).Status);
    }

    [Fact]
    public async Task Auth_bearer_and_raw_accepted_others_401()
    {
        await using var sim = await Sim.StartAsync();
        Assert.Equal(200, (await sim.GetAsync("/v1/live_calls")).Status);
        Assert.Equal(200, (await sim.GetAsync("/v1/live_calls", bearer: false)).Status);
        var missing = await sim.GetAsync("/v1/live_calls", token: null);
        Assert.Equal(401, missing.Status);
        Assert.Equal("{\"success\":false,\"message\":\"Unauthenticated.\"}", missing.Body);
        Assert.Equal(401, (await sim.GetAsync("/v1/live_calls", token: "nope")).Status);
    }

    [Fact]
    public async Task Login_refresh_logout_cycle()
    {
        await using var sim = await Sim.StartAsync();
        var login = await sim.PostAsync("/v1/auth/login", "{\"login_id\":\"admin\",\"password\":\"Simulat0r!Pass\"}", token: null);
        Assert.Equal(200, login.Status);
        Assert.True(login.Json.GetProperty("success").GetBoolean());
        Assert.Equal("bearer", login.Json.GetProperty("token_type").GetString());
        Assert.Equal(3600, login.Json.GetProperty("expires_in").GetInt32());
        string token = login.Json.GetProperty("access_token").GetString()!;
        Assert.Equal(3, token.Split('.').Length);
        Assert.Equal(200, (await sim.GetAsync("/v1/users", token)).Status);

        var refresh = await sim.PostAsync("/v1/auth/refresh", null, token);
        Assert.Equal(200, refresh.Status);
        string token2 = refresh.Json.GetProperty("access_token").GetString()!;
        Assert.NotEqual(token, token2);
        Assert.Equal(401, (await sim.GetAsync("/v1/users", token)).Status);
        Assert.Equal(401, (await sim.PostAsync("/v1/auth/refresh", null, token)).Status);
        Assert.Equal(200, (await sim.GetAsync("/v1/users", token2)).Status);

        var logout = await sim.PostAsync("/v1/auth/logout", null, token2);
        Assert.Equal("{\"success\":true,\"message\":\"Successfully logged out\"}", logout.Body);
        Assert.Equal(401, (await sim.GetAsync("/v1/users", token2)).Status);

        var stats = sim.State.GetStats();
        Assert.Equal(1, stats.Logins);
        Assert.Equal(2, stats.Refreshes);
        Assert.Equal(1, stats.Logouts);
    }

    [Fact]
    public async Task Failed_logins_then_lock()
    {
        await using var sim = await Sim.StartAsync();
        for (int i = 1; i <= 5; i++)
        {
            var a = await sim.PostAsync("/v1/auth/login", "{\"email\":\"admin@example.com\",\"password\":\"bad\"}", token: null);
            Assert.Equal(200, a.Status);
            Assert.False(a.Json.GetProperty("success").GetBoolean());
            Assert.Equal("Invalid credentials", a.Message);
            Assert.Equal(i, a.Json.GetProperty("login_failed_count").GetInt32());
        }
        var locked = await sim.PostAsync("/v1/auth/login", "{\"email\":\"admin@example.com\",\"password\":\"Simulat0r!Pass\"}", token: null);
        Assert.Equal("Account locked", locked.Message);
        sim.State.UpdateConfig(c => c with { LoginFailureStatus = 401 });
        Assert.Equal(401, (await sim.PostAsync("/v1/auth/login", "{\"email\":\"admin@example.com\",\"password\":\"x\"}", token: null)).Status);
        await sim.PostAsync("/_sim/reset", "{}", token: null);
        Assert.Equal(200, (await sim.PostAsync("/v1/auth/login", "{\"email\":\"admin@example.com\",\"password\":\"Simulat0r!Pass\"}", token: null)).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"email\":\"admin@example.com\"")]
    [InlineData("{\"password\":\"Simulat0r!Pass\"}")]
    public async Task Malformed_login_is_422(string body)
    {
        await using var sim = await Sim.StartAsync();
        var a = await sim.PostAsync("/v1/auth/login", body, token: null);
        Assert.Equal(422, a.Status);
        Assert.Equal("{\"success\":false,\"message\":\"Invalid request body\"}", a.Body);
    }

    [Fact]
    public async Task Token_expires_on_the_clock_but_can_be_refreshed()
    {
        var clock = new ManualTimeProvider();
        await using var sim = await Sim.StartAsync(new SimulatorOptions { TimeProvider = clock, Config = new SimulatorConfig { TokenLifetimeSeconds = 60 } });
        string token = await sim.LoginAsync();
        clock.Advance(TimeSpan.FromSeconds(61));
        var a = await sim.GetAsync("/v1/live_calls", token);
        Assert.Equal(401, a.Status);
        Assert.Equal("Token has expired", a.Message);
        Assert.Equal(200, (await sim.GetAsync("/v1/live_calls")).Status); // console token never expires
        var r = await sim.PostAsync("/v1/auth/refresh", null, token);
        Assert.Equal(200, r.Status);
        Assert.Equal(200, (await sim.GetAsync("/v1/live_calls", r.Json.GetProperty("access_token").GetString())).Status);
    }

    [Fact]
    public async Task Token_expires_after_n_requests_console_tokens_do_not()
    {
        await using var sim = await Sim.StartAsync(new SimulatorOptions { Config = new SimulatorConfig { TokenExpiresAfterRequests = 2 } });
        string token = await sim.LoginAsync();
        Assert.Equal(200, (await sim.GetAsync("/v1/departments", token)).Status);
        Assert.Equal(200, (await sim.GetAsync("/v1/departments", token)).Status);
        Assert.Equal("Token has expired", (await sim.GetAsync("/v1/departments", token)).Message);
        for (int i = 0; i < 4; i++) Assert.Equal(200, (await sim.GetAsync("/v1/departments")).Status);
    }

    [Fact]
    public async Task Concurrent_logins_and_refreshes_are_counted()
    {
        await using var sim = await Sim.StartAsync(new SimulatorOptions { Config = new SimulatorConfig { LatencyMs = 200 } });
        string body = "{\"email\":\"admin@example.com\",\"password\":\"Simulat0r!Pass\"}";
        await Task.WhenAll(sim.PostAsync("/v1/auth/login", body, null), sim.PostAsync("/v1/auth/login", body, null));
        Assert.Equal(1, sim.State.GetStats().ConcurrentLoginViolations);
        string t = sim.State.IssueToken();
        var answers = await Task.WhenAll(sim.PostAsync("/v1/auth/refresh", null, t), sim.PostAsync("/v1/auth/refresh", null, t));
        Assert.Equal(1, sim.State.GetStats().ConcurrentRefreshViolations);
        Assert.Equal(new[] { 200, 401 }, answers.Select(a => a.Status).OrderBy(s => s));
        Assert.Equal(2, sim.State.GetStats().MaxConcurrentRequests);
        await sim.LoginAsync();
        Assert.Equal(1, sim.State.GetStats().ConcurrentLoginViolations);
    }
}

public class CallTests
{
    private const string Live = "1714657799.11930961";

    [Theory]
    [InlineData("not json", 422, "Invalid request body")]
    [InlineData("[1]", 422, "Invalid request body")]
    [InlineData("{}", 422, "The type field is required.")]
    [InlineData("{\"type\":\"\",\"call_id\":\"" + Live + "\"}", 422, "The type field is required.")]
    [InlineData("{\"type\":5,\"call_id\":\"" + Live + "\"}", 422, "The selected type is invalid.")]
    [InlineData("{\"type\":\"one\",\"call_id\":\"" + Live + "\"}", 422, "The selected type is invalid.")]
    [InlineData("{\"type\":1.5,\"call_id\":\"" + Live + "\"}", 422, "The selected type is invalid.")]
    [InlineData("{\"type\":1}", 422, "The call id field is required.")]
    [InlineData("{\"type\":1,\"call_id\":\"\"}", 422, "The call id field is required.")]
    [InlineData("{\"type\":1,\"call_id\":1714657799.1}", 422, "The call id field is required.")]
    [InlineData("{\"type\":1,\"call_id\":\"" + Live + "\"}", 422, "The agent id field is required.")]
    [InlineData("{\"type\":3,\"call_id\":\"" + Live + "\",\"agent_id\":502842370001}", 422, "The agent id must be a string.")]
    [InlineData("{\"type\":4,\"call_id\":\"" + Live + "\"}", 422, "The intercom field is required.")]
    [InlineData("{\"type\":4,\"call_id\":\"" + Live + "\",\"intercom\":[]}", 422, "The intercom field is required.")]
    [InlineData("{\"type\":4,\"call_id\":\"" + Live + "\",\"intercom\":9876510001}", 422, "The intercom field is required.")]
    [InlineData("{\"type\":1,\"call_id\":\"999.1\",\"agent_id\":\"0502842370001\"}", 422, "Invalid Call ID")]
    [InlineData("{\"type\":1,\"call_id\":\"" + Live + "\",\"agent_id\":\"502842370001\"}", 200, "Invalid agent")]
    [InlineData("{\"type\":2,\"call_id\":\"" + Live + "\",\"agent_id\":\"0502842370007\"}", 200, "Agent is not available")]
    [InlineData("{\"type\":2,\"call_id\":\"" + Live + "\",\"agent_id\":\"0502842370009\"}", 200, "Agent is not available")]
    [InlineData("{\"type\":\"4\",\"call_id\":\"" + Live + "\",\"intercom\":\"98XX\"}", 200, "Invalid destination")]
    [InlineData("{\"type\":4,\"call_id\":\"" + Live + "\",\"intercom\":[\"8004\",\"ext-1\"]}", 200, "Invalid destination")]
    public async Task Call_options_failures(string body, int status, string message)
    {
        await using var sim = await Sim.StartAsync();
        var a = await sim.PostAsync("/v1/call/options", body);
        Assert.Equal(status, a.Status);
        Assert.Equal(JsonValueKind.False, a.Json.GetProperty("success").ValueKind);
        Assert.Equal(message, a.Message);
        Assert.False(sim.State.GetRequests("/v1/call/options").Single().Processed);
        Assert.Equal(5, sim.State.LiveCallCount);
    }

    [Fact]
    public async Task Non_json_content_type_is_an_invalid_body()
    {
        await using var sim = await Sim.StartAsync();
        var a = await sim.PostAsync("/v1/call/options", "{\"type\":4,\"call_id\":\"" + Live + "\",\"intercom\":\"8004\"}", contentType: "text/plain");
        Assert.Equal(422, a.Status);
    }

    [Theory]
    [InlineData("{\"type\":1,\"call_id\":\"" + Live + "\",\"agent_id\":\"0502842370001\"}", "Monitor")]
    [InlineData("{\"type\":\"2\",\"call_id\":\"" + Live + "\",\"agent_id\":\"0502842370002\"}", "Whisper")]
    [InlineData("{\"type\":3,\"call_id\":\"" + Live + "\",\"agent_id\":\"0502842370003\"}", "Barge")]
    [InlineData("{\"type\":\"4\",\"call_id\":\"" + Live + "\",\"intercom\":\"+919876510001\"}", "Transfer")]
    [InlineData("{\"type\":4,\"call_id\":\"" + Live + "\",\"intercom\":[\"8004\",\"060210000085\"]}", "Transfer")]
    public async Task Call_options_success(string body, string name)
    {
        await using var sim = await Sim.StartAsync();
        var a = await sim.PostAsync("/v1/call/options", body);
        Assert.Equal(200, a.Status);
        Assert.True(a.Json.GetProperty("success").GetBoolean());
        Assert.Equal(name + " request initiated", a.Message);
        Assert.True(Guid.TryParse(a.Json.GetProperty("request_id").GetString(), out _));
        Assert.True(sim.State.IsLive(Live));
        var rec = sim.State.GetRequests("/v1/call/options").Single();
        Assert.True(rec.Processed);
        Assert.Equal(body, rec.Body);
        Assert.Equal("Bearer " + Sim.Console, rec.Authorization);
        Assert.Equal(200, rec.Status);
    }

    [Fact]
    public async Task Duplicates_are_counted()
    {
        await using var sim = await Sim.StartAsync();
        await sim.PostAsync("/v1/call/options", "{\"type\":1,\"call_id\":\"" + Live + "\",\"agent_id\":\"0502842370001\"}");
        await sim.PostAsync("/v1/call/options", "{ \"agent_id\":\"0502842370001\", \"call_id\":\"" + Live + "\", \"type\":1 }");
        await sim.PostAsync("/v1/call/options", "{\"type\":2,\"call_id\":\"" + Live + "\",\"agent_id\":\"0502842370001\"}");
        Assert.Equal(1, sim.State.GetStats().DuplicateProcessed);
    }

    [Fact]
    public async Task Hangup()
    {
        await using var sim = await Sim.StartAsync();
        Assert.Equal("The call id field is required.", (await sim.PostAsync("/v1/call/hangup", "{}")).Message);
        var ok = await sim.PostAsync("/v1/call/hangup", "{\"call_id\":\"" + Live + "\"}");
        Assert.Equal("{\"success\":true,\"message\":\"Call hangup successfully\"}", ok.Body);
        var again = await sim.PostAsync("/v1/call/hangup", "{\"call_id\":\"" + Live + "\"}");
        Assert.Equal(422, again.Status);
        Assert.Equal("Invalid Call ID", again.Message);
        Assert.Equal(422, (await sim.PostAsync("/v1/call/options", "{\"type\":4,\"call_id\":\"" + Live + "\",\"intercom\":\"8004\"}")).Status);
    }

    [Fact]
    public async Task Live_calls_shape_and_filters()
    {
        await using var sim = await Sim.StartAsync();
        var all = await sim.GetAsync("/v1/live_calls");
        Assert.Equal(JsonValueKind.Array, all.Json.ValueKind);
        Assert.Equal(5, all.Json.GetArrayLength());
        var first = all.Json[0];
        Assert.Equal(JsonValueKind.Number, first.GetProperty("id").ValueKind);
        Assert.Equal(Live, first.GetProperty("call_id").GetString());
        Assert.Equal("1", first.GetProperty("direction").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", first.GetProperty("created_at").GetString());
        Assert.Matches(@"^\d\d:\d\d:\d\d$", first.GetProperty("call_time").GetString());
        foreach (var p in new[] { "source", "did", "destination", "customer_number", "state", "agent_name", "agent_number", "extension", "channel_id" })
            Assert.Equal(JsonValueKind.String, first.GetProperty(p).ValueKind);

        var byAgent = await sim.GetAsync("/v1/live_calls?agent_number=" + SeedData.FollowMeNumber(4));
        Assert.Equal(Live, byAgent.Json.EnumerateArray().Single().GetProperty("call_id").GetString());
        Assert.Single((await sim.GetAsync("/v1/live_calls?extension=1005")).Json.EnumerateArray());
        Assert.Empty((await sim.GetAsync("/v1/live_calls?extension=1005&call_id=" + Live)).Json.EnumerateArray());
        Assert.Equal(2, (await sim.GetAsync("/v1/live_calls?did_number=918069123400")).Json.GetArrayLength());
        Assert.Equal("[]", (await sim.GetAsync("/v1/live_calls?call_id=nope")).Body);
        Assert.Equal("extension=1005", sim.State.GetRequests("/v1/live_calls")[2].Query);
    }

    [Fact]
    public async Task End_after_listing()
    {
        await using var sim = await Sim.StartAsync();
        await sim.PostAsync("/_sim/calls/end-after-listing", "{\"callIds\":[\"" + Live + "\"]}", token: null);
        var other = (await sim.GetAsync("/v1/live_calls?extension=1005")).Json;
        Assert.Equal("1714657799.11930962", other.EnumerateArray().Single().GetProperty("call_id").GetString());
        Assert.True(sim.State.IsLive(Live)); // not listed yet
        Assert.Equal(5, (await sim.GetAsync("/v1/live_calls")).Json.GetArrayLength());
        Assert.False(sim.State.IsLive(Live));
        Assert.Equal("Invalid Call ID", (await sim.PostAsync("/v1/call/options", "{\"type\":4,\"call_id\":\"" + Live + "\",\"intercom\":\"8004\"}")).Message);
    }
}

public class DirectoryTests
{
    [Fact]
    public async Task Users_paging_and_shapes()
    {
        await using var sim = await Sim.StartAsync();
        long last = 0;
        int total = 0, pages = 0;
        while (true)
        {
            var a = await sim.GetAsync("/v1/users?limit=100&last_seen_id=" + last);
            var j = a.Json;
            int count = j.GetProperty("count").GetInt32();
            Assert.Equal(count, j.GetProperty("data").GetArrayLength());
            total += count;
            pages++;
            last = j.GetProperty("last_seen_id").GetInt64();
            if (!j.GetProperty("has_more").GetBoolean()) break;
        }
        Assert.Equal(250, total);
        Assert.Equal(3, pages);
        Assert.Equal(314850, last);

        var page = (await sim.GetAsync("/v1/users?limit=500")).Json;
        Assert.Equal(100, page.GetProperty("count").GetInt32());
        var u1 = page.GetProperty("data")[0];
        Assert.Equal(314601, u1.GetProperty("id").GetInt64());
        Assert.Equal("Team Lead 1", u1.GetProperty("name").GetString());
        Assert.Equal("0502842370001", u1.GetProperty("agent").GetProperty("id").GetString());
        Assert.Equal(0, u1.GetProperty("agent").GetProperty("status").GetInt32());
        Assert.Equal("9876510001", u1.GetProperty("agent").GetProperty("follow_me_number").GetString());
        Assert.Equal("Supervisor", u1.GetProperty("user_role").GetProperty("name").GetString());
        Assert.Equal("1001", u1.GetProperty("extension").GetString());
        Assert.Equal(3, page.GetProperty("data")[6].GetProperty("agent").GetProperty("status").GetInt32());
        Assert.Equal(4, page.GetProperty("data")[8].GetProperty("agent").GetProperty("status").GetInt32());
        Assert.False(page.GetProperty("data")[41].TryGetProperty("agent", out _));
    }

    [Fact]
    public async Task Single_user_and_departments()
    {
        await using var sim = await Sim.StartAsync();
        var u = await sim.GetAsync("/v1/user/314685");
        Assert.True(u.Json.GetProperty("success").GetBoolean());
        var agent = u.Json.GetProperty("data").GetProperty("agent");
        Assert.Equal("1085", agent.GetProperty("intercom").GetString());
        Assert.Equal("060210000085", agent.GetProperty("extension").GetProperty("username").GetString());
        var missing = await sim.GetAsync("/v1/user/1");
        Assert.Equal(200, missing.Status);
        Assert.Equal("{\"success\":false,\"message\":\"User not found\"}", missing.Body);

        var d = (await sim.GetAsync("/v1/departments")).Json;
        Assert.Equal(new[] { "8004", "8005", "8006", "8007" }, d.EnumerateArray().Select(x => x.GetProperty("intercom").GetString()));
        Assert.Equal("12", d[0].GetProperty("id").GetString());
        Assert.Equal("0502842370001", d[0].GetProperty("agents")[0].GetProperty("eid").GetString());
        Assert.Equal("314601", d[0].GetProperty("agents")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Agent_status_admin_route()
    {
        await using var sim = await Sim.StartAsync();
        string body = "{\"type\":1,\"call_id\":\"1714657799.11930962\",\"agent_id\":\"0502842370001\"}";
        Assert.Equal(200, (await sim.PostAsync("/_sim/users/0502842370001/status", "{\"status\":3}", token: null)).Status);
        Assert.Equal("Agent is not available", (await sim.PostAsync("/v1/call/options", body)).Message);
        Assert.Equal(404, (await sim.PostAsync("/_sim/users/nope/status", "{\"status\":0}", token: null)).Status);
    }
}
