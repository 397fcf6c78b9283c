using System;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>AccountTimeZone's rules: which zone a region or session has, zone names, and the hour the clocks go back.</summary>
    public class AccountTimeZoneTests
    {
        // UK time by its rule (last Sunday of March and October), the same on every host.
        private static readonly TimeZoneInfo Uk = TimeZoneInfo.CreateCustomTimeZone("Test UK", TimeSpan.Zero, "UK", "GMT", "BST", new[]
        {
            TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(new DateTime(2000, 1, 1), new DateTime(2099, 12, 31), TimeSpan.FromHours(1),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 1, 0, 0), 3, 5, DayOfWeek.Sunday),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 10, 5, DayOfWeek.Sunday)),
        });

        private static DateTime Night(int hour, int minute) => new DateTime(2026, 10, 25, hour, minute, 0);   // the clocks go back at 02:00 BST
        private static readonly TimeSpan Bst = TimeSpan.FromHours(1);

        private static TimeSpan SummerOffset(TimeZoneInfo zone) => zone.GetUtcOffset(new DateTime(2026, 7, 1, 12, 0, 0));

        [Theory]
        [InlineData(AcefoneRegion.India, 330)]
        [InlineData(AcefoneRegion.UK, 60)]
        [InlineData(AcefoneRegion.UKLegacy, 60)]
        public void Each_region_has_its_zone(AcefoneRegion region, int summerMinutes) =>
            Assert.Equal(TimeSpan.FromMinutes(summerMinutes), SummerOffset(AccountTimeZone.ForRegion(region)));

        [Fact]
        public void A_session_without_a_region_is_judged_by_its_host()
        {
            using AcefoneSession uk = Sessions.WithHandler(ScriptedHandler.Always(200, "[]"), Sessions.Options(AcefoneRegions.GetBaseUri(AcefoneRegion.UK)));
            using AcefoneSession other = Sessions.WithHandler(ScriptedHandler.Always(200, "[]"));
            Assert.Null(uk.Region);
            Assert.Equal(Bst, SummerOffset(AccountTimeZone.ForSession(uk)));
            Assert.Equal(TimeSpan.FromMinutes(330), SummerOffset(AccountTimeZone.ForSession(other)));
            Assert.Equal("session", Assert.Throws<ArgumentNullException>(() => AccountTimeZone.ForSession(null!)).ParamName);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("Mars/Olympus_Mons")]
        public void An_unknown_zone_is_InvalidInput_that_says_what_to_give(string? id)
        {
            var error = Assert.Throws<AcefoneException>(() => AccountTimeZone.Find(id!));
            Assert.Equal(AcefoneErrorKind.InvalidInput, error.Kind);
            Assert.Contains("is not known here", error.Message);
            Assert.Contains("Nothing was sent", error.Message);
        }

        [Fact]
        public void An_end_in_the_repeated_hour_is_read_by_the_duration_even_when_the_start_is_plain()
        {
            // 00:50 BST is 23:50 UTC; an 80-minute call ends at the second 01:10 (GMT), not the first.
            RecordTimes times = AccountTimeZone.Resolve(Night(0, 50), Night(1, 10), TimeSpan.FromMinutes(80), Uk);
            Assert.Equal(new DateTimeOffset(Night(1, 10), TimeSpan.Zero), times.Ended);
            Assert.False(times.Ambiguous);
        }

        [Fact]
        public void An_end_whose_clock_reads_earlier_than_its_start_places_both_hours()
        {
            // Started 01:30 BST, ended 01:10 GMT (40 minutes later): the only reading where the call ends after it starts.
            RecordTimes times = AccountTimeZone.Resolve(Night(1, 30), Night(1, 10), null, Uk);
            Assert.Equal(new DateTimeOffset(Night(1, 30), Bst), times.Started);
            Assert.Equal(new DateTimeOffset(Night(1, 10), TimeSpan.Zero), times.Ended);
            Assert.False(times.Ambiguous);
        }

        [Fact]
        public void A_call_of_no_length_in_the_repeated_hour_fits_both_hours_and_stays_ambiguous()
        {
            RecordTimes times = AccountTimeZone.Resolve(Night(1, 30), Night(1, 30), TimeSpan.Zero, Uk);
            Assert.True(times.Ambiguous);
        }
    }
}
