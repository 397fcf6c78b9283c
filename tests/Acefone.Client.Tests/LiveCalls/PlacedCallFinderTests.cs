using System;
using System.Linq;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>Finding the call a click-to-call placed: never a guess.</summary>
    public class PlacedCallFinderTests
    {
        private static readonly DateTime Requested = new DateTime(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc);

        private static ClickToCallResult Placed(string? identifier = null) =>
            new ClickToCallResult("0502842370001", "919812300001", null, identifier, "ref", true, "ok", 200, Requested, Requested.AddSeconds(1));

        private static AcefoneLiveCall Call(string id, string agent, string destination, int startedSecondsAfterRequest, string? identifier = null) =>
            new AcefoneLiveCall(id)
            {
                AgentNumber = agent,
                Destination = destination,
                ListedAt = new DateTimeOffset(Requested.AddSeconds(30)),
                Duration = TimeSpan.FromSeconds(30 - startedSecondsAfterRequest),
                CustomIdentifier = identifier,
            };

        private static readonly string[] Agent = { "0502842370001", "9876510001", "1001" };

        [Fact]
        public void The_agent_under_any_of_its_numbers_the_destination_and_a_start_after_the_request_fit()
        {
            var calls = new[]
            {
                Call("yes", "+91 98765 10001", "919812300001", 1),
                Call("earlier", "9876510001", "919812300001", -10),
                Call("other-agent", "9876510002", "919812300001", 1),
                Call("other-customer", "9876510001", "919812300002", 1),
            };
            var (found, by) = PlacedCallFinder.Candidates(calls, Placed(), Agent);
            Assert.Equal(new[] { "yes" }, found.Select(c => c.CallId));
            Assert.Equal("agent, destination and start time", by);
            Assert.Empty(PlacedCallFinder.Candidates(calls, Placed()).Candidates);   // by the id alone the record's own number does not match
        }

        [Fact]
        public void Two_that_fit_are_both_returned()
        {
            var calls = new[] { Call("a", "9876510001", "919812300001", 1), Call("b", "1001", "9812300001", 0) };
            Assert.Equal(new[] { "a", "b" }, PlacedCallFinder.Candidates(calls, Placed(), Agent).Candidates.Select(c => c.CallId));
        }

        [Fact]
        public void When_records_carry_custom_identifiers_only_the_identifier_counts()
        {
            var calls = new[] { Call("a", "9876510001", "919812300001", 1, "t-1"), Call("b", "9876510001", "919812300001", 1, "t-2") };
            var (found, by) = PlacedCallFinder.Candidates(calls, Placed("t-2"), Agent);
            Assert.Equal(new[] { "b" }, found.Select(c => c.CallId));
            Assert.Equal("custom identifier", by);
        }

        [Fact]
        public void A_start_up_to_two_seconds_before_the_request_still_fits_the_listing_clock_and_whole_seconds()
        {
            var calls = new[] { Call("two-before", "9876510001", "919812300001", -2), Call("three-before", "9876510001", "919812300001", -3) };
            Assert.Equal(new[] { "two-before" }, PlacedCallFinder.Candidates(calls, Placed(), Agent).Candidates.Select(c => c.CallId));
        }

        [Fact]
        public void A_record_without_listing_time_or_duration_has_no_start_and_never_fits()
        {
            AcefoneLiveCall noDuration = Call("no-duration", "9876510001", "919812300001", 1);
            noDuration.Duration = null;
            AcefoneLiveCall noListing = Call("no-listing", "9876510001", "919812300001", 1);
            noListing.ListedAt = null;
            Assert.Empty(PlacedCallFinder.Candidates(new[] { noDuration, noListing }, Placed(), Agent).Candidates);
        }

        [Fact]
        public void The_customer_number_or_the_extension_of_a_record_count_as_well()
        {
            AcefoneLiveCall byExtension = Call("by-extension", "", "", 1);
            byExtension.Extension = "1001";
            byExtension.CustomerNumber = "+91 98123 00001";
            Assert.Equal(new[] { "by-extension" }, PlacedCallFinder.Candidates(new[] { byExtension }, Placed(), Agent).Candidates.Select(c => c.CallId));
        }

        [Fact]
        public void A_placed_call_without_identifier_matches_by_numbers_even_when_records_carry_identifiers()
        {
            var calls = new[] { Call("a", "9876510001", "919812300001", 1, "t-1") };
            var (found, by) = PlacedCallFinder.Candidates(calls, Placed(), Agent);
            Assert.Equal(new[] { "a" }, found.Select(c => c.CallId));
            Assert.Equal("agent, destination and start time", by);
        }

        [Theory]
        [InlineData("919812300001", "9812300001", true)]
        [InlineData("9812300001", "919812300001", true)]
        [InlineData("+91-98123-00001", "919812300001", true)]
        [InlineData("1001", "1001", true)]
        [InlineData("1001", "11001", false)]
        [InlineData("919812300001", "919812300002", false)]
        [InlineData("", "1001", false)]
        public void Numbers_match_by_digits_or_the_last_ten(string listed, string wanted, bool same) =>
            Assert.Equal(same, PlacedCallFinder.SameNumber(listed, wanted));

        // FindAsync against canned listings: the live call a listing holds started "call_time" before it was listed.
        private static string LiveCall(string id, string agent, string destination, string? identifier = null) =>
            $"{{\"call_id\":\"{id}\",\"agent_number\":\"{agent}\",\"destination\":\"{destination}\",\"call_time\":\"00:00:00\"" +
            (identifier == null ? "" : $",\"custom_identifier\":\"{identifier}\"") + "}";

        private static ClickToCallResult PlacedNow(string? identifier = null) =>
            new ClickToCallResult("9876510001", "919812300001", null, identifier, null, true, "ok", 200, DateTime.UtcNow, DateTime.UtcNow);

        [Fact]
        public async Task FindAsync_lists_again_until_the_call_shows_up_and_returns_it()
        {
            var handler = new ScriptedHandler((_, _, n) => ScriptedHandler.Json(200,
                n < 3 ? "[]" : "[" + LiveCall("other", "9876510002", "919812300001") + "," + LiveCall("placed", "9876510001", "919812300001") + "]"));
            using AcefoneSession session = Sessions.WithHandler(handler);
            PlacedCallMatch match = await PlacedCallFinder.FindAsync(session, PlacedNow(), TimeSpan.FromHours(1), TimeSpan.FromMilliseconds(1));
            Assert.Equal("placed", match.Call?.CallId);
            Assert.Equal(new[] { "placed" }, match.Candidates.Select(c => c.CallId));
            Assert.Equal(3, match.Listings);
            Assert.Equal(3, handler.Count);
            Assert.Equal("agent, destination and start time", match.MatchedBy);
        }

        [Fact]
        public async Task FindAsync_with_two_that_fit_stops_at_once_and_names_no_call()
        {
            string two = "[" + LiveCall("a", "9876510001", "919812300001") + "," + LiveCall("b", "9876510001", "919812300001") + "]";
            var handler = ScriptedHandler.Always(200, two);
            using AcefoneSession session = Sessions.WithHandler(handler);
            PlacedCallMatch match = await PlacedCallFinder.FindAsync(session, PlacedNow(), TimeSpan.FromHours(1), TimeSpan.FromMilliseconds(1));
            Assert.Null(match.Call);
            Assert.Equal(new[] { "a", "b" }, match.Candidates.Select(c => c.CallId));
            Assert.Equal(1, match.Listings);
        }

        [Fact]
        public async Task FindAsync_says_how_it_matched_by_custom_identifier()
        {
            string calls = "[" + LiveCall("a", "9876510001", "919812300001", "t-1") + "," + LiveCall("b", "9876510001", "919812300001", "t-2") + "]";
            using AcefoneSession session = Sessions.WithHandler(ScriptedHandler.Always(200, calls));
            PlacedCallMatch match = await PlacedCallFinder.FindAsync(session, PlacedNow("t-2"), TimeSpan.FromHours(1), TimeSpan.FromMilliseconds(1));
            Assert.Equal("b", match.Call?.CallId);
            Assert.Equal("custom identifier", match.MatchedBy);
        }

        [Fact]
        public async Task FindAsync_whose_next_listing_would_come_after_the_bound_lists_once_and_finds_nothing()
        {
            var handler = ScriptedHandler.Always(200, "[]");
            using AcefoneSession session = Sessions.WithHandler(handler);
            PlacedCallMatch match = await PlacedCallFinder.FindAsync(session, PlacedNow(), TimeSpan.Zero, TimeSpan.FromHours(1));
            Assert.Null(match.Call);
            Assert.Empty(match.Candidates);
            Assert.Equal(1, match.Listings);
            Assert.Equal(1, handler.Count);
        }

        [Fact]
        public async Task FindAsync_refuses_a_missing_session_or_placed_call()
        {
            using AcefoneSession session = Sessions.WithHandler(ScriptedHandler.Always(200, "[]"));
            Assert.Equal("session", (await Assert.ThrowsAsync<ArgumentNullException>(() => PlacedCallFinder.FindAsync(null!, PlacedNow(), TimeSpan.Zero, TimeSpan.Zero))).ParamName);
            Assert.Equal("placed", (await Assert.ThrowsAsync<ArgumentNullException>(() => PlacedCallFinder.FindAsync(session, null!, TimeSpan.Zero, TimeSpan.Zero))).ParamName);
            Assert.Equal("calls", Assert.Throws<ArgumentNullException>(() => PlacedCallFinder.Candidates(null!, PlacedNow())).ParamName);
            Assert.Equal("placed", Assert.Throws<ArgumentNullException>(() => PlacedCallFinder.Candidates(Array.Empty<AcefoneLiveCall>(), null!)).ParamName);
        }
    }
}
