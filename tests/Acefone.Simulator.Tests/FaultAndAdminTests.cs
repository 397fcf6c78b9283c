using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace Acefone.Simulator.Tests;

public class FaultTests
{
    private const string Transfer = "{\"type\":\"4\",\"call_id\":\"1714657799.11930961\",\"intercom\":\"8004\"}";

    [Fact]
    public async Task Rate_limit_429_without_retry_after_by_default()
    {
        var clock = new ManualTimeProvider();
        await using var sim = await Sim.StartAsync(new SimulatorOptions { TimeProvider = clock, Config = new SimulatorConfig { RateLimitPerSecond = 3 } });
        for (int i = 0; i < 3; i++) Assert.Equal(200, (await sim.GetAsync("/v1/departments")).Status);
        var a = await sim.GetAsync("/v1/departments");
        Assert.Equal(429, a.Status);
        Assert.Equal(JsonValueKind.String, a.Json.GetProperty("success").ValueKind);
        Assert.Equal("false", a.Json.GetProperty("success").GetString());
        Assert.Equal("Too many requests.", a.Message);
        Assert.Null(a.RetryAfter);
        // login is rate limited too, and the 429 is not processed
        Assert.Equal(429, (await sim.PostAsync("/v1/auth/login", "{}", null)).Status);
        clock.Advance(TimeSpan.FromMilliseconds(340));
        Assert.Equal(200, (await sim.GetAsync("/v1/departments")).Status);
        Assert.Equal(429, (await sim.GetAsync("/v1/departments")).Status);
        var stats = sim.State.GetStats();
        Assert.Equal(3, stats.TooManyRequests);
        Assert.Equal(3, stats.StatusCounts[429]);
        Assert.Equal(0, stats.Logins);
    }

    [Fact]
    public async Task Rate_limit_retry_after_seconds_and_date()
    {
        var clock = new ManualTimeProvider();
        await using var sim = await Sim.StartAsync(new SimulatorOptions
        {
            TimeProvider = clock,
            Config = new SimulatorConfig { RateLimitPerSecond = 0.2, RateLimitBurst = 2, RetryAfter = RetryAfterMode.Seconds },
        });
        await sim.GetAsync("/v1/users");
        await sim.GetAsync("/v1/users");
        var a = await sim.GetAsync("/v1/users");
        Assert.Equal(429, a.Status);
        Assert.Equal("5", a.RetryAfter);
        await sim.PostAsync("/_sim/config", "{\"retryAfter\":\"date\"}", null); // also refills the bucket
        await sim.GetAsync("/v1/users");
        await sim.GetAsync("/v1/users");
        var b = await sim.GetAsync("/v1/users");
        Assert.Equal(clock.GetUtcNow().AddSeconds(5).ToString("R"), b.RetryAfter);
    }

    [Fact]
    public async Task Service_unavailable_every_nth()
    {
        await using var sim = await Sim.StartAsync(new SimulatorOptions { Config = new SimulatorConfig { ServiceUnavailableEveryNth = 2 } });
        Assert.Equal(200, (await sim.PostAsync("/v1/call/options", Transfer)).Status);
        var a = await sim.PostAsync("/v1/call/options", Transfer);
        Assert.Equal(503, a.Status);
        Assert.Equal("text/html", a.MediaType);
        Assert.Contains("503 Service Temporarily Unavailable", a.Body);
        var recs = sim.State.GetRequests();
        Assert.True(recs[0].Processed);
        Assert.False(recs[1].Processed);
        Assert.Equal(503, recs[1].Status);
    }

    [Fact]
    public async Task Drop_after_processing()
    {
        await using var sim = await Sim.StartAsync(new SimulatorOptions { Config = new SimulatorConfig { DropAfterProcessingEveryNth = 1 } });
        await Assert.ThrowsAsync<HttpRequestException>(() => sim.PostAsync("/v1/call/hangup", "{\"call_id\":\"1714657799.11930961\"}"));
        var rec = sim.State.GetRequests().Single();
        Assert.True(rec.Processed);
        Assert.True(rec.Dropped);
        Assert.Equal(0, rec.Status);
        Assert.False(sim.State.IsLive("1714657799.11930961"));
        Assert.Equal(200, (await sim.GetAsync("/v1/live_calls")).Status); // reads are not dropped
        Assert.Equal(1, sim.State.GetStats().Dropped);
    }

