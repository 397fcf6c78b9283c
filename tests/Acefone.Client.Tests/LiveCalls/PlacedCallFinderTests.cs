using System;
using System.Linq;
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

        [Theory]
        [InlineData("919812300001", "9812300001", true)]
        [InlineData("+91-98123-00001", "919812300001", true)]
        [InlineData("1001", "1001", true)]
        [InlineData("1001", "11001", false)]
        [InlineData("919812300001", "919812300002", false)]
        [InlineData("", "1001", false)]
        public void Numbers_match_by_digits_or_the_last_ten(string listed, string wanted, bool same) =>
            Assert.Equal(same, PlacedCallFinder.SameNumber(listed, wanted));
    }
}
