using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Acefone.Client;
using Acefone.Simulator;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// Issue 22's cases small and in real time against the simulator's limit models: a few seconds each, with bounds the
    /// controller's rules guarantee however loaded the machine (every row ends, nothing is sent twice, refusals stay
    /// a minority), not the rates of the goals table, which RateGoalsTests pins in virtual time and bench/ measures.
    /// </summary>
    public class RateLimitsAgainstSimulatorTests
    {
        private static async Task<List<AcefoneException>> RunAll(AcefoneSession session, IReadOnlyList<string> callIds, int concurrency)
        {
            var errors = new List<AcefoneException>();
            using var gate = new SemaphoreSlim(concurrency);
            await Task.WhenAll(callIds.Select(async id =>
            {
                await gate.WaitAsync();
                try
                {
                    await session.InvokeCallOptionAsync(Sessions.Transfer(id, "8004"));
                }
                catch (AcefoneException ex)
                {
                    lock (errors) errors.Add(ex);
                }
                finally
                {
                    gate.Release();
                }
            }));
            return errors;
        }

        /// <summary>
        /// What a user meets: the session's defaults, not the test helper's two resends a millisecond apart. A row's
        /// budget of resends is the rule here, so a loaded machine that bunches requests into one window may, rarely, end
        /// a row as rate-limited; that row must then be a known state the API did not act on, never a lost or doubled one.
        /// </summary>
        private static AcefoneSession DefaultSession(SimulatorHost simulator) => Sessions.ForSimulator(simulator, configure: o =>
        {
            o.MaxRetries = AcefoneSessionOptions.DefaultMaxRetries;
            o.RetryBaseDelay = new AcefoneSessionOptions().RetryBaseDelay;
        });

        [Theory]
        [InlineData(RateLimitModel.FixedWindow)]
        [InlineData(RateLimitModel.SlidingWindow)]
        [InlineData(RateLimitModel.TokenBucket)]
        public async Task A_small_limit_of_any_model_ends_every_row_once_with_refusals_a_minority(RateLimitModel model)
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(30);
            simulator.State.UpdateConfig(c => c with { RateLimitPerSecond = 10, RateLimitModel = model });
            using AcefoneSession session = DefaultSession(simulator);

            List<AcefoneException> errors = await RunAll(session, calls, 8);

            // Every row ends once: acted on, or refused by the limit and left untouched.
            Assert.All(errors, e => Assert.True(e.Kind == AcefoneErrorKind.RateLimited, $"{e.CallId}: {e.Kind}: {e.Message}"));
            SimulatorStats stats = simulator.State.GetStats();
            Assert.Equal(30 - errors.Count, stats.Processed);
            Assert.Equal(0, stats.DuplicateProcessed);
            // Each refusal lowers the rate, so refusals stay a minority of what was sent (and a refused row needs six).
            Assert.InRange(stats.TooManyRequests, 0, 15);
            Assert.NotNull(session.CurrentRequestsPerSecond);
        }

        [Fact]
        public async Task After_an_outage_the_run_goes_on_at_once_instead_of_sitting_in_a_long_backoff()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(20);
            // Every request refused for 2 s from here, then 20/s.
            simulator.State.UpdateConfig(c => c with { RateLimitPerSecond = 20, OutageSeconds = 2 });
            var clock = Stopwatch.StartNew();
            using AcefoneSession session = DefaultSession(simulator);

            List<AcefoneException> errors = await RunAll(session, calls, 8);

            // Probing at 2/s during the outage spends few of a row's five resends: every row goes through.
            Assert.Empty(errors);
            Assert.Equal(20, simulator.State.GetStats().Processed);
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2), "nothing can succeed during the outage");
            // The old controller sat in backoffs doubling to 5 s and crawled back from 0.2/s; this bound only excludes that.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        }
    }
}