    [Theory]
    [InlineData(MalformedResponseKind.Html, "text/html", "<!DOCTYPE html>")]
    [InlineData(MalformedResponseKind.Empty, "application/json", "")]
    [InlineData(MalformedResponseKind.Truncated, "application/json", "{\"success\":tr")]
    [InlineData(MalformedResponseKind.NotObject, "application/json", "[1,2,3]")]
    [InlineData(MalformedResponseKind.WrongContentType, "text/plain", "{\"success\":true,\"message\":\"Transfer request initiated\"")]
    public async Task Malformed_answers(MalformedResponseKind kind, string mediaType, string bodyStart)
    {
        await using var sim = await Sim.StartAsync(new SimulatorOptions { Config = new SimulatorConfig { MalformedResponseKind = kind, MalformedResponseEveryNth = 2 } });
        var first = await sim.PostAsync("/v1/call/options", Transfer);
        Assert.True(first.Json.GetProperty("success").GetBoolean());
        var a = await sim.PostAsync("/v1/call/options", Transfer);
        Assert.Equal(200, a.Status);
        Assert.Equal(mediaType, a.MediaType);
        Assert.StartsWith(bodyStart, a.Body);
        Assert.True(sim.State.GetRequests()[1].Processed);
        Assert.Equal(1, sim.State.GetStats().DuplicateProcessed);
    }

    [Fact]
    public async Task Huge_answer_is_50_mb_of_valid_json()
    {
        await using var sim = await Sim.StartAsync(new SimulatorOptions { Config = new SimulatorConfig { MalformedResponseKind = MalformedResponseKind.Huge } });
        using var req = new HttpRequestMessage(HttpMethod.Post, "v1/call/options") { Content = new StringContent(Transfer, Encoding.UTF8, "application/json") };
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Sim.Console);
        using var res = await sim.Http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead);
        Assert.Null(res.Content.Headers.ContentLength);
        await using var stream = await res.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        long total = 0;
        int n;
        byte last = 0;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            total += n;
            last = buffer[n - 1];
        }
        Assert.True(total >= 50L * 1024 * 1024, "total " + total);
        Assert.Equal((byte)'}', last);
    }

    [Fact]
    public async Task Latency_applies_to_v1_only()
    {
        // No upper bound on a clock (the machine is shared): the admin route answers while a /v1 request is still
        // held by a latency far longer than any hiccup, and the /v1 request takes at least the latency.
        await using var sim = await Sim.StartAsync(new SimulatorOptions { Config = new SimulatorConfig { LatencyMs = 3000 } });
        await sim.GetAsync("/_sim/health", null); // warm the connection
        var sw = Stopwatch.StartNew();
        Task<Answer> held = sim.GetAsync("/v1/departments");
        Assert.Equal(200, (await sim.GetAsync("/_sim/health", null)).Status);
        Assert.False(held.IsCompleted, "the /v1 request should still be held by the latency");
        Assert.Equal(200, (await held).Status);
        Assert.True(sw.ElapsedMilliseconds >= 2990, "elapsed " + sw.ElapsedMilliseconds);
    }
}

public class AdminTests
{
    [Fact]
    public async Task Config_merge_and_null_clears()
    {
        await using var sim = await Sim.StartAsync();
        var a = await sim.PostAsync("/_sim/config", "{\"latencyMs\":5,\"rateLimitPerSecond\":10,\"malformedResponseKind\":\"notObject\",\"retryAfter\":\"seconds\"}", null);
        Assert.Equal(200, a.Status);
        Assert.Equal(5, sim.State.Config.LatencyMs);
        Assert.Equal(10, sim.State.Config.RateLimitPerSecond);
        Assert.Equal(MalformedResponseKind.NotObject, sim.State.Config.MalformedResponseKind);
        await sim.PostAsync("/_sim/config", "{\"rateLimitPerSecond\":null,\"latencyMs\":null}", null);
        var c = (await sim.GetAsync("/_sim/config", null)).Json;
        Assert.Equal(JsonValueKind.Null, c.GetProperty("rateLimitPerSecond").ValueKind);
        Assert.Equal(0, c.GetProperty("latencyMs").GetInt32());
        Assert.Equal("notObject", c.GetProperty("malformedResponseKind").GetString());
        Assert.Equal("seconds", c.GetProperty("retryAfter").GetString());
        Assert.Equal(400, (await sim.PostAsync("/_sim/config", "{\"nope\":1}", null)).Status);
        Assert.Equal(400, (await sim.PostAsync("/_sim/config", "{\"latencyMs\":\"x\"}", null)).Status);
        Assert.Equal(400, (await sim.PostAsync("/_sim/config", "{\"latencyMs\":-1}", null)).Status);
        Assert.Equal(200, (await sim.PostAsync("/_sim/config", "{\"serviceUnavailableEveryNth\":5.0}", null)).Status);
        Assert.Equal(5, sim.State.Config.ServiceUnavailableEveryNth);
    }

