using System;
using System.Threading.Tasks;
using Xunit;

namespace Acefone.Simulator.Tests;

/// <summary>
/// The account limit's models and faults (issue 22): fixed and sliding one-second windows beside the token bucket,
/// a cap on requests in flight, an outage after the knobs are set, and a limit that changes mid-run. On a manual clock.
/// </summary>
public class RateLimitModelTests
{
    private static Task<Sim> Start(ManualTimeProvider clock, SimulatorConfig config) =>
        Sim.StartAsync(new SimulatorOptions { TimeProvider = clock, Config = config });

    private static async Task<int> Status(Sim sim) => (await sim.GetAsync("/v1/departments")).Status;

    [Fact]
    public async Task A_fixed_window_passes_the_limit_in_each_second_and_a_burst_at_its_turn()
    {
        var clock = new ManualTimeProvider();
        await using var sim = await Start(clock, new SimulatorConfig { RateLimitPerSecond = 3, RateLimitModel = RateLimitModel.FixedWindow, RetryAfter = RetryAfterMode.Seconds });
        clock.Advance(TimeSpan.FromMilliseconds(900));
        for (int i = 0; i < 3; i++) Assert.Equal(200, await Status(sim));
        var refused = await sim.GetAsync("/v1/departments");
        Assert.Equal(429, refused.Status);
        // A tenth of a second to the turn of the window, rounded up to whole seconds.
        Assert.Equal("1", refused.RetryAfter);
        // The next second is a new window: three more at once, 100 ms after the first three (a token bucket would refuse them).
        clock.Advance(TimeSpan.FromMilliseconds(100));
        for (int i = 0; i < 3; i++) Assert.Equal(200, await Status(sim));
        Assert.Equal(429, await Status(sim));
    }

    [Fact]
    public async Task A_sliding_window_passes_no_more_than_the_limit_in_any_second()
    {
        var clock = new ManualTimeProvider();
        await using var sim = await Start(clock, new SimulatorConfig { RateLimitPerSecond = 3, RateLimitModel = RateLimitModel.SlidingWindow });
        Assert.Equal(200, await Status(sim));
        clock.Advance(TimeSpan.FromMilliseconds(600));
        Assert.Equal(200, await Status(sim));
        Assert.Equal(200, await Status(sim));
        // The turn of a calendar second frees nothing: the first is 0.9 s old.
        clock.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal(429, await Status(sim));
        // A second after the first, one place is free; the other two 600 ms later.
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(200, await Status(sim));
        Assert.Equal(429, await Status(sim));
        clock.Advance(TimeSpan.FromMilliseconds(600));
        Assert.Equal(200, await Status(sim));
        Assert.Equal(200, await Status(sim));
        Assert.Equal(429, await Status(sim));
        Assert.Equal(3, sim.State.GetStats().TooManyRequests);
    }

    [Fact]
    public async Task An_outage_refuses_everything_for_its_seconds_after_the_knobs_are_set()
    {
        var clock = new ManualTimeProvider();
        await using var sim = await Start(clock, new SimulatorConfig { OutageSeconds = 8, RateLimitPerSecond = 10, RetryAfter = RetryAfterMode.Seconds });
        var first = await sim.GetAsync("/v1/departments");
        Assert.Equal(429, first.Status);
        Assert.Equal("8", first.RetryAfter);
        clock.Advance(TimeSpan.FromMilliseconds(7999));
        Assert.Equal(429, await Status(sim));
        Assert.Equal(0, sim.State.GetStats().Processed);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(200, await Status(sim));
        // Setting the knobs again starts a new outage.
        sim.State.UpdateConfig(c => c with { OutageSeconds = 1 });
        Assert.Equal(429, await Status(sim));
    }

    [Fact]
    public async Task A_limit_change_applies_its_seconds_after_the_knobs_are_set()
    {
        var clock = new ManualTimeProvider();
        await using var sim = await Start(clock, new SimulatorConfig { RateLimitPerSecond = 20, RateLimitChangesTo = 5, RateLimitChangesAfterSeconds = 8 });
        // 20/s: twenty in a second pass.
        int passed = 0;
        for (int i = 0; i < 20; i++)
        {
            if (await Status(sim) == 200) passed++;
            clock.Advance(TimeSpan.FromMilliseconds(50));
        }
        Assert.Equal(20, passed);
        clock.Advance(TimeSpan.FromSeconds(7));
        // From 8 s, 5/s: at one request each 50 ms, about five in a second pass (the bucket holds 20 at first).
        clock.Advance(TimeSpan.FromSeconds(10));
        for (int i = 0; i < 20; i++) await Status(sim);
        passed = 0;
        for (int i = 0; i < 20; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(50));
            if (await Status(sim) == 200) passed++;
        }
        Assert.InRange(passed, 5, 6);
    }

    [Fact]
    public async Task A_concurrency_cap_refuses_requests_beyond_those_in_flight()
    {
        var clock = new ManualTimeProvider();
        // Each request is held 300 ms (real time: the latency knob), two at once.
        await using var sim = await Start(clock, new SimulatorConfig { ConcurrencyLimit = 2, LatencyMs = 300 });
        var five = new Task<Answer>[5];
        for (int i = 0; i < five.Length; i++) five[i] = sim.GetAsync("/v1/departments");
        Answer[] answers = await Task.WhenAll(five);
        int ok = 0, refused = 0;
        foreach (Answer a in answers)
        {
            if (a.Status == 200) ok++;
            else if (a.Status == 429) refused++;
        }
        // In the account's hands from arrival: the first to come out of the latency sees five and is refused; whatever
        // the order after it, no more than two pass.
        Assert.InRange(ok, 0, 2);
        Assert.Equal(5, ok + refused);
        // One at a time passes.
        Assert.Equal(200, await Status(sim));
        Assert.Equal(200, await Status(sim));
    }

    [Theory]
    [InlineData("{\"rateLimitModel\":\"slidingWindow\",\"outageSeconds\":2,\"concurrencyLimit\":3,\"rateLimitPerSecond\":20,\"rateLimitChangesTo\":5,\"rateLimitChangesAfterSeconds\":8}", 200)]
    [InlineData("{\"rateLimitModel\":\"leaky\"}", 400)]
    [InlineData("{\"concurrencyLimit\":0}", 400)]
    [InlineData("{\"outageSeconds\":-1}", 400)]
    [InlineData("{\"rateLimitChangesTo\":5}", 400)]
    [InlineData("{\"rateLimitChangesTo\":5,\"rateLimitChangesAfterSeconds\":8}", 400)]
    public async Task The_new_knobs_are_set_and_checked_over_the_admin_route(string body, int status)
    {
        await using var sim = await Sim.StartAsync();
        var answer = await sim.PostAsync("/_sim/config", body, null);
        Assert.Equal(status, answer.Status);
        if (status == 200)
        {
            Assert.Equal(RateLimitModel.SlidingWindow, sim.State.Config.RateLimitModel);
            Assert.Equal(2, sim.State.Config.OutageSeconds);
            Assert.Equal(3, sim.State.Config.ConcurrencyLimit);
            Assert.Equal(5, sim.State.Config.RateLimitChangesTo);
            Assert.Equal("slidingWindow", answer.Json.GetProperty("rateLimitModel").GetString());
            Assert.Equal(8, answer.Json.GetProperty("rateLimitChangesAfterSeconds").GetDouble());
        }
    }
}
