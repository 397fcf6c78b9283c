using System;
using System.Linq;
using System.Text.Json;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>The account's UTC offset, which the API never sends, inferred from created_at, call_time and when the list arrived.</summary>
    public class LiveCallOffsetTests
    {
        private static AcefoneLiveCall Read(string createdAt, string callTime, DateTimeOffset listedAt)
        {
            string json = $"[{{\"call_id\":\"1.1\",\"created_at\":\"{createdAt}\",\"call_time\":\"{callTime}\"}}]";
            using JsonDocument document = JsonDocument.Parse(json);
            return LiveCallJson.ReadLiveCalls(document.RootElement, listedAt).Single();
        }

        [Fact]
        public void An_Indian_account_is_at_plus_05_30_even_with_some_seconds_of_clock_skew()
        {
            // Started 05:30:00 UTC = 11:00:00 IST; listed ten minutes and 7 s later by a clock 7 s fast.
            AcefoneLiveCall call = Read("2026-12-02 11:00:00", "00:10:00", new DateTimeOffset(2026, 12, 2, 5, 40, 7, TimeSpan.Zero));
            Assert.Equal(new DateTimeOffset(2026, 12, 2, 11, 0, 0, TimeSpan.FromMinutes(330)), call.StartedAtWithOffset);
            Assert.Equal(new DateTime(2026, 12, 2, 11, 0, 0), call.StartedAt);
            Assert.Equal(DateTimeKind.Unspecified, call.StartedAt!.Value.Kind);
        }

        [Fact]
        public void A_UK_account_in_winter_is_at_zero_and_a_negative_offset_works_too()
        {
            Assert.Equal(TimeSpan.Zero, Read("2026-12-02 09:00:00", "00:00:30", new DateTimeOffset(2026, 12, 2, 9, 0, 30, TimeSpan.Zero)).StartedAtWithOffset!.Value.Offset);
            Assert.Equal(TimeSpan.FromHours(-5), Read("2026-12-02 04:00:00", "01:00:00", new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero)).StartedAtWithOffset!.Value.Offset);
        }

        [Fact]
        public void No_offset_without_a_duration_or_when_the_answer_cannot_be_a_real_offset()
        {
            Assert.Null(Read("2026-12-02 11:00:00", "", DateTimeOffset.UtcNow).StartedAtWithOffset);
            // 20 hours apart: a wrong clock or a wrong field, not a time zone.
            Assert.Null(Read("2026-12-02 11:00:00", "00:00:10", new DateTimeOffset(2026, 12, 1, 15, 0, 10, TimeSpan.Zero)).StartedAtWithOffset);
        }
    }
}