    [Fact]
    public async Task Redirect_knob_answers_302_with_the_location_and_processes_nothing()
    {
        await using var sim = await Sim.StartAsync();
        string call = sim.State.GenerateCalls(1)[0];
        Assert.Equal(200, (await sim.PostAsync("/_sim/config", "{\"redirectTo\":\"http://localhost:9/\"}", null)).Status);
        Assert.Equal(400, (await sim.PostAsync("/_sim/config", "{\"redirectTo\":\"not a uri\"}", null)).Status);
        Assert.Equal("http://localhost:9/", (await sim.GetAsync("/_sim/config", null)).Json.GetProperty("redirectTo").GetString());
        using var raw = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = sim.Host.BaseUri };
        raw.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + SeedData.ConsoleToken);
        string body = "{\"type\":4,\"call_id\":\"" + call + "\",\"intercom\":\"8004\"}";

        using (var moved = await raw.PostAsync("v1/call/options", new StringContent(body, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(302, (int)moved.StatusCode);
            Assert.Equal("http://localhost:9/v1/call/options", moved.Headers.Location!.OriginalString);
        }
        Assert.Equal(0, sim.State.GetStats().Processed);

        await sim.PostAsync("/_sim/config", "{\"redirectTo\":null}", null);
        using (var served = await raw.PostAsync("v1/call/options", new StringContent(body, Encoding.UTF8, "application/json")))
            Assert.Equal(200, (int)served.StatusCode);
        Assert.Equal(1, sim.State.GetStats().Processed);
    }

    [Fact]
    public async Task Calls_generate_add_end()
    {
        await using var sim = await Sim.StartAsync();
        var g = await sim.PostAsync("/_sim/calls", "{\"generate\":100000,\"prefix\":\"1800000000.\"}", null);
        Assert.Equal(100000, g.Json.GetProperty("callIds").GetArrayLength());
        Assert.Equal("1800000000.1", g.Json.GetProperty("callIds")[0].GetString());
        Assert.Equal(100005, sim.State.LiveCallCount);
        var one = await sim.GetAsync("/v1/live_calls?call_id=1800000000.77");
        Assert.Single(one.Json.EnumerateArray());

        var u = await sim.PostAsync("/_sim/calls", "{\"generate\":2}", null);
        Assert.NotEqual("1800000000.1", u.Json.GetProperty("callIds")[0].GetString());
        var u2 = await sim.PostAsync("/_sim/calls", "{\"generate\":2,\"prefix\":\"\"}", null);
        Assert.NotEqual(u.Json.GetProperty("callIds")[0].GetString(), u2.Json.GetProperty("callIds")[0].GetString());
        Assert.EndsWith(".1", u2.Json.GetProperty("callIds")[0].GetString());
        Assert.Equal(100009, sim.State.LiveCallCount);

        var add = await sim.PostAsync("/_sim/calls", "{\"calls\":[{\"call_id\":\"CAGE011-T8-1780735307.142\",\"agent_number\":\"9876510010\"}]}", null);
        Assert.Equal("CAGE011-T8-1780735307.142", add.Json.GetProperty("callIds")[0].GetString());
        var listed = await sim.GetAsync("/v1/live_calls?agent_number=9876510010");
        Assert.Contains(listed.Json.EnumerateArray(), c => c.GetProperty("call_id").GetString() == "CAGE011-T8-1780735307.142");

        var end = await sim.PostAsync("/_sim/calls/end", "{\"callIds\":[\"CAGE011-T8-1780735307.142\",\"nope\"]}", null);
        Assert.Equal(1, end.Json.GetProperty("ended").GetArrayLength());
        Assert.False(sim.State.IsLive("CAGE011-T8-1780735307.142"));
    }

    [Fact]
    public async Task Requests_stats_tokens_reset()
    {
        await using var sim = await Sim.StartAsync();
        await sim.GetAsync("/v1/users?limit=5", bearer: false);
        await sim.PostAsync("/v1/call/options", "{}");
        var all = (await sim.GetAsync("/_sim/requests", null)).Json;
        Assert.Equal(2, all.GetArrayLength());
        Assert.Equal("limit=5", all[0].GetProperty("query").GetString());
        Assert.Equal(Sim.Console, all[0].GetProperty("authorization").GetString());
        var filtered = (await sim.GetAsync("/_sim/requests?path=/v1/call/options", null)).Json;
        Assert.Equal("{}", filtered.EnumerateArray().Single().GetProperty("body").GetString());
        var stats = (await sim.GetAsync("/_sim/stats", null)).Json;
        Assert.Equal(2, stats.GetProperty("received").GetInt32());
        Assert.Equal(1, stats.GetProperty("statusCounts").GetProperty("422").GetInt32());

        Assert.Equal(200, (await sim.PostAsync("/_sim/tokens", "{\"token\":\"extra-console-token\"}", null)).Status);
        Assert.Equal(200, (await sim.GetAsync("/v1/users", "extra-console-token")).Status);

        sim.State.UpdateConfig(c => c with { RecordRequests = false, LatencyMs = 1 });
        await sim.GetAsync("/v1/users");
        Assert.Equal(3, sim.State.GetRequests().Count);
        Assert.Equal(4, sim.State.GetStats().Received);

        await sim.PostAsync("/_sim/calls/end", "{\"callIds\":[\"1714657799.11930961\"]}", null);
        await sim.PostAsync("/_sim/reset", null, null);
        Assert.Empty(sim.State.GetRequests());
        Assert.Equal(0, sim.State.GetStats().Received);
        Assert.True(sim.State.Config.RecordRequests);
        Assert.Equal(0, sim.State.Config.LatencyMs);
        Assert.True(sim.State.IsLive("1714657799.11930961"));
        Assert.Equal(401, (await sim.GetAsync("/v1/users", "extra-console-token")).Status);
        Assert.Equal(404, (await sim.GetAsync("/_sim/nope", null)).Status);
    }
}

