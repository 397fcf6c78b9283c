using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Acefone.Client.Tests
{
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class VirtualTimeCollection
    {
        internal const string Name = "Virtual-time simulations";
    }

    /// <summary>
    /// Issue 22's goals table in virtual time: each row of it against each model of an account limit (fixed and
    /// sliding one-second windows, a token bucket of one second and of two, a cap on requests in flight), with and
    /// without Retry-After, three seeds each. Each case is a whole bulk run from its first row to its last, as a user
    /// sees it, at -ThrottleLimit 8 with 25-75 ms round trips.
    /// <para>
    /// Each model's bounds are the issue's goal where the controller meets it, else the worst of the three seeds as
    /// measured (rounded against it), so that a change that makes any case worse fails. The bounds not at the goal
    /// are marked "short of the goal" and listed in bench/README.md. RateGoalFloorsTests shows why a session starts
    /// paced, and why a cap on requests in flight at 50/s is out of reach whatever the controller decides.
    /// </para>
    /// <para>
    /// Alone in their collection, which xunit runs after the others: seconds of CPU that would otherwise slow the
    /// real-time tests beside them on a two-core runner.
    /// </para>
    /// </summary>
    [Collection(VirtualTimeCollection.Name)]
    public class RateGoalsTests
    {
        private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(50);
        private readonly ITestOutputHelper _output;
        private readonly List<string> _failures = new List<string>();

        public RateGoalsTests(ITestOutputHelper output) => _output = output;

        private static BulkRunSimulation Simulation(string model, bool retryAfter, Func<TimeSpan, double> limitAt, int seed)
        {
            AccountLimit account = AccountLimit.Create(model, limitAt);
            account.SendsRetryAfter = retryAfter;
            return new BulkRunSimulation(account, RoundTrip, seed);
        }

        /// <summary>Collected over every seed, so that the output shows all of them before the test fails.</summary>
        private void Check(bool holds, string what)
        {
            if (!holds) _failures.Add(what);
        }

        private void Verify() => Assert.True(_failures.Count == 0, string.Join("; ", _failures));

        // One run, 200 rows at an unknown 3/s. Goal: at least 95% of the limit, at most 3% of requests refused.
        // The paced start meets the limit with one to three refusals. Short of the goal on refusals by up to 3 points for
        // every model but the sliding window with Retry-After, and on use for the sliding window, Retry-After on the fixed
        // window and the bucket, and the concurrency cap.
        [Theory]
        [InlineData("fixed", false, 0.95, 0.055)]
        [InlineData("fixed", true, 0.89, 0.04)]
        [InlineData("sliding", false, 0.91, 0.035)]
        [InlineData("sliding", true, 0.87, 0.03)]
        [InlineData("bucket", false, 0.95, 0.04)]
        [InlineData("bucket", true, 0.94, 0.05)]
        [InlineData("burst", false, 0.95, 0.055)]
        [InlineData("burst", true, 0.95, 0.06)]
        [InlineData("concurrency", false, 0.86, 0.05)]
        [InlineData("concurrency", true, 0.82, 0.04)]
        public void One_run_at_an_unknown_3_per_second(string model, bool retryAfter, double minUse, double maxRefused)
            => OneRun(model, retryAfter, limit: 3, rows: 200, minUse, maxRefused);

        // One run, 3000 rows at an unknown 50/s. Goal: at least 95% of the limit, at most 3% refused (refusals met
        // everywhere; use met for the token buckets, short of it for the windows and far short for the concurrency cap).
        [Theory]
        [InlineData("fixed", false, 0.93, 0.03)]
        [InlineData("fixed", true, 0.87, 0.03)]
        [InlineData("sliding", false, 0.91, 0.03)]
        [InlineData("sliding", true, 0.87, 0.03)]
        [InlineData("bucket", false, 0.95, 0.03)]
        [InlineData("bucket", true, 0.95, 0.03)]
        [InlineData("burst", false, 0.95, 0.03)]
        [InlineData("burst", true, 0.95, 0.03)]
        [InlineData("concurrency", false, 0.5, 0.03)]
        [InlineData("concurrency", true, 0.48, 0.03)]
        public void One_run_at_an_unknown_50_per_second(string model, bool retryAfter, double minUse, double maxRefused)
            => OneRun(model, retryAfter, limit: 50, rows: 3000, minUse, maxRefused);

        private void OneRun(string model, bool retryAfter, double limit, int rows, double minUse, double maxRefused)
        {
            for (int seed = 0; seed < 3; seed++)
            {
                var sim = Simulation(model, retryAfter, _ => limit, seed);
                var run = sim.AddRun(rows, throttleLimit: 8, seed: 100 + seed);
                sim.RunToEnd();
                double used = rows / run.Elapsed.TotalSeconds / limit;
                _output.WriteLine($"{model}{(retryAfter ? "+RA" : "")} {limit}/s seed {seed}: {used:P1} of the limit, {sim.RefusedShare:P2} refused, {run.Failed} failed, {run.Elapsed.TotalSeconds:0.0} s");
                _output.WriteLine("  rate each second: " + string.Join(" ", run.RateBySecond.Select(r => r?.ToString("0.0") ?? "-")));
                Check(run.Failed == 0, $"seed {seed}: {run.Failed} rows failed");
                Check(used >= minUse && used <= 1.10, $"seed {seed}: {used:P1} of the limit");
                Check(sim.RefusedShare <= maxRefused, $"seed {seed}: {sim.RefusedShare:P2} refused");
            }
            Verify();
        }

        // Two runs of 150 rows sharing 10/s, started within a second. Goal: at least 90% together, at most 5% refused,
        // finished within 1.3 times of each other. Refusals met but for the token buckets without Retry-After and the cap;
        // the spread met for the fixed window and the cap; use short of the goal for every model but the fixed window.
        [Theory]
        [InlineData("fixed", false, 0.9, 0.05, 1.3)]
        [InlineData("fixed", true, 0.73, 0.05, 1.3)]
        [InlineData("sliding", false, 0.69, 0.05, 1.7)]
        [InlineData("sliding", true, 0.69, 0.05, 1.5)]
        [InlineData("bucket", false, 0.82, 0.07, 1.5)]
        [InlineData("bucket", true, 0.73, 0.05, 1.9)]
        [InlineData("burst", false, 0.88, 0.105, 1.7)]
        [InlineData("burst", true, 0.8, 0.05, 1.8)]
        [InlineData("concurrency", false, 0.66, 0.055, 1.3)]
        [InlineData("concurrency", true, 0.51, 0.06, 1.4)]
        public void Two_runs_sharing_10_per_second(string model, bool retryAfter, double together, double refused, double apart)
            => Sharing(model, retryAfter, runs: 2, rowsEach: 150, together, refused, apart);

        // Four runs of 75 rows sharing 10/s. Goal: at least 85% together, at most 5% refused, within 1.5 times.
        // Short of the goal on refusals everywhere, and on use or spread for every model.
        [Theory]
        [InlineData("fixed", false, 0.57, 0.1, 2.3)]
        [InlineData("fixed", true, 0.7, 0.11, 1.5)]
        [InlineData("sliding", false, 0.68, 0.115, 2.0)]
        [InlineData("sliding", true, 0.67, 0.105, 1.5)]
        [InlineData("bucket", false, 0.75, 0.1, 2.0)]
        [InlineData("bucket", true, 0.68, 0.065, 2.3)]
        [InlineData("burst", false, 0.81, 0.15, 2.0)]
        [InlineData("burst", true, 0.78, 0.085, 2.4)]
        [InlineData("concurrency", false, 0.33, 0.215, 2.5)]
        [InlineData("concurrency", true, 0.36, 0.155, 2.0)]
        public void Four_runs_sharing_10_per_second(string model, bool retryAfter, double together, double refused, double apart)
            => Sharing(model, retryAfter, runs: 4, rowsEach: 75, together, refused, apart);

        private void Sharing(string model, bool retryAfter, int runs, int rowsEach, double together, double refused, double apart)
        {
            const double limit = 10;
            for (int seed = 0; seed < 3; seed++)
            {
                var sim = Simulation(model, retryAfter, _ => limit, seed);
                // Started by hand or by a scheduler: within a second of each other, not in step.
                var all = Enumerable.Range(0, runs)
                    .Select(i => sim.AddRun(rowsEach, throttleLimit: 8, seed: 10 * seed + i, startAt: TimeSpan.FromMilliseconds(((seed + 1) * 173 * i) % 900)))
                    .ToArray();
                sim.RunToEnd();
                TimeSpan first = all.Min(r => r.StartAt), last = all.Max(r => r.FinishedAt!.Value);
                double used = runs * rowsEach / (last - first).TotalSeconds / limit;
                double ratio = all.Max(r => r.Elapsed.TotalSeconds) / all.Min(r => r.Elapsed.TotalSeconds);
                _output.WriteLine($"{model}{(retryAfter ? "+RA" : "")} {runs} runs seed {seed}: {used:P1} together, {sim.RefusedShare:P2} refused, {all.Sum(r => r.Failed)} failed, " +
                                  $"{ratio:0.00}x apart ({string.Join(", ", all.Select(r => r.Elapsed.TotalSeconds.ToString("0.0")))} s)");
                foreach (var r in all) _output.WriteLine("  rate each second: " + string.Join(" ", r.RateBySecond.Select(x => x?.ToString("0.0") ?? "-")));
                Check(all.Sum(r => r.Failed) == 0, $"seed {seed}: rows failed");
                Check(used >= together && used <= 1.10, $"seed {seed}: {used:P1} together");
                Check(sim.RefusedShare <= refused, $"seed {seed}: {sim.RefusedShare:P2} refused");
                Check(ratio <= apart, $"seed {seed}: {ratio:0.00}x apart");
            }
            Verify();
        }

        // Every request refused for 8 s, then 10/s; 80 rows. Goal: done within 20 s, the first success within 0.5 s of
        // the end of the outage. Met except for the concurrency cap (27-29 s). With Retry-After, short of "every row done":
        // a row may be refused more often than the engine resends (-MaxRetries 5) and end in an error.
        [Theory]
        [InlineData("fixed", false, 20, 500, 0)]
        [InlineData("fixed", true, 20, 500, 1)]
        [InlineData("sliding", false, 20, 500, 0)]
        [InlineData("sliding", true, 20, 500, 1)]
        [InlineData("bucket", false, 20, 500, 0)]
        [InlineData("bucket", true, 20, 500, 1)]
        [InlineData("burst", false, 20, 500, 0)]
        [InlineData("burst", true, 20, 500, 1)]
        [InlineData("concurrency", false, 28, 650, 0)]
        [InlineData("concurrency", true, 29, 700, 1)]
        public void After_an_8_second_outage_80_rows_at_10_per_second(string model, bool retryAfter, double maxSeconds, int maxFirstMs, int maxFailed)
        {
            for (int seed = 0; seed < 3; seed++)
            {
                var sim = Simulation(model, retryAfter, _ => 10, seed);
                sim.Account.OutageFrom = TimeSpan.Zero;
                sim.Account.OutageLength = TimeSpan.FromSeconds(8);
                var run = sim.AddRun(80, throttleLimit: 8, seed: 200 + seed);
                sim.RunToEnd();
                TimeSpan late = run.Successes.Min() - TimeSpan.FromSeconds(8);
                _output.WriteLine($"{model}{(retryAfter ? "+RA" : "")} seed {seed}: {run.Elapsed.TotalSeconds:0.0} s, first success {late.TotalMilliseconds:0} ms after the outage, " +
                                  $"{run.Failed} rows failed, {run.Refused} refused of {run.Sent}");
                _output.WriteLine("  rate each second: " + string.Join(" ", run.RateBySecond.Select(r => r?.ToString("0.0") ?? "-")));
                Check(run.Done == 80, $"seed {seed}: {run.Done} rows ended");
                Check(run.Elapsed <= TimeSpan.FromSeconds(maxSeconds), $"seed {seed}: {run.Elapsed.TotalSeconds:0.0} s");
                Check(late >= TimeSpan.Zero && late <= TimeSpan.FromMilliseconds(maxFirstMs), $"seed {seed}: first success {late.TotalMilliseconds:0} ms late");
                Check(run.Failed <= maxFailed, $"seed {seed}: {run.Failed} rows failed");
            }
            Verify();
        }

        // A limit of 20/s that drops to 5/s 8 s in; 260 rows. Goal: at least 85% of each phase's limit from 3 s into
        // it. Met for the token buckets and the fixed window; short of it for the sliding window's 5/s phase, Retry-After
        // on the windows, and the concurrency cap's 20/s phase.
        [Theory]
        [InlineData("fixed", false, 0.85, 0.85)]
        [InlineData("fixed", true, 0.62, 0.78)]
        [InlineData("sliding", false, 0.85, 0.8)]
        [InlineData("sliding", true, 0.73, 0.72)]
        [InlineData("bucket", false, 0.85, 0.85)]
        [InlineData("bucket", true, 0.85, 0.85)]
        [InlineData("burst", false, 0.85, 0.85)]
        [InlineData("burst", true, 0.85, 0.85)]
        [InlineData("concurrency", false, 0.22, 0.85)]
        [InlineData("concurrency", true, 0.22, 0.83)]
        public void A_limit_that_drops_from_20_to_5_per_second(string model, bool retryAfter, double minBefore, double minAfter)
        {
            TimeSpan drop = TimeSpan.FromSeconds(8);
            for (int seed = 0; seed < 3; seed++)
            {
                var sim = Simulation(model, retryAfter, t => t < drop ? 20 : 5, seed);
                var run = sim.AddRun(260, throttleLimit: 8, seed: 300 + seed);
                sim.RunToEnd();
                TimeSpan end = run.FinishedAt!.Value;
                double before = sim.Throughput(TimeSpan.FromSeconds(3), drop) / 20;
                double after = sim.Throughput(drop + TimeSpan.FromSeconds(3), end) / 5;
                _output.WriteLine($"{model}{(retryAfter ? "+RA" : "")} seed {seed}: {before:P1} of 20/s in 3-8 s, {after:P1} of 5/s from 11 s to the end at {end.TotalSeconds:0.0} s, " +
                                  $"{sim.RefusedShare:P2} refused, {run.Failed} failed");
                _output.WriteLine("  rate each second: " + string.Join(" ", run.RateBySecond.Select(r => r?.ToString("0.0") ?? "-")));
                Check(run.Failed == 0, $"seed {seed}: {run.Failed} rows failed");
                Check(before >= minBefore && before <= 1.15, $"seed {seed}: {before:P1} of 20/s");
                Check(after >= minAfter && after <= 1.10, $"seed {seed}: {after:P1} of 5/s");
            }
            Verify();
        }
    }
}
