using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace Acefone.Simulator.Tests;

/// <summary>Live calls that change over time: one change at a time, a scripted scenario by listing or by clock.</summary>
public class LiveCallScenarioTests
{
    private static string[] States(JsonElement list) => list.EnumerateArray().Select(c => c.GetProperty("call_id").GetString() + "=" + c.GetProperty("state").GetString()
        + (c.TryGetProperty("queue_state", out var q) ? "/" + q.GetString() : "")).ToArray();

    [Fact]
    public async Task Change_route_changes_a_live_call_and_404s_for_one_that_is_not()
    {
        await using var sim = await Sim.StartAsync();
        var ok = await sim.PostAsync("/_sim/calls/change", "{\"call_id\":\"1714657799.11930963\",\"state\":\"Answered\",\"queue_state\":\"Waiting\",\"agent_name\":\"Agent 010\"}", token: null);
        Assert.Equal(200, ok.Status);
        var call = (await sim.GetAsync("/v1/live_calls?call_id=1714657799.11930963")).Json[0];
        Assert.Equal("Answered", call.GetProperty("state").GetString());
        Assert.Equal("Waiting", call.GetProperty("queue_state").GetString());
        Assert.Equal("Agent 010", call.GetProperty("agent_name").GetString());
        Assert.False((await sim.GetAsync("/v1/live_calls?call_id=1714657799.11930961")).Json[0].TryGetProperty("queue_state", out _));
        Assert.Equal(404, (await sim.PostAsync("/_sim/calls/change", "{\"call_id\":\"nope\",\"state\":\"Answered\"}", token: null)).Status);
    }

    [Fact]
    public async Task A_scenario_by_listing_applies_each_step_just_before_its_listing()
    {
        await using var sim = await Sim.StartAsync();
        sim.State.EndCalls(sim.State.GetLiveCalls().Select(c => c.CallId).ToArray());
        var steps = "{\"steps\":[" +
            "{\"listing\":2,\"add\":{\"call_id\":\"9.1\",\"state\":\"Ringing\",\"queue_state\":\"Waiting\"}}," +
            "{\"listing\":3,\"change\":{\"call_id\":\"9.1\",\"state\":\"Answered\",\"queue_state\":\"\"}}," +
            "{\"listing\":4,\"end\":\"9.1\"}]}";
        var started = await sim.PostAsync("/_sim/calls/scenario", steps, token: null);
        Assert.Equal(200, started.Status);
        Assert.Equal(3, started.Json.GetProperty("steps").GetInt32());

        Assert.Empty(States((await sim.GetAsync("/v1/live_calls")).Json));
        Assert.Equal(new[] { "9.1=Ringing/Waiting" }, States((await sim.GetAsync("/v1/live_calls")).Json));
        Assert.Equal(new[] { "9.1=Answered" }, States((await sim.GetAsync("/v1/live_calls")).Json));
        Assert.Empty(States((await sim.GetAsync("/v1/live_calls")).Json));
        Assert.Equal(0, sim.State.PendingScenarioSteps);
    }

    [Fact]
    public async Task A_generated_scenario_runs_on_the_simulator_clock()
    {
        var clock = new ManualTimeProvider();
        await using var sim = await Sim.StartAsync(new SimulatorOptions { TimeProvider = clock });
        sim.State.EndCalls(sim.State.GetLiveCalls().Select(c => c.CallId).ToArray());
        var started = await sim.PostAsync("/_sim/calls/scenario", "{\"generate\":{\"calls\":2,\"seconds\":10,\"prefix\":\"7.\"}}", token: null);
        Assert.Equal(new[] { "7.1", "7.2" }, started.Json.GetProperty("callIds").EnumerateArray().Select(e => e.GetString()).ToArray());

        Assert.Equal(new[] { "7.1=Ringing/Waiting" }, States((await sim.GetAsync("/v1/live_calls")).Json));
        clock.Advance(TimeSpan.FromSeconds(2.5));
        Assert.Equal(new[] { "7.1=Answered", "7.2=Ringing/Waiting" }, States((await sim.GetAsync("/v1/live_calls")).Json));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(States((await sim.GetAsync("/v1/live_calls")).Json));
    }

    [Fact]
    public async Task A_bad_scenario_is_refused_with_400_and_changes_nothing()
    {
        await using var sim = await Sim.StartAsync();
        Assert.Equal(400, (await sim.PostAsync("/_sim/calls/scenario", "{\"steps\":[{\"listing\":1}]}", token: null)).Status);
        Assert.Equal(400, (await sim.PostAsync("/_sim/calls/scenario", "{\"steps\":[{\"end\":\"x\"}]}", token: null)).Status);
        Assert.Equal(5, sim.State.LiveCallCount);
    }

    [Fact]
    public async Task A_reset_ends_the_scenario()
    {
        await using var sim = await Sim.StartAsync();
        await sim.PostAsync("/_sim/calls/scenario", "{\"steps\":[{\"listing\":1,\"end\":\"1714657799.11930961\"}]}", token: null);
        await sim.PostAsync("/_sim/reset", "{}", token: null);
        Assert.Equal(5, (await sim.GetAsync("/v1/live_calls")).Json.GetArrayLength());
    }

    [Fact]
    public async Task Forced_failures_answer_the_next_requests_once_each_after_their_step()
    {
        await using var sim = await Sim.StartAsync();
        await sim.PostAsync("/_sim/calls/scenario", "{\"steps\":[{\"listing\":1,\"fail\":[429,503]}]}", token: null);
        Assert.Equal(200, (await sim.GetAsync("/v1/live_calls")).Status);
        var limited = await sim.GetAsync("/v1/live_calls");
        Assert.Equal(429, limited.Status);
        Assert.Equal("Too many requests.", limited.Message);
        Assert.Equal(503, (await sim.GetAsync("/v1/live_calls")).Status);
        Assert.Equal(200, (await sim.GetAsync("/v1/live_calls")).Status);
        Assert.Equal(200, (await sim.PostAsync("/_sim/faults/next", "{\"statuses\":[401]}", token: null)).Status);
        Assert.Equal(401, (await sim.GetAsync("/v1/departments")).Status);
        Assert.Equal(400, (await sim.PostAsync("/_sim/faults/next", "{\"statuses\":[200]}", token: null)).Status);
        var stats = sim.State.GetStats();
        Assert.Equal(1, stats.TooManyRequests);
        Assert.Equal(1, stats.ServiceUnavailable);
    }
}