public class ProcessModeTests
{
    [Fact]
    public async Task Runs_as_a_process_and_exits_with_its_parent()
    {
        string dll = typeof(SimulatorHost).Assembly.Location;
        // A parent that lives until the test ends it: one that ends by itself after a fixed time can be gone before a
        // simulator on a busy machine has started, and the test would then time the machine, not the rule.
        using var parent = Process.Start(new ProcessStartInfo(OperatingSystem.IsWindows() ? "cmd" : "sleep", OperatingSystem.IsWindows() ? "/c timeout 600" : "600") { UseShellExecute = false, RedirectStandardOutput = true })!;
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--port");
        psi.ArgumentList.Add("0");
        psi.ArgumentList.Add("--parent-pid");
        psi.ArgumentList.Add(parent.Id.ToString());
        using var sim = Process.Start(psi)!;
        try
        {
            string? line = await sim.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Matches(@"^Acefone simulator listening on http://127\.0\.0\.1:\d+$", line);
            using var http = new HttpClient();
            Assert.Equal("ok", await http.GetStringAsync(line!.Substring(line.LastIndexOf(' ') + 1) + "/_sim/health"));
            Assert.False(sim.HasExited, "the simulator ended while its parent was alive");
            parent.Kill();
            await parent.WaitForExitAsync();
            await sim.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, sim.ExitCode);
            Assert.Equal("", await sim.StandardOutput.ReadToEndAsync());
        }
        finally
        {
            if (!sim.HasExited) sim.Kill();
            if (!parent.HasExited) parent.Kill();
        }
    }
}
