using System;
using System.Collections.Generic;
using Xunit;
using Xunit.Abstractions;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// Why some rows of issue 22's goals table stay short of the goal in <see cref="RateGoalsTests"/>: floors that no
    /// tuning of the rate controller's decisions can pass, shown on the same account models. If one of these fails,
    /// the premise changed (a paced start, another model) and the bounds in RateGoalsTests are worth measuring again.
    /// </summary>
    [Collection(VirtualTimeCollection.Name)]
    public class RateGoalFloorsTests
    {
        private readonly ITestOutputHelper _output;

        public RateGoalFloorsTests(ITestOutputHelper output) => _output = output;

        /// <summary>
        /// "At most 3% answered 429" for 200 rows at an unknown 3/s allows 6 refusals in the whole run (6 of 206).
        /// A session sends unlimited until its first 429 (a run at -ThrottleLimit 16 against 50 ms of latency needs
        /// that), so the first second alone holds more: the 8 rows in flight, and the rows that the first successes
        /// free before the first 429 is answered, all meet a window that holds 3. A run told the limit from the start
        /// refuses none in that second: the refusals are the unlimited start's, not the model's.
        /// </summary>
        [Theory]
        [InlineData("fixed")]
        [InlineData("sliding")]
        [InlineData("bucket")]
        [InlineData("burst")]
        [InlineData("concurrency")]
        public void At_3_per_second_an_unlimited_start_alone_refuses_more_than_the_goal_allows(string model)
        {
            for (int seed = 0; seed < 3; seed++)
            {
                var unknown = new BulkRunSimulation(AccountLimit.Create(model, _ => 3), TimeSpan.FromMilliseconds(50), seed);
                var run = unknown.AddRun(200, throttleLimit: 8, seed: 100 + seed);
                unknown.RunToEnd(TimeSpan.FromSeconds(1));

                var told = new BulkRunSimulation(AccountLimit.Create(model, _ => 3), TimeSpan.FromMilliseconds(50), seed);
                var paced = told.AddRun(200, throttleLimit: 8, seed: 100 + seed, ceiling: 3 * 0.97);
                told.RunToEnd(TimeSpan.FromSeconds(1));

                _output.WriteLine($"{model} seed {seed}: first second unlimited {run.Refused} refused of {run.Sent}; told the limit {paced.Refused} of {paced.Sent}");
                Assert.True(run.Refused > 0.03 * (200 + run.Refused), $"{model} seed {seed}: only {run.Refused} refused in the first second");
                Assert.Equal(0, paced.Refused);
            }
        }

        /// <summary>
        /// Two requests in the account at once, each held 2 / 50 s = 40 ms, and arrivals that wander by 25 ms (the
        /// simulations' 25-75 ms round trips): a client pacing itself exactly, without a single resend, is refused far
        /// more than 3% of the time at 95% of the limit, because two intervals (42 ms) are not 40 ms plus the wander.
        /// Only a pace near 60% of the limit stays under 3%. So ">= 95% with <= 3% answered 429" is out of reach at 50/s
        /// for this model, whatever the controller decides.
        /// </summary>
        [Theory]
        [InlineData(0.95, false)]
        [InlineData(0.90, false)]
        [InlineData(0.60, true)]
        public void A_cap_on_requests_in_flight_refuses_an_exact_pace_near_50_per_second(double shareOfLimit, bool withinGoal)
        {
            const double limit = 50;
            const int requests = 3000;
            var account = AccountLimit.Create("concurrency", _ => limit);
            var random = new Random(7);
            var finishing = new PriorityQueue<TimeSpan, TimeSpan>();
            var arrivals = new List<TimeSpan>();
            for (int i = 0; i < requests; i++)
            {
                // Sent on the dot; half a 25-75 ms round trip later it reaches the account.
                TimeSpan sent = TimeSpan.FromSeconds(i / (limit * shareOfLimit));
                arrivals.Add(sent + TimeSpan.FromMilliseconds(25 * (0.5 + random.NextDouble())));
            }
            arrivals.Sort();
            int refused = 0;
            foreach (TimeSpan at in arrivals)
            {
                while (finishing.TryPeek(out TimeSpan done, out _) && done <= at)
                {
                    finishing.Dequeue();
                    account.Finished(done);
                }
                if (account.TryPass(at, out _)) finishing.Enqueue(at + account.ServiceTime, at + account.ServiceTime);
                else refused++;
            }
            double share = refused / (double)requests;
            _output.WriteLine($"paced at {shareOfLimit:P0} of {limit}/s: {share:P1} refused");
            Assert.Equal(withinGoal, share <= 0.03);
        }
    }
}
