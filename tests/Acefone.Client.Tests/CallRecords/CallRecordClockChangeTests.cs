using System;
using System.Text.Json;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// Issue 24 item 8: on the night the clocks go back, 01:00-01:59 happens twice. A record in that hour is placed by
    /// what it carries (end stamp and duration), or marked AmbiguousTime, never silently given one offset.
    /// </summary>
    public class CallRecordClockChangeTests
    {
        /// <summary>UK rules (BST from the last Sunday of March 01:00 to the last Sunday of October 02:00), built here so every OS agrees.</summary>
        private static readonly TimeZoneInfo Uk = TimeZoneInfo.CreateCustomTimeZone("Test UK", TimeSpan.Zero, "UK", "GMT", "BST", new[]
        {
            TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(new DateTime(2000, 1, 1), new DateTime(2099, 12, 31), TimeSpan.FromHours(1),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 1, 0, 0), 3, 5, DayOfWeek.Sunday),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 10, 5, DayOfWeek.Sunday)),
        });

        private static readonly TimeSpan Bst = TimeSpan.FromHours(1);

        private static AcefoneCallRecord Read(string json, TimeZoneInfo? zone = null)
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return CallRecordJson.ReadRecord(document.RootElement, zone ?? Uk);
        }

        private static string Record(string id, string time, string? end = null, int? seconds = null) =>
            "{\"call_id\":\"" + id + "\",\"date\":\"2026-10-25\",\"time\":\"" + time + "\"" +
            (end == null ? string.Empty : ",\"end_stamp\":\"2026-10-25 " + end + "\"") +
            (seconds == null ? string.Empty : ",\"call_duration\":" + seconds) + "}";

        [Fact]
        public void The_zone_under_test_repeats_01_30_on_the_night_the_clocks_go_back()
        {
            Assert.True(Uk.IsAmbiguousTime(new DateTime(2026, 10, 25, 1, 30, 0)));
            Assert.False(Uk.IsAmbiguousTime(new DateTime(2026, 10, 25, 2, 10, 0)));
        }

        [Fact]
        public void Two_records_at_01_30_are_an_hour_apart_when_their_end_and_duration_say_so()
        {
            // Both end at 02:10 GMT: one lasted 100 minutes (so it began at 01:30 BST), the other 40 (01:30 GMT).
            AcefoneCallRecord first = Read(Record("1.1", "01:30:00", "02:10:00", 6000));
            AcefoneCallRecord second = Read(Record("1.2", "01:30:00", "02:10:00", 2400));

            Assert.Equal(Bst, first.StartedAt.Offset);
            Assert.Equal(TimeSpan.Zero, second.StartedAt.Offset);
            Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), first.StartedAt.ToUniversalTime());
            Assert.Equal(new DateTimeOffset(2026, 10, 25, 1, 30, 0, TimeSpan.Zero), second.StartedAt.ToUniversalTime());
            Assert.False(first.AmbiguousTime);
            Assert.False(second.AmbiguousTime);
            Assert.Equal(TimeSpan.FromMinutes(100), first.EndedAt!.Value - first.StartedAt);
        }

        [Fact]
        public void Both_ends_in_the_repeated_hour_are_placed_by_the_duration()
        {
            // 01:30 to 01:10 lasting 40 minutes: it began in BST and ended in GMT.
            AcefoneCallRecord record = Read(Record("2.1", "01:30:00", "01:10:00", 2400));

            Assert.Equal(Bst, record.StartedAt.Offset);
            Assert.Equal(TimeSpan.Zero, record.EndedAt!.Value.Offset);
            Assert.False(record.AmbiguousTime);
        }

        [Fact]
        public void An_end_in_the_repeated_hour_is_placed_from_a_known_start()
        {
            // 00:30 BST, 50 minutes: ended at 01:20 BST, not 01:20 GMT.
            AcefoneCallRecord record = Read(Record("2.2", "00:30:00", "01:20:00", 3000));

            Assert.Equal(Bst, record.StartedAt.Offset);
            Assert.Equal(Bst, record.EndedAt!.Value.Offset);
            Assert.False(record.AmbiguousTime);
        }

        [Theory]
        [InlineData(null, null)]
        [InlineData(null, 600)]
        [InlineData("02:10:00", null)]
        [InlineData("01:50:00", 1200)]
        public void A_record_that_carries_nothing_to_decide_by_is_marked_ambiguous_with_the_standard_offset(string? end, int? seconds)
        {
            AcefoneCallRecord record = Read(Record("3.1", "01:30:00", end, seconds));

            Assert.True(record.AmbiguousTime);
            Assert.Equal(TimeSpan.Zero, record.StartedAt.Offset);
        }

        [Theory]
        [InlineData("2026-07-01", "10:00:00", 1)]
        [InlineData("2026-10-25", "00:59:59", 1)]
        [InlineData("2026-10-25", "02:00:00", 0)]
        [InlineData("2026-12-01", "01:30:00", 0)]
        public void Times_outside_the_repeated_hour_are_never_ambiguous(string date, string time, int offsetHours)
        {
            AcefoneCallRecord record = Read("{\"call_id\":\"4.1\",\"date\":\"" + date + "\",\"time\":\"" + time + "\"}");

            Assert.False(record.AmbiguousTime);
            Assert.Equal(TimeSpan.FromHours(offsetHours), record.StartedAt.Offset);
        }

        [Fact]
        public void India_Standard_Time_has_no_repeated_hour()
        {
            AcefoneCallRecord record = Read(Record("5.1", "01:30:00"), AccountTimeZone.IndiaStandardTime);

            Assert.False(record.AmbiguousTime);
            Assert.Equal(TimeSpan.FromMinutes(330), record.StartedAt.Offset);
        }
    }
}
