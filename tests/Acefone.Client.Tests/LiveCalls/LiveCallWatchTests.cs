using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>The watch's polls against scripted answers: failures are returned and backed off, only a lost login ends it.</summary>
    public class LiveCallWatchTests
    {
        private const string OneCall = "[{\"id\":1,\"call_id\":\"1.1\",\"state\":\"Ringing\",\"call_time\":\"00:00:05\"}]";
        private const string OneCallAnswered = "[{\"id\":1,\"call_id\":\"1.1\",\"state\":\"Answered\",\"call_time\":\"00:00:10\"}]";

        private static (LiveCallWatch Watch, ScriptedHandler Handler) WatchOf(Func<int, (int Status, string Body)> answer, TimeSpan? interval = null, Func<DateTime>? clock = null)
        {
            var handler = new ScriptedHandler((_, _, n) => { var a = answer(n); return ScriptedHandler.Json(a.Status, a.Body); });
            var session = Sessions.WithHandler(handler, Sessions.Options(maxRetries: 0));
            return (new LiveCallWatch(session, new LiveCallWatchOptions { Interval = interval ?? TimeSpan.FromSeconds(5) }, clock), handler);
        }

        [Theory]
        [InlineData(0, 5)]
        [InlineData(1, 10)]
        [InlineData(2, 20)]
        [InlineData(3, 40)]
        [InlineData(4, 60)]
        [InlineData(40, 60)]
        public void Backoff_doubles_the_interval_per_failure_up_to_the_cap(int failures, int seconds)
        {
            Assert.Equal(TimeSpan.FromSeconds(seconds), LiveCallWatch.Backoff(failures, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)));
        }

        [Fact]
        public void Backoff_never_waits_less_than_the_interval()
        {
            Assert.Equal(TimeSpan.FromMinutes(5), LiveCallWatch.Backoff(3, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)));
        }

        [Fact]
        public async Task A_429_and_a_503_are_returned_as_failures_then_the_watch_resumes_and_reports_the_gap()
        {
            var answers = new Dictionary<int, (int, string)>
            {
                [1] = (200, OneCall),
                [2] = (429, "{\"success\":\"false\",\"message\":\"Too many requests.\"}"),
                [3] = (503, "<html>503</html>"),
                [4] = (200, "[]"),
            };
            DateTime now = new DateTime(2026, 12, 2, 8, 0, 0, DateTimeKind.Utc);
            (LiveCallWatch watch, _) = WatchOf(n => answers[n], clock: () => now);

            LiveCallPoll first = await watch.PollAsync();
            Assert.Equal(LiveCallEventKind.Started, Assert.Single(first.Events).Event);
            Assert.Equal(TimeSpan.FromSeconds(5), first.NextDelay);

            LiveCallPoll limited = await watch.PollAsync();
            Assert.Equal(AcefoneErrorKind.RateLimited, limited.Failure!.Kind);
            Assert.True(limited.Delayed);
            Assert.Equal(TimeSpan.FromSeconds(10), limited.NextDelay);
            Assert.Contains("Poll 2 failed (RateLimited)", LiveCallWatch.DescribeFailure(limited));

            LiveCallPoll unavailable = await watch.PollAsync();
            Assert.Equal(AcefoneErrorKind.ServerError, unavailable.Failure!.Kind);
            Assert.Equal(TimeSpan.FromSeconds(20), watch.DelayBeforeNextPoll(now));

            now = now.AddSeconds(30);
            LiveCallPoll resumed = await watch.PollAsync();
            Assert.Null(resumed.Failure);
            Assert.Equal(2, resumed.ResumedAfterFailures);
            AcefoneLiveCallEvent ended = Assert.Single(resumed.Events);
            Assert.Equal(LiveCallEventKind.Ended, ended.Event);
            Assert.True(ended.EndTimeUnknown);

            Assert.Equal(4, watch.Polls);
            Assert.Equal(2, watch.FailedPolls);
            // The 429 itself is a delay; it also paused the session's limiter for up to 100 ms, so the poll after it may have waited.
            Assert.InRange(watch.DelayedPolls, 1, 3);
            Assert.Matches(@"^Watch-AcefoneLiveCall: 4 polls \([1-3] delayed by the rate limit, 2 failed\), 2 events \(1 Started, 0 Changed, 1 Ended\), 0 live calls at the end, 40\.0 s\.$",
                watch.Summary("Watch-AcefoneLiveCall", TimeSpan.FromSeconds(40)));
        }

        [Fact]
        public async Task A_change_between_polls_is_one_Changed_event()
        {
            (LiveCallWatch watch, _) = WatchOf(n => (200, n == 1 ? OneCall : OneCallAnswered));
            await watch.PollAsync();
            LiveCallPoll second = await watch.PollAsync();
            AcefoneLiveCallEvent changed = Assert.Single(second.Events);
            Assert.Equal(new[] { "State" }, changed.Changes);
            Assert.Equal("Ringing", changed.Previous!.State);
            Assert.Equal(TimeSpan.FromSeconds(10), changed.Duration);
        }

        [Fact]
        public async Task A_refused_console_token_ends_the_watch_with_AuthenticationFailed()
        {
            (LiveCallWatch watch, _) = WatchOf(n => n == 1 ? (200, OneCall) : (401, "{\"success\":false,\"message\":\"Unauthenticated.\"}"));
            await watch.PollAsync();
            var ex = await Assert.ThrowsAsync<AcefoneException>(() => watch.PollAsync());
            Assert.Equal(AcefoneErrorKind.AuthenticationFailed, ex.Kind);
        }

        [Fact]
        public async Task The_next_poll_is_due_one_interval_after_the_last_one_started()
        {
            DateTime now = new DateTime(2026, 12, 2, 8, 0, 0, DateTimeKind.Utc);
            (LiveCallWatch watch, _) = WatchOf(_ => (200, "[]"), TimeSpan.FromSeconds(2), () => now);
            Assert.Equal(TimeSpan.Zero, watch.DelayBeforeNextPoll(now));
            await watch.PollAsync();
            Assert.Equal(TimeSpan.FromSeconds(2), watch.DelayBeforeNextPoll(now));
            Assert.Equal(TimeSpan.FromSeconds(0.5), watch.DelayBeforeNextPoll(now.AddSeconds(1.5)));
            Assert.Equal(TimeSpan.Zero, watch.DelayBeforeNextPoll(now.AddSeconds(3)));
        }

        [Fact]
        public async Task The_filters_go_to_the_server_on_every_poll()
        {
            var handler = new ScriptedHandler((_, _, _) => ScriptedHandler.Json(200, "[]"));
            var session = Sessions.WithHandler(handler);
            var watch = new LiveCallWatch(session, new LiveCallWatchOptions { Filter = new LiveCallFilter { AgentNumber = "9876510004", DidNumber = "918069123400" } });
            await watch.PollAsync();
            await watch.PollAsync();
            Assert.All(handler.Received, r => Assert.Equal("?agent_number=9876510004&did_number=918069123400", r.Request.RequestUri!.Query));
            Assert.Equal(2, handler.Count);
        }

        [Fact]
        public async Task A_network_failure_is_a_failed_poll_and_the_watch_goes_on()
        {
            var handler = new ScriptedHandler((_, _, n) =>
            {
                if (n == 2) throw new System.Net.Http.HttpRequestException("Connection reset by peer", new System.IO.IOException("reset"));
                return ScriptedHandler.Json(200, n == 1 ? OneCall : OneCallAnswered);
            });
            var session = Sessions.WithHandler(handler, Sessions.Options(maxRetries: 0));
            var watch = new LiveCallWatch(session, new LiveCallWatchOptions { Interval = TimeSpan.FromSeconds(1) });
            await watch.PollAsync();
            LiveCallPoll failed = await watch.PollAsync();
            Assert.Equal(AcefoneErrorKind.NetworkError, failed.Failure!.Kind);
            Assert.Equal(TimeSpan.FromSeconds(2), failed.NextDelay);
            LiveCallPoll resumed = await watch.PollAsync();
            Assert.Equal(1, resumed.ResumedAfterFailures);
            Assert.Equal(LiveCallEventKind.Changed, Assert.Single(resumed.Events).Event);
        }

        [Fact]
        public async Task One_poll_of_a_5000_call_account_is_5000_Started_events_then_only_what_changed()
        {
            await using var simulator = await Acefone.Simulator.SimulatorHost.StartAsync();
            simulator.State.GenerateCalls(4995, "1700000000.");
            using AcefoneSession session = Sessions.ForSimulator(simulator);
            var watch = new LiveCallWatch(session, new LiveCallWatchOptions());
            LiveCallPoll first = await watch.PollAsync();
            Assert.Equal(5000, first.LiveCalls);
            Assert.Equal(5000, first.Events.Count(e => e.Event == LiveCallEventKind.Started));
            simulator.State.EndCalls(new[] { "1700000000.7" });
            simulator.State.ChangeCall(new Acefone.Simulator.LiveCallChange { CallId = "1700000000.9", State = "On Hold" });
            LiveCallPoll second = await watch.PollAsync();
            Assert.Equal(new[] { "Changed 1700000000.9", "Ended 1700000000.7" }, second.Events.Select(e => $"{e.Event} {e.CallId}").ToArray());
            Assert.Equal(4999, watch.LiveCalls);
        }
    }
}
