using System;
using System.Collections.Generic;
using System.Linq;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>The pure diff of two listings: Started, Changed (with Changes), Ended, in order.</summary>
    public class LiveCallTrackerTests
    {
        private static readonly DateTime T0 = new DateTime(2026, 12, 2, 8, 0, 0, DateTimeKind.Utc);

        private static AcefoneLiveCall Call(string id, string state = "Answered", string agent = "Agent 004", int seconds = 10, string? queue = null) =>
            new AcefoneLiveCall(id)
            {
                State = state,
                QueueState = queue,
                AgentName = agent,
                AgentNumber = "9876510004",
                Direction = CallDirection.Inbound,
                Duration = TimeSpan.FromSeconds(seconds),
            };

        private static string Describe(IEnumerable<AcefoneLiveCallEvent> events) =>
            string.Join("; ", events.Select(e => $"{e.Event} {e.CallId}" + (e.Changes.Count > 0 ? " [" + string.Join(",", e.Changes) + "]" : string.Empty)));

        [Fact]
        public void The_first_listing_is_Started_in_the_API_order_unless_existing_calls_are_skipped()
        {
            var tracker = new LiveCallTracker();
            var events = tracker.Update(new[] { Call("b"), Call("a") }, T0);
            Assert.Equal("Started b; Started a", Describe(events));
            Assert.All(events, e => Assert.Equal(T0, e.At));

            var skipping = new LiveCallTracker();
            Assert.Empty(skipping.Update(new[] { Call("b"), Call("a") }, T0, skipExisting: true));
            Assert.Equal("Started c", Describe(skipping.Update(new[] { Call("b"), Call("a"), Call("c") }, T0.AddSeconds(5), skipExisting: true)));
        }

        [Fact]
        public void A_listing_that_left_out_an_unreadable_entry_ends_no_call()
        {
            var tracker = new LiveCallTracker();
            tracker.Update(new[] { Call("a"), Call("b") }, T0);
            // b may be the entry the API sent unreadably: it is kept, not Ended.
            Assert.Equal("Started c", Describe(tracker.Update(new[] { Call("a"), Call("c") }, T0.AddSeconds(5), complete: false)));
            Assert.Equal(3, tracker.Count);
            Assert.Equal("Ended b", Describe(tracker.Update(new[] { Call("a"), Call("c") }, T0.AddSeconds(10))));
        }

        [Fact]
        public void A_change_names_each_property_that_changed_and_keeps_the_previous_call()
        {
            var tracker = new LiveCallTracker();
            AcefoneLiveCall ringing = Call("1", "Ringing", queue: "Waiting");
            tracker.Update(new[] { ringing }, T0);
            var events = tracker.Update(new[] { Call("1", "Answered", "Agent 005", 20) }, T0.AddSeconds(5));

            AcefoneLiveCallEvent changed = Assert.Single(events);
            Assert.Equal(LiveCallEventKind.Changed, changed.Event);
            Assert.Equal(new[] { "State", "QueueState", "AgentName" }, changed.Changes);
            Assert.Same(ringing, changed.Previous);
            Assert.Equal("Answered", changed.Call.State);
            Assert.Equal(TimeSpan.FromSeconds(20), changed.Duration);
        }

        [Fact]
        public void A_growing_duration_alone_is_no_change()
        {
            var tracker = new LiveCallTracker();
            tracker.Update(new[] { Call("1", seconds: 10) }, T0);
            Assert.Empty(tracker.Update(new[] { Call("1", seconds: 15) }, T0.AddSeconds(5)));
        }

        [Fact]
        public void Passing_a_duration_threshold_is_a_change_named_Duration_once()
        {
            var tracker = new LiveCallTracker(new[] { TimeSpan.FromMinutes(10) });
            tracker.Update(new[] { Call("1", seconds: 595) }, T0);
            var passed = tracker.Update(new[] { Call("1", seconds: 600) }, T0.AddSeconds(5));
            Assert.Equal("Changed 1 [Duration]", Describe(passed));
            Assert.Empty(tracker.Update(new[] { Call("1", seconds: 605) }, T0.AddSeconds(10)));
        }

        [Fact]
        public void A_call_that_disappears_is_Ended_with_its_last_known_duration_and_no_note()
        {
            var tracker = new LiveCallTracker();
            tracker.Update(new[] { Call("1", seconds: 10), Call("2", seconds: 30) }, T0);
            tracker.Update(new[] { Call("1", seconds: 15), Call("2", seconds: 35) }, T0.AddSeconds(5));
            var events = tracker.Update(new[] { Call("3") }, T0.AddSeconds(10));

            Assert.Equal("Started 3; Ended 1; Ended 2", Describe(events));
            AcefoneLiveCallEvent ended = events[1];
            Assert.Equal(TimeSpan.FromSeconds(15), ended.Duration);
            Assert.Null(ended.Note);
            Assert.False(ended.EndTimeUnknown);
            Assert.Equal(1, tracker.Count);
        }

        [Fact]
        public void After_a_gap_an_ended_call_says_its_end_time_is_unknown()
        {
            var tracker = new LiveCallTracker();
            tracker.Update(new[] { Call("1") }, T0);
            var events = tracker.Update(Array.Empty<AcefoneLiveCall>(), T0.AddMinutes(2), gapSince: T0);
            AcefoneLiveCallEvent ended = Assert.Single(events);
            Assert.True(ended.EndTimeUnknown);
            Assert.Contains("2026-12-02 08:00:00 UTC", ended.Note);
        }

        [Fact]
        public void Without_a_call_time_the_duration_runs_on_from_when_the_call_was_first_seen()
        {
            var tracker = new LiveCallTracker();
            var noTime = new AcefoneLiveCall("1") { State = "Answered" };
            Assert.Equal(TimeSpan.Zero, tracker.Update(new[] { noTime }, T0)[0].Duration);
            var ended = tracker.Update(new[] { new AcefoneLiveCall("1") { State = "On hold" } }, T0.AddSeconds(7));
            Assert.Equal(TimeSpan.FromSeconds(7), ended[0].Duration);
        }

        [Fact]
        public void A_call_listed_twice_counts_once_and_memory_holds_only_the_last_listing()
        {
            var tracker = new LiveCallTracker();
            Assert.Single(tracker.Update(new[] { Call("1"), Call("1", "Ringing") }, T0));
            for (int poll = 1; poll <= 50; poll++)
            {
                var calls = Enumerable.Range(poll * 10, 10).Select(i => Call(i.ToString())).ToArray();
                tracker.Update(calls, T0.AddSeconds(poll));
                Assert.Equal(10, tracker.Count);
            }
        }

        [Fact]
        public void Five_thousand_calls_with_a_few_changes_give_exactly_those_events()
        {
            var tracker = new LiveCallTracker();
            AcefoneLiveCall[] first = Enumerable.Range(1, 5000).Select(i => Call("c" + i)).ToArray();
            Assert.Equal(5000, tracker.Update(first, T0).Count);
            AcefoneLiveCall[] second = first.Skip(1).Select(c => c.CallId == "c100" ? Call("c100", "On hold") : c).Append(Call("new")).ToArray();
            Assert.Equal("Changed c100 [State]; Started new; Ended c1", Describe(tracker.Update(second, T0.AddSeconds(5))));
        }
    }
}
