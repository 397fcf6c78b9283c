using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace Acefone.Simulator.Tests;

/// <summary>POST /v1/click_to_call and /v1/agent/{id}/block|unblock, with the awkward parts the docs and clients show.</summary>
public class SupervisorRouteTests
{
    private const string Agent = "0502842370001";

    [Theory]
    [InlineData("{\"destination_number\":\"919812300001\",\"async\":1}", "The agent number field is required.")]
    [InlineData("{\"agent_number\":\"0502842370001\",\"async\":1}", "The destination number field is required.")]
    [InlineData("{\"agent_number\":\"0502842370001\",\"destination_number\":\"+919812300001\",\"async\":1}", "The destination number format is invalid.")]
    [InlineData("{\"agent_number\":\"0502842370001\",\"destination_number\":\"981230\",\"async\":1}", "The destination number format is invalid.")]
    [InlineData("{\"agent_number\":\"0502842370001\",\"destination_number\":\"919812300001\"}", "The async field is required.")]
    [InlineData("{\"agent_number\":\"0502842370001\",\"destination_number\":\"919812300001\",\"async\":0}", "Synchronous click to call is no longer supported. Send async: 1.")]
    public async Task Click_to_call_refuses_with_422_and_places_nothing(string body, string message)
    {
        await using var sim = await Sim.StartAsync();
        int before = sim.State.LiveCallCount;
        var a = await sim.PostAsync("/v1/click_to_call", body);
        Assert.Equal(422, a.Status);
        Assert.Equal(message, a.Message);
        Assert.Equal(before, sim.State.LiveCallCount);
    }

    [Fact]
    public async Task An_accepted_call_answers_success_as_a_string_with_a_ref_id_and_no_call_id_and_shows_up_as_a_live_call()
    {
        await using var sim = await Sim.StartAsync();
        var a = await sim.PostAsync("/v1/click_to_call", "{\"agent_number\":\"0502842370001\",\"destination_number\":\"919812300001\",\"async\":1,\"custom_identifier\":\"t-1\"}");
        Assert.Equal(200, a.Status);
        Assert.Equal("true", a.Json.GetProperty("success").GetString());
        string refId = a.Json.GetProperty("ref_id").GetString()!;
        Assert.False(a.Json.TryGetProperty("call_id", out _));
        var placed = sim.State.GetLiveCalls().Single(c => c.Destination == "919812300001");
        Assert.NotEqual(refId, placed.CallId);
        Assert.Equal("9876510001", placed.AgentNumber);   // the agent's own number, not the id it was placed with
        Assert.Equal("2", placed.Direction);
        Assert.Null(placed.CustomIdentifier);             // live records carry it only when the knob says so
    }

    [Fact]
    public async Task A_busy_or_unknown_agent_is_success_false_as_a_string()
    {
        await using var sim = await Sim.StartAsync();
        var busy = await sim.PostAsync("/v1/click_to_call", "{\"agent_number\":\"0502842370007\",\"destination_number\":\"919812300001\",\"async\":\"1\"}");
        Assert.Equal(200, busy.Status);
        Assert.Equal("false", busy.Json.GetProperty("success").GetString());
        Assert.Equal("Agent is not available", busy.Message);
        var unknown = await sim.PostAsync("/v1/click_to_call", "{\"agent_number\":\"12345\",\"destination_number\":\"919812300001\",\"async\":1}");
        Assert.Equal("Invalid agent number", unknown.Message);
    }

    [Fact]
    public async Task The_knobs_carry_the_custom_identifier_or_place_no_call()
    {
        await using var sim = await Sim.StartAsync();
        Assert.Equal(200, (await sim.PostAsync("/_sim/supervisor", "{\"liveCallsCarryCustomIdentifier\":true}", token: null)).Status);
        await sim.PostAsync("/v1/click_to_call", "{\"agent_number\":\"1001\",\"destination_number\":\"919812300002\",\"async\":1,\"custom_identifier\":\"t-2\"}");
        Assert.Equal("t-2", sim.State.GetLiveCalls().Single(c => c.Destination == "919812300002").CustomIdentifier);
        var listed = await sim.GetAsync("/v1/live_calls?call_id=" + sim.State.GetLiveCalls().Single(c => c.Destination == "919812300002").CallId);
        Assert.Equal("t-2", listed.Json[0].GetProperty("custom_identifier").GetString());

        await sim.PostAsync("/_sim/supervisor", "{\"placeCalls\":false}", token: null);
        int before = sim.State.LiveCallCount;
        Assert.Equal(200, (await sim.PostAsync("/v1/click_to_call", "{\"agent_number\":\"9876510001\",\"destination_number\":\"919812300003\",\"async\":1}")).Status);
        Assert.Equal(before, sim.State.LiveCallCount);

        await sim.PostAsync("/_sim/reset", null, token: null);
        Assert.Equal(SupervisorKnobs.Default, sim.State.Supervisor);
    }

    [Fact]
    public async Task Block_and_unblock_change_the_agent_status_and_are_idempotent()
    {
        await using var sim = await Sim.StartAsync();
        var first = await sim.PostAsync($"/v1/agent/{Agent}/block", null);
        Assert.Equal(200, first.Status);
        Assert.Equal("Agent blocked successfully", first.Message);
        Assert.Equal(1, sim.State.GetUserByAgentId(Agent)!.Agent!.Status);
        var again = await sim.PostAsync($"/v1/agent/{Agent}/block", null);
        Assert.Equal(200, again.Status);
        Assert.True(again.Json.GetProperty("success").GetBoolean());
        var unblock = await sim.PostAsync($"/v1/agent/{Agent}/unblock", null);
        Assert.Equal("true", unblock.Json.GetProperty("success").GetString());
        Assert.Equal(0, sim.State.GetUserByAgentId(Agent)!.Agent!.Status);
    }

    [Fact]
    public async Task An_unknown_agent_is_422_and_other_methods_or_actions_are_unknown_routes()
    {
        await using var sim = await Sim.StartAsync();
        Assert.Equal(422, (await sim.PostAsync("/v1/agent/0999999999999/block", null)).Status);
        Assert.Equal(403, (await sim.GetAsync($"/v1/agent/{Agent}/block")).Status);
        Assert.Equal(403, (await sim.PostAsync($"/v1/agent/{Agent}/pause", null)).Status);
        Assert.Equal(401, (await sim.PostAsync($"/v1/agent/{Agent}/block", null, token: null)).Status);
    }

    [Fact]
    public async Task Webhooks_are_delivered_to_loopback_listeners_only()
    {
        await using var sim = await Sim.StartAsync();
        var a = await sim.PostAsync("/_sim/webhooks/deliver", "{\"url\":\"http://example.com/hook\",\"event\":{\"call_id\":\"1\"}}", token: null);
        Assert.Equal(400, a.Status);
        var b = await sim.PostAsync("/_sim/webhooks/deliver", "{\"url\":\"http://127.0.0.1:9/hook\",\"repeat\":4,\"event\":{\"call_id\":\"1\"}}", token: null);
        Assert.Equal(400, b.Status);
    }
}
