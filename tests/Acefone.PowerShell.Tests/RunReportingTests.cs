using System;
using System.Linq;
using Xunit;

namespace Acefone.PowerShell.Tests
{
    /// <summary>The arithmetic behind the summary's rate-limit wait and the progress line, with no clock involved.</summary>
    public class RunReportingTests
    {
        [Fact]
        public void Four_requests_held_over_the_same_second_count_one_second_not_four()
        {
            var timeline = new HeldTimeline();
            for (int i = 0; i < 4; i++) timeline.Add(1000, 2000);
            Assert.Equal(1000, timeline.Total);
            Assert.Equal(4, timeline.Count);
        }

        [Fact]
        public void Overlapping_waits_in_any_order_count_their_union_and_gaps_do_not_count()
        {
            var timeline = new HeldTimeline();
            // [0,10] [5,20] [30,40] [15,25] [39,45] [100,101], added out of order: union [0,25] [30,45] [100,101].
            timeline.Add(30, 40);
            timeline.Add(5, 20);
            timeline.Add(100, 101);
            timeline.Add(0, 10);
            timeline.Add(39, 45);
            timeline.Add(15, 25);
            Assert.Equal(25 + 15 + 1, timeline.Total);
            Assert.Equal(6, timeline.Count);
            // A wait that spans every gap joins them all.
            timeline.Add(-5, 200);
            Assert.Equal(205, timeline.Total);
        }

        [Fact]
        public void An_empty_or_backwards_wait_counts_nothing()
        {
            var timeline = new HeldTimeline();
            timeline.Add(10, 10);
            timeline.Add(10, 5);
            Assert.Equal(0, timeline.Total);
            Assert.Equal(0, timeline.Count);
        }

        [Fact]
        public void Progress_with_a_known_total_shows_percent_and_an_eta_from_the_rate_so_far()
        {
            string text = ProgressReporter.Describe(25, 3, 4, 100, TimeSpan.FromSeconds(10), out int percent, out int eta);
            Assert.Equal("25 of 100 rows done (3 failed), 4 in flight", text);
            Assert.Equal(25, percent);
            Assert.Equal(30, eta);   // 10 s for 25 rows: 30 s for the other 75
        }

        [Fact]
        public void Progress_without_a_total_has_no_percent_or_eta_and_leaves_out_zero_failures()
        {
            string text = ProgressReporter.Describe(25, 0, 2, null, TimeSpan.FromSeconds(10), out int percent, out int eta);
            Assert.Equal("25 rows done, 2 in flight", text);
            Assert.Equal(-1, percent);
            Assert.Equal(-1, eta);
            ProgressReporter.Describe(0, 0, 1, 100, TimeSpan.FromSeconds(1), out percent, out eta);
            Assert.Equal(0, percent);
            Assert.Equal(-1, eta);   // no row done yet: no rate to go by
        }
    }
}
