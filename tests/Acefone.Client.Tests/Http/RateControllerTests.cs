using System;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// RateController's decisions one by one, on exact timestamps: what a 429 measures and cuts to, when and by how
    /// much the rate climbs back, and what never moves it. The virtual-time limiter tests judge the outcome over
    /// minutes; these pin each rule.
    /// </summary>
    public class RateControllerTests
    {
        private const int Precision = 9; // decimal places

        private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

        /// <summary>Sends every <paramref name="every"/> ms from <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
        private static void Send(RateController controller, int from, int to, int every)
        {
            for (int t = from; t <= to; t += every) controller.OnSent(Ms(t));
        }

        /// <summary>
        /// Unlimited at 10/s for four seconds, then a 429: the last three seconds hold 31 sends and one refusal, so
        /// 30 got through, a measured limit of exactly 10/s, cut to 8.5/s at 4 s. The last answer before it was a success.
        /// </summary>
        private static RateController CutAtTen()
        {
            var controller = new RateController(null, pacedStart: false);
            Send(controller, 0, 4000, 100);
            controller.OnSucceeded(Ms(3950));
            Assert.True(controller.OnRateLimited(Ms(4000), 0));
            Assert.Equal(10 * RateController.CutFactor, controller.Rate, Precision);
            return controller;
        }

        /// <summary>
        /// A start ended by a 429 at 1 s: 20 sends 50 ms apart, 19 answered, so a floor of exactly 19/s, cut to 85% of it.
        /// </summary>
        private static RateController StartEndedAtNineteen()
        {
            var controller = new RateController(null);
            for (int i = 0; i < 20; i++) controller.OnSent(Ms(50 * i));
            for (int i = 0; i < 19; i++) controller.OnSucceeded(Ms(100 + 50 * i));
            Assert.True(controller.OnRateLimited(Ms(1000), 0));
            Assert.Equal(19 * RateController.CutFactor, controller.Rate, Precision);
            return controller;
        }

        [Theory]
        [InlineData(0.0)]
        [InlineData(-1.0)]
        [InlineData(double.NaN)]
        public void A_ceiling_must_be_above_zero(double ceiling)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new RateController(ceiling));
        }

        [Fact]
        public void Without_a_ceiling_three_go_at_once_then_the_start_is_paced_at_3_per_second_doubling_every_fifth_of_a_second()
        {
            var controller = new RateController(null);
            Assert.True(controller.Starting);
            Assert.Equal(RateController.StartRate, controller.Rate);
            Assert.True(controller.InStartBurst);
            controller.OnSent(Ms(0));
            controller.OnSent(Ms(0));
            Assert.True(controller.InStartBurst);
            controller.OnSent(Ms(0));
            Assert.False(controller.InStartBurst);
            controller.OnSent(Ms(199));
            Assert.Equal(3, controller.Rate);
            controller.OnSent(Ms(200));
            Assert.Equal(6, controller.Rate);
            // Nine doublings reach 1536/s; the tenth would pass 2000/s, so the rate is unlimited from there.
            for (int t = 400; t <= 1800; t += 200) controller.OnSent(Ms(t));
            Assert.Equal(1536, controller.Rate);
            Assert.True(controller.Starting);
            controller.OnSent(Ms(2000));
            Assert.True(double.IsPositiveInfinity(controller.Rate));
            Assert.False(controller.Starting);
            Assert.Equal(0, controller.Generation);
            // Told a ceiling, a session starts at it.
            var told = new RateController(5);
            Assert.False(told.Starting);
            Assert.False(told.InStartBurst);
        }

        [Fact]
        public void The_start_s_first_429_takes_what_went_through_in_the_last_second_as_a_floor_and_cuts_below_it()
        {
            var controller = new RateController(null);
            // 20 sends over 0.95 s, 12 answered so far, then a 429: 12 got through for certain, at most 20 - 1 did;
            // the floor is between (15.5), and the rate goes to 85% of it.
            for (int i = 0; i < 20; i++) controller.OnSent(Ms(50 * i));
            for (int i = 0; i < 12; i++) controller.OnSucceeded(Ms(100 + 50 * i));
            Assert.True(controller.OnRateLimited(Ms(960), 0));
            Assert.False(controller.Starting);
            Assert.Equal(1, controller.Generation);
            Assert.Equal(15.5 * RateController.CutFactor, controller.Rate, Precision);
            // Sends older than a second are not counted.
            var later = new RateController(null);
            for (int i = 0; i < 20; i++) later.OnSent(Ms(50 * i));
            later.OnSucceeded(Ms(1500));
            Assert.True(later.OnRateLimited(Ms(1600), 0));
            // In the last second: 8 sends (from 600 ms on), one answered, one refused: between 1 and 8 - 1.
            Assert.Equal((1 + (8 - 1)) / 2.0 * RateController.CutFactor, later.Rate, Precision);
        }

        [Fact]
        public void A_floor_from_the_start_is_climbed_past_quickly_not_by_one_percent()
        {
            RateController controller = StartEndedAtNineteen();
            double floor = 19;
            // Sending at the pace: half way to the rest each second, then the first hold, then 5% doubling each second.
            double rest = floor * RateController.RestFactor;
            int t = 1000;
            while (controller.Rate < rest - 1e-9) controller.OnSent(Ms(t += 10));
            Assert.Equal(rest, controller.Rate, Precision);
            int restFrom = t, hold = (int)RateController.FirstHold.TotalMilliseconds;
            Send(controller, restFrom + 10, restFrom + hold - 10, 10);
            Assert.Equal(rest, controller.Rate, Precision);
            controller.OnSent(Ms(restFrom + hold));
            // 5% of the rate, where a measured limit would climb by 1% of it (at least 0.1/s).
            Assert.Equal(floor * RateController.RestFactor * (1 + RateController.ProbeStep), controller.Rate, Precision);
        }

        [Fact]
        public void Within_a_second_of_the_start_s_end_a_429_cuts_nothing()
        {
            RateController controller = StartEndedAtNineteen();
            double rate = controller.Rate;
            controller.OnSent(Ms(1100));
            controller.OnSucceeded(Ms(1150));
            // The account's window still holds the start's last burst.
            Assert.False(controller.OnRateLimited(Ms(1999), 1));
            Assert.Equal(rate, controller.Rate);
            Assert.True(controller.OnRateLimited(Ms(2000), 1));
            Assert.True(controller.Rate < rate);
        }

        [Fact]
        public void Refused_before_anything_got_through_it_probes_as_in_an_outage_and_starts_again_when_one_does()
        {
            var controller = new RateController(null);
            controller.OnSent(Ms(0));
            Assert.True(controller.OnRateLimited(Ms(50), 0));
            Assert.True(controller.InOutage);
            Assert.False(controller.Starting);
            Assert.Equal(RateController.OutageProbeRate, controller.Rate);
            controller.OnSent(Ms(400));
            Assert.False(controller.OnRateLimited(Ms(450), 1));
            controller.OnSucceeded(Ms(3000));
            Assert.False(controller.InOutage);
            Assert.True(controller.Starting);
            Assert.Equal(RateController.StartRate, controller.Rate);
        }

        /// <summary>Three 429s over a second from <paramref name="from"/> ms, the first of them a cut: an outage.</summary>
        private static void RefusedForOverASecond(RateController controller, int from)
        {
            controller.OnRateLimited(Ms(from), 0);
            controller.OnRateLimited(Ms(from + 500), 1);
            controller.OnRateLimited(Ms(from + 1000), 1);
            Assert.True(controller.InOutage);
        }

        [Fact]
        public void An_unlimited_session_whose_outage_ends_starts_again()
        {
            var controller = new RateController(null);
            Send(controller, 0, 3000, 10);
            controller.OnSucceeded(Ms(3000));
            Assert.True(double.IsPositiveInfinity(controller.Rate));
            controller.OnSent(Ms(3100));
            RefusedForOverASecond(controller, 3200);
            controller.OnSucceeded(Ms(6000));
            Assert.True(controller.Starting);
            Assert.Equal(RateController.StartRate, controller.Rate);
            // Told the limit, a session's outage ends at the pace it had.
            var told = new RateController(5);
            told.OnSent(Ms(0));
            told.OnSucceeded(Ms(50));
            RefusedForOverASecond(told, 1100);
            told.OnSucceeded(Ms(3000));
            Assert.False(told.Starting);
            Assert.Equal(5, told.Rate);
        }

        [Fact]
        public void Without_the_start_unlimited_until_the_first_429_or_at_the_ceiling()
        {
            var unlimited = new RateController(null, pacedStart: false);
            Assert.Null(unlimited.Ceiling);
            Send(unlimited, 0, 10000, 10);
            Assert.True(double.IsPositiveInfinity(unlimited.Rate));
            Assert.Equal(0, unlimited.Generation);

            var paced = new RateController(0.5);
            Assert.Equal(0.5, paced.Ceiling);
            Assert.Equal(0.5, paced.Rate);
            Send(paced, 0, 10000, 10);
            Assert.Equal(0.5, paced.Rate);
        }

        [Fact]
        public void A_429_over_a_whole_window_measures_what_got_through_in_it_and_cuts_below()
        {
            RateController controller = CutAtTen();
            Assert.Equal(1, controller.Generation);
        }

        [Fact]
        public void A_429_between_one_and_three_seconds_in_measures_over_the_time_so_far()
        {
            var controller = new RateController(null, pacedStart: false);
            Send(controller, 0, 1900, 100); // 20 sends
            Assert.True(controller.OnRateLimited(Ms(2000), 0));
            // 19 got through in 2 s.
            Assert.Equal(19 / 2.0 * RateController.CutFactor, controller.Rate, Precision);
        }

        [Fact]
        public void Time_counts_from_the_first_send_not_from_the_start()
        {
            // The same four seconds at 10/s, beginning 20 s after the controller was made: the same measure.
            var controller = new RateController(null, pacedStart: false);
            Send(controller, 20000, 24000, 100);
            Assert.True(controller.OnRateLimited(Ms(24000), 0));
            Assert.Equal(10 * RateController.CutFactor, controller.Rate, Precision);
            // And 1.5 s after a first send at 20 s is between one and three seconds in: measured over 1.5 s.
            var early = new RateController(null, pacedStart: false);
            Send(early, 20000, 21400, 100); // fifteen
            Assert.True(early.OnRateLimited(Ms(21500), 0));
            Assert.Equal(14 / 1.5 * RateController.CutFactor, early.Rate, Precision);
        }

        [Fact]
        public void Exactly_one_second_in_a_429_measures_the_rate_not_the_burst()
        {
            // Paced at 5/s, ten got through in the first second: a whole second measured, 9/s, not cut to the pace.
            // Paced at 5/s and using the pace, it was refused at 5/s: that is where 429s begin, cut below it.
            var paced = new RateController(5);
            Send(paced, 0, 900, 100);
            Assert.True(paced.OnRateLimited(Ms(1000), 0));
            Assert.Equal(5 * RateController.CutFactor, paced.Rate, Precision);
            // Four sends in the second are 80% of the pace: still using it.
            var lower = new RateController(5);
            Send(lower, 0, 900, 250); // four
            Assert.True(lower.OnRateLimited(Ms(1000), 0));
            Assert.Equal(5 * RateController.CutFactor, lower.Rate, Precision);
            // Three are not: what got through (two in the second) is the measure.
            var unused = new RateController(5);
            Send(unused, 0, 900, 400); // three
            Assert.True(unused.OnRateLimited(Ms(1000), 0));
            Assert.Equal(2 * RateController.CutFactor, unused.Rate, Precision);

            // Unlimited, and the measure is kept as the limit: the climb after it stops at 90% of it.
            var controller = new RateController(null, pacedStart: false);
            Send(controller, 0, 900, 100); // ten
            Assert.True(controller.OnRateLimited(Ms(1000), 0));
            double limit = 9;
            Assert.Equal(limit * RateController.CutFactor, controller.Rate, Precision);
            Send(controller, 1100, 2000, 100);
            Assert.Equal(limit * RateController.CutFactor + (limit * RateController.RestFactor - limit * RateController.CutFactor) / 2, controller.Rate, Precision);
        }

        [Fact]
        public void Sends_exactly_three_seconds_old_still_count()
        {
            var controller = new RateController(null, pacedStart: false);
            Send(controller, 0, 3000, 100);
            controller.OnSent(Ms(3999));
            // At 4 s the window holds the sends from 1 s (exactly three seconds old) to 3 s and the one at 3.999 s.
            Assert.True(controller.OnRateLimited(Ms(4000), 0));
            Assert.Equal((22 - 1) / 3.0 * RateController.CutFactor, controller.Rate, Precision);
        }

        [Fact]
        public void Refusals_spend_nothing_and_old_refusals_are_forgotten()
        {
            var controller = new RateController(null, pacedStart: false);
            Send(controller, 0, 4000, 100);
            // Two 429s at 0.5 s for requests of another generation (more than three seconds before the cut) are forgotten;
            // one at 2 s is not.
            Assert.False(controller.OnRateLimited(Ms(500), -1));
            Assert.False(controller.OnRateLimited(Ms(600), -1));
            controller.OnSucceeded(Ms(1900));
            Assert.False(controller.OnRateLimited(Ms(2000), -1));
            Assert.True(double.IsPositiveInfinity(controller.Rate));
            Assert.Equal(0, controller.Generation);
            Assert.True(controller.OnRateLimited(Ms(4000), 0));
            Assert.Equal((31 - 2) / 3.0 * RateController.CutFactor, controller.Rate, Precision);
        }

        [Fact]
        public void Only_a_429_at_the_current_rate_cuts_and_one_overshoot_cuts_once()
        {
            RateController controller = CutAtTen();
            double cut = controller.Rate;
            // Requests still in flight from before the cut: refused, but they say nothing about the new rate.
            Assert.False(controller.OnRateLimited(Ms(4010), 0));
            Assert.False(controller.OnRateLimited(Ms(4020), 0));
            Assert.Equal(cut, controller.Rate);
            Assert.Equal(1, controller.Generation);
            Assert.False(controller.OnRateLimited(Ms(4030), 2));
            Assert.Equal(cut, controller.Rate);
        }

        [Fact]
        public void A_429_at_a_used_pace_measures_the_pace_and_one_without_a_success_since_the_cut_cuts_nothing()
        {
            RateController controller = CutAtTen();
            // Refused again at the new rate before anything got through since the cut: the bucket is still empty, which
            // says nothing of the new rate.
            controller.OnSent(Ms(4100));
            Assert.False(controller.OnRateLimited(Ms(4100), 1));
            Assert.Equal(10 * RateController.CutFactor, controller.Rate, Precision);
            // After a success, a 429 at the pace (eleven sends in the last second use 8.5/s) cuts below the pace.
            controller.OnSucceeded(Ms(4150));
            controller.OnSent(Ms(4200));
            Assert.True(controller.OnRateLimited(Ms(4200), 1));
            Assert.Equal(10 * RateController.CutFactor * RateController.CutFactor, controller.Rate, Precision);
            Assert.Equal(2, controller.Generation);
        }

        [Fact]
        public void A_first_second_429_when_unlimited_counts_the_burst_as_one_second()
        {
            var controller = new RateController(null, pacedStart: false);
            Send(controller, 0, 450, 50); // ten
            Assert.True(controller.OnRateLimited(Ms(500), 0));
            Assert.Equal(9 * RateController.CutFactor, controller.Rate, Precision);
        }

        [Fact]
        public void A_first_second_429_when_paced_is_at_most_the_pace()
        {
            // Paced at 10/s, five sends in a quarter of a second would measure 16/s: the 429 came at 10/s at most.
            var controller = new RateController(10);
            Send(controller, 0, 200, 50);
            Assert.True(controller.OnRateLimited(Ms(250), 0));
            Assert.Equal(10 * RateController.CutFactor, controller.Rate, Precision);

            // Under the pace, what got through in the time so far.
            var slow = new RateController(30);
            Send(slow, 0, 250, 50); // six
            Assert.True(slow.OnRateLimited(Ms(300), 0));
            Assert.Equal(5 / 0.3 * RateController.CutFactor, slow.Rate, Precision);
        }

        [Fact]
        public void A_first_second_429_within_fifty_milliseconds_counts_as_fifty()
        {
            // One got through in 20 ms: that is not 50/s, and is read as one in 50 ms (20/s).
            var controller = new RateController(100);
            Send(controller, 0, 10, 10);
            Assert.True(controller.OnRateLimited(Ms(20), 0));
            Assert.Equal(1 / 0.05 * RateController.CutFactor, controller.Rate, Precision);
        }

        [Fact]
        public void The_rate_never_falls_below_the_minimum()
        {
            var controller = new RateController(1);
            controller.OnSent(Ms(0));
            // Nothing got through (the only request was refused).
            Assert.True(controller.OnRateLimited(Ms(100), 0));
            Assert.Equal(RateController.MinimumRate, controller.Rate, Precision);
            controller.OnSucceeded(Ms(150));
            Assert.True(controller.OnRateLimited(Ms(200), 1));
            Assert.Equal(RateController.MinimumRate, controller.Rate, Precision);

            var late = new RateController(null, pacedStart: false);
            late.OnSent(Ms(0));
            Assert.True(late.OnRateLimited(Ms(5000), 0));
            Assert.Equal(RateController.MinimumRate, late.Rate, Precision);
        }

        [Fact]
        public void After_a_cut_the_rate_climbs_half_way_to_its_rest_point_each_second()
        {
            RateController controller = CutAtTen();
            double cut = 10 * RateController.CutFactor, rest = 10 * RateController.RestFactor;
            // Sending at 10/s uses the rate; the first climb comes one second after the cut, not before.
            Send(controller, 4100, 4900, 100);
            Assert.Equal(cut, controller.Rate, Precision);
            controller.OnSent(Ms(4999));
            Assert.Equal(cut, controller.Rate, Precision);
            controller.OnSent(Ms(5000));
            double expected = cut + (rest - cut) / 2;
            Assert.Equal(expected, controller.Rate, Precision);
            // At most once a second.
            Send(controller, 5100, 5900, 100);
            Assert.Equal(expected, controller.Rate, Precision);
            controller.OnSent(Ms(6000));
            expected += (rest - expected) / 2;
            Assert.Equal(expected, controller.Rate, Precision);
            Send(controller, 6100, 7000, 100);
            expected += (rest - expected) / 2;
            Assert.Equal(9.375, expected, Precision);
            Assert.Equal(expected, controller.Rate, Precision);
            // Close to it, by at least a tenth, and never past it.
            Send(controller, 7100, 8000, 100);
            expected += 0.1;
            Assert.Equal(expected, controller.Rate, Precision);
            Send(controller, 8100, 9000, 100);
            Assert.Equal(rest, controller.Rate, Precision);
        }

        [Fact]
        public void From_the_rest_point_it_holds_then_climbs_by_a_share_of_the_limit()
        {
            RateController controller = CutAtTen();
            double rest = 10 * RateController.RestFactor;
            int t = 4000;
            while (controller.Rate < rest - 1e-9)
            {
                t += 100;
                controller.OnSent(Ms(t));
            }
            // Held at the rest point for the first hold, counted from getting there.
            int restAt = t;
            int holdMs = (int)RateController.FirstHold.TotalMilliseconds;
            for (t += 100; t < restAt + holdMs; t += 100) controller.OnSent(Ms(t));
            Assert.Equal(rest, controller.Rate, Precision);
            // Then a share of the limit a second, at least the minimum (which it is at 10/s).
            double climb = Math.Max(RateController.MinimumClimb, RateController.ClimbFactor * 10);
            Assert.Equal(RateController.MinimumClimb, climb, Precision);
            double rate = rest;
            for (int second = 0; second < 3; second++)
            {
                int next = restAt + holdMs + second * 1000;
                for (; t <= next; t += 100) controller.OnSent(Ms(t));
                rate += climb;
                Assert.Equal(rate, controller.Rate, Precision);
            }
        }

        [Fact]
        public void Under_a_limit_measured_again_it_rests_twice_as_long_before_climbing()
        {
            // Cut at 10/s at 4 s, then refused again at 10/s (the same limit, within 15%): the next rest is twice the first.
            RateController controller = CutAtTen();
            int t = 4000;
            while (controller.Rate < 10)
            {
                t += 50;
                controller.OnSent(Ms(t));
            }
            controller.OnSucceeded(Ms(t));
            Assert.True(controller.OnRateLimited(Ms(t), 1));
            double rest = controller.Rate / RateController.CutFactor * RateController.RestFactor;
            while (controller.Rate < rest - 1e-9)
            {
                t += 50;
                controller.OnSent(Ms(t));
            }
            int restAt = t;
            int holdMs = 2 * (int)RateController.FirstHold.TotalMilliseconds;
            double held = controller.Rate;
            for (t += 50; t < restAt + holdMs; t += 50) controller.OnSent(Ms(t));
            Assert.Equal(held, controller.Rate, Precision);
            for (; t <= restAt + holdMs + 1000; t += 50) controller.OnSent(Ms(t));
            Assert.True(controller.Rate > held);
        }

        [Fact]
        public void An_unused_rate_does_not_climb()
        {
            RateController controller = CutAtTen();
            // Six sends a second is under 80% of 8.5/s: a session that does not use its rate must not drift upward.
            double cut = 10 * RateController.CutFactor;
            for (int second = 5; second <= 20; second++) Send(controller, second * 1000 - 833, second * 1000, 167);
            Assert.Equal(cut, controller.Rate, Precision);
            // Six in the last second is not enough (the send at 4 s is exactly a second old at 5 s and still counts); seven is.
            var used = CutAtTen();
            Send(used, 4200, 5000, 200);
            used.OnSent(Ms(5050));
            Assert.Equal(cut, used.Rate, Precision);
            used.OnSent(Ms(5080));
            Assert.True(used.Rate > cut);
        }

        [Fact]
        public void Eighty_percent_of_the_rate_is_using_it()
        {
            // 21 sends over 2 s and a 429: 20 got through, 10/s measured, cut to 8.5/s; 80% of it is 6.8.
            var controller = new RateController(null, pacedStart: false);
            Send(controller, 0, 2000, 100);
            Assert.True(controller.OnRateLimited(Ms(2000), 0));
            double cut = 10 * RateController.CutFactor;
            Assert.Equal(cut, controller.Rate, Precision);
            // Six sends in the second up to 3.1 s is under it.
            Send(controller, 2200, 2600, 100);
            controller.OnSent(Ms(3100));
            Assert.Equal(cut, controller.Rate, Precision);
            // Seven is over it.
            var enough = new RateController(null, pacedStart: false);
            Send(enough, 0, 2000, 100);
            enough.OnRateLimited(Ms(2000), 0);
            Send(enough, 2200, 2700, 100);
            Assert.Equal(cut, enough.Rate, Precision);
            enough.OnSent(Ms(3100));
            Assert.True(enough.Rate > cut);
        }

        [Fact]
        public void Past_the_measured_limit_it_speeds_up_five_percent_doubling_each_clean_second_to_a_half()
        {
            RateController controller = CutAtTen();
            int t = 4000;
            while (controller.Rate < 10)
            {
                t += 10;
                controller.OnSent(Ms(t));
            }
            double rate = controller.Rate;
            double[] steps = { 0.05, 0.10, 0.20, 0.40, 0.50, 0.50 };
            foreach (double step in steps)
            {
                int next = t + 1000;
                for (t += 10; t <= next; t += 10) controller.OnSent(Ms(t));
                t = next;
                rate += rate * step;
                Assert.Equal(rate, controller.Rate, Precision);
            }
        }

        [Fact]
        public void After_a_burst_the_rate_doubles_each_clean_second_until_a_429_measures_a_whole_window()
        {
            // A 429 in the first second measured a burst, not a limit: the rate starts there and doubles (slow start).
            var controller = new RateController(null, pacedStart: false);
            Send(controller, 0, 450, 50);
            Assert.True(controller.OnRateLimited(Ms(500), 0));
            double rate = 9 * RateController.CutFactor;
            Assert.Equal(rate, controller.Rate, Precision);
            foreach (int at in new[] { 1500, 2500, 3500 })
            {
                Send(controller, at - 990, at, 10);
                rate *= 2;
                Assert.Equal(rate, controller.Rate, Precision);
            }
        }

        [Fact]
        public void A_small_limit_probes_by_its_climb_when_that_is_more_than_one_percent()
        {
            // Measured 4/s over a whole window: the climb (0.025 x 2 = 0.05) beats 1% of 4 (0.04).
            var controller = new RateController(null, pacedStart: false);
            Send(controller, 0, 4000, 250); // 17 sends; the last three seconds hold 13
            Assert.True(controller.OnRateLimited(Ms(4000), 0));
            Assert.Equal(4 * RateController.CutFactor, controller.Rate, Precision);
            // Climb to the rest point and on to the limit at 10/s of sending (plenty to use it).
            int t = 4000;
            while (controller.Rate < 4 - 1e-9 && t < 200000)
            {
                t += 100;
                controller.OnSent(Ms(t));
            }
            Assert.True(t < 200000, "never reached the measured limit");
            double atLimit = controller.Rate;
            Assert.True(atLimit >= 4 - 1e-9 && atLimit < 4 + 0.05 + 1e-9, $"{atLimit}");
            int nextSecond = t + 1000;
            for (t += 100; t <= nextSecond; t += 100) controller.OnSent(Ms(t));
            double climb = Math.Max(RateController.MinimumClimb, RateController.ClimbFactor * 4);
            Assert.Equal(atLimit + Math.Max(climb, atLimit * RateController.ProbeStep), controller.Rate, Precision);
        }

        [Fact]
        public void The_ceiling_caps_every_climb()
        {
            var controller = new RateController(10);
            Send(controller, 0, 450, 50);
            Assert.True(controller.OnRateLimited(Ms(500), 0));
            // Paced at the ceiling: the 429 came at 10/s at most.
            Assert.Equal(10 * RateController.CutFactor, controller.Rate, Precision);
            for (int at = 1500; at <= 20500; at += 1000) Send(controller, at - 950, at, 50);
            Assert.Equal(10, controller.Rate, Precision);
        }

        [Fact]
        public void A_climb_during_a_cut_waits_a_full_second_from_the_cut()
        {
            RateController controller = CutAtTen();
            controller.OnSent(Ms(4100));
            controller.OnSucceeded(Ms(4200));
            Assert.True(controller.OnRateLimited(Ms(4500), 1));
            double cut = controller.Rate;
            Send(controller, 4600, 5400, 100);
            Assert.Equal(cut, controller.Rate);
            controller.OnSent(Ms(5500));
            Assert.True(controller.Rate > cut);
        }
    }
}
