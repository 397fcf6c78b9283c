using System;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// Issue 22's goals table in virtual time: each row of it against each model of an account limit (fixed and
    /// sliding one-second windows, a token bucket of one second and of two, a cap on requests in flight), with and
    /// without Retry-After. Each case is a whole bulk run from its first row to its last, as a user sees it.
    /// </summary>
    public class RateGoalsTests
    {
        private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(50);
        private readonly ITestOutputHelper _output;

        public RateGoalsTests(ITestOutputHelper output) => _output = output;

        public static TheoryData<string, bool> Models()
        {
            var data = new TheoryData<string, bool>();
            foreach (string model in new[] { "fixed", "sliding", "bucket", "burst", "concurrency" })
            {
                data.Add(model, false);
                data.Add(model, true);
            }
            return data;
        }

        private static BulkRunSimulation Simulation(string model, bool retryAfter, Func<TimeSpan, double> limitAt, int seed)
        {
            AccountLimit account = AccountLimit.Create(model, limitAt);
            account.SendsRetryAfter = retryAfter;
            return new BulkRunSimulation(account, RoundTrip, seed);
        }

        [Theory]
        [MemberData(nameof(Models))]
        public void One_run_at_an_unknown_3_per_second_uses_95_percent_with_at_most_3_percent_refused(string model, bool retryAfter)
            => OneRun(model, retryAfter, limit: 3, rows: 200);

        [Theory]
        [MemberData(nameof(Models))]
        public void One_run_at_an_unknown_50_per_second_uses_95_percent_with_at_most_3_percent_refused(string model, bool retryAfter)
            => OneRun(model, retryAfter, limit: 50, rows: 3000);

        private void OneRun(string model, bool retryAfter, double limit, int rows)
        {
            for (int seed = 0; seed < 3; seed++)
            {
                var sim = Simulation(model, retryAfter, _ => limit, seed);
                var run = sim.AddRun(rows, throttleLimit: 8, seed: 100 + seed);
                sim.RunToEnd();
                double used = rows / run.Elapsed.TotalSeconds / limit;
                _output.WriteLine($"{model}{(retryAfter ? "+RA" : "")} {limit}/s seed {seed}: {used:P1} of the limit, {sim.RefusedShare:P2} refused, {run.Failed} failed, {run.Elapsed.TotalSeconds:0.0} s");
                if (seed == 0) _output.WriteLine("  rates: " + string.Join(" ", run.RateBySecond.Select(r => r?.ToString("0.0") ?? "-")));
                Assert.Equal(0, run.Failed);
                Assert.InRange(used, 0.95, 1.10);
                Assert.InRange(sim.RefusedShare, 0, 0.03);
            }
        }

        [Theory]
        [MemberData(nameof(Models))]
        public void Two_runs_sharing_10_per_second_use_90_percent_together_and_finish_within_1_3_times(string model, bool retryAfter)
            => Sharing(model, retryAfter, runs: 2, rowsEach: 150, together: 0.90, refused: 0.05, apart: 1.3);

        [Theory]
        [MemberData(nameof(Models))]
        public void Four_runs_sharing_10_per_second_use_85_percent_together_and_finish_within_1_5_times(string model, bool retryAfter)
            => Sharing(model, retryAfter, runs: 4, rowsEach: 75, together: 0.85, refused: 0.05, apart: 1.5);

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
                if (seed == 0) foreach (var r in all) _output.WriteLine("  rates: " + string.Join(" ", r.RateBySecond.Select(x => x?.ToString("0.0") ?? "-")));
                Assert.Equal(0, all.Sum(r => r.Failed));
                Assert.InRange(used, together, 1.10);
                Assert.InRange(sim.RefusedShare, 0, refused);
                Assert.InRange(ratio, 1.0, apart);
            }
        }

        [Theory]
        [MemberData(nameof(Models))]
        public void After_an_8_second_outage_80_rows_at_10_per_second_end_within_20_seconds(string model, bool retryAfter)
        {
            for (int seed = 0; seed < 3; seed++)
            {
                var sim = Simulation(model, retryAfter, _ => 10, seed);
                sim.Account.OutageFrom = TimeSpan.Zero;
                sim.Account.OutageLength = TimeSpan.FromSeconds(8);
                var run = sim.AddRun(80, throttleLimit: 8, seed: 200 + seed);
                sim.RunToEnd();
                TimeSpan firstSuccess = run.Successes.Min();
                _output.WriteLine($"{model}{(retryAfter ? "+RA" : "")} seed {seed}: {run.Elapsed.TotalSeconds:0.0} s, first success {(firstSuccess - TimeSpan.FromSeconds(8)).TotalMilliseconds:0} ms after the outage, " +
                                  $"{run.Failed} rows failed, {run.Refused} refused of {run.Sent}");
                if (seed == 0) _output.WriteLine("  rates: " + string.Join(" ", run.RateBySecond.Select(r => r?.ToString("0.0") ?? "-")));
                Assert.InRange(run.Elapsed, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(20));
                Assert.InRange(firstSuccess - TimeSpan.FromSeconds(8), TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
            }
        }

        [Theory]
        [MemberData(nameof(Models))]
        public void A_limit_that_drops_from_20_to_5_per_second_is_used_85_percent_in_each_phase_after_3_seconds(string model, bool retryAfter)
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
                if (seed == 0) _output.WriteLine("  rates: " + string.Join(" ", run.RateBySecond.Select(r => r?.ToString("0.0") ?? "-")));
                Assert.Equal(0, run.Failed);
                Assert.InRange(before, 0.85, 1.10);
                Assert.InRange(after, 0.85, 1.10);
            }
        }
    }
}
