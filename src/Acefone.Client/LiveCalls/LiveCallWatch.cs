using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// A long-running watch of GET /v1/live_calls: one poll at a time through the session's rate limiter, diffed by
    /// a <see cref="LiveCallTracker"/>. A failed poll (429, 5xx, network, an unreadable answer) is returned, not thrown,
    /// and the next one waits a back-off; only AuthenticationFailed (and cancellation) end the watch. The caller owns the
    /// loop and the waiting, so a cmdlet can stop between any two polls without a request after the stop.
    /// </summary>
    public sealed class LiveCallWatch
    {
        private readonly AcefoneSession _session;
        private readonly LiveCallWatchOptions _options;
        private readonly Func<DateTime> _utcNow;
        private readonly LiveCallTracker _tracker;
        private DateTime? _lastSuccessAt;
        private DateTime? _nextDue;
        private int _failuresInRow;

        public LiveCallWatch(AcefoneSession session, LiveCallWatchOptions options, Func<DateTime>? utcNow = null)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (options.Interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "The interval must be positive.");
            _options = options;
            _utcNow = utcNow ?? (() => DateTime.UtcNow);
            _tracker = new LiveCallTracker(options.DurationThresholds);
        }

        public int Polls { get; private set; }
        public int DelayedPolls { get; private set; }
        public int FailedPolls { get; private set; }
        public long StartedEvents { get; private set; }
        public long ChangedEvents { get; private set; }
        public long EndedEvents { get; private set; }
        /// <summary>The calls the watch keeps: those of the last successful listing.</summary>
        public int LiveCalls => _tracker.Count;

        /// <summary>How long to wait from <paramref name="now"/> before the next poll is due (zero before the first).</summary>
        public TimeSpan DelayBeforeNextPoll(DateTime now)
        {
            if (!_nextDue.HasValue) return TimeSpan.Zero;
            TimeSpan left = _nextDue.Value - now;
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }

        /// <summary>
        /// The wait after <paramref name="failuresInRow"/> failed polls: the interval doubled per failure, at most
        /// <paramref name="maxBackoff"/> (but never less than the interval itself).
        /// </summary>
        public static TimeSpan Backoff(int failuresInRow, TimeSpan interval, TimeSpan maxBackoff)
        {
            if (failuresInRow <= 0) return interval;
            TimeSpan cap = maxBackoff > interval ? maxBackoff : interval;
            double ticks = interval.Ticks * Math.Pow(2, Math.Min(failuresInRow, 30));
            return ticks >= cap.Ticks ? cap : TimeSpan.FromTicks((long)ticks);
        }

        /// <summary>Sends one poll now and diffs it. Throws only for AuthenticationFailed, a closed session or cancellation.</summary>
        public async Task<LiveCallPoll> PollAsync(IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default)
        {
            var counting = new CountingObserver(observer);
            DateTime started = _utcNow();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int number = ++Polls;
            IReadOnlyList<AcefoneLiveCall> calls;
            try
            {
                calls = await _session.GetLiveCallsAsync(_options.Filter, counting, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Polls--;   // abandoned, not made: the summary counts polls that were answered or failed
                throw;
            }
            catch (AcefoneException ex) when (ex.Kind != AcefoneErrorKind.AuthenticationFailed)
            {
                FailedPolls++;
                _failuresInRow++;
                TimeSpan backoff = Backoff(_failuresInRow, _options.Interval, _options.MaxBackoff);
                _nextDue = _utcNow() + backoff;
                LiveCallPoll failed = new LiveCallPoll(number, Array.Empty<AcefoneLiveCallEvent>(), 0, ex, clock.Elapsed, counting.RateLimitWait, counting.Attempts, backoff, 0, counting.RateLimited);
                if (failed.Delayed) DelayedPolls++;
                return failed;
            }

            DateTime at = _utcNow();
            DateTime? gapSince = _failuresInRow > 0 && _tracker.IsPrimed ? _lastSuccessAt : null;
            // A listing with an unreadable entry is not evidence that a call missing from it has ended.
            bool complete = !(calls is AcefoneLiveCallList listing && listing.Skipped.Count > 0);
            IReadOnlyList<AcefoneLiveCallEvent> events = _tracker.Update(calls, at, _options.SkipExisting, gapSince, complete);
            foreach (AcefoneLiveCallEvent e in events)
            {
                if (e.Event == LiveCallEventKind.Started) StartedEvents++;
                else if (e.Event == LiveCallEventKind.Changed) ChangedEvents++;
                else EndedEvents++;
            }
            int resumedAfter = _failuresInRow;
            _failuresInRow = 0;
            _lastSuccessAt = at;
            _nextDue = started + _options.Interval;
            TimeSpan next = DelayBeforeNextPoll(at);
            var poll = new LiveCallPoll(number, events, calls.Count, null, clock.Elapsed, counting.RateLimitWait, counting.Attempts, next, resumedAfter, counting.RateLimited);
            if (poll.Delayed) DelayedPolls++;
            return poll;
        }

        /// <summary>The warning for a failed poll: what failed, and that the watch goes on.</summary>
        public static string DescribeFailure(LiveCallPoll poll)
        {
            if (poll.Failure == null) throw new ArgumentException("The poll did not fail.", nameof(poll));
            return string.Format(CultureInfo.InvariantCulture, "Poll {0} failed ({1}): {2} The watch goes on; next poll in {3:0.#} s.",
                poll.Number, poll.Failure.Kind, poll.Failure.Message.TrimEnd(), poll.NextDelay.TotalSeconds);
        }

        /// <summary>The warning when polls work again after failures.</summary>
        public static string DescribeResume(LiveCallPoll poll) =>
            string.Format(CultureInfo.InvariantCulture,
                "Poll {0} succeeded after {1}; the watch resumed. Calls that ended meanwhile are reported Ended with an unknown end time.",
                poll.Number, LiveCallPoll.Plural(poll.ResumedAfterFailures, "failed poll"));

        /// <summary>The end-of-watch summary: polls made, delayed and failed, and events by kind.</summary>
        public string Summary(string commandName, TimeSpan elapsed) =>
            string.Format(CultureInfo.InvariantCulture,
                "{0}: {1} ({2} delayed by the rate limit, {3} failed), {4} ({5} Started, {6} Changed, {7} Ended), {8} at the end, {9:0.0} s.",
                commandName, LiveCallPoll.Plural(Polls, "poll"), DelayedPolls, FailedPolls,
                LiveCallPoll.Plural(StartedEvents + ChangedEvents + EndedEvents, "event"), StartedEvents, ChangedEvents, EndedEvents,
                LiveCallPoll.Plural(LiveCalls, "live call"), elapsed.TotalSeconds);

        /// <summary>Counts one poll's attempts and rate-limit waits, and passes everything on.</summary>
        private sealed class CountingObserver : IAcefoneRequestObserver
        {
            private readonly IAcefoneRequestObserver? _inner;
            private long _waitTicks;
            private int _attempts;
            private int _rateLimited;

            internal CountingObserver(IAcefoneRequestObserver? inner) => _inner = inner;

            internal TimeSpan RateLimitWait => TimeSpan.FromTicks(Interlocked.Read(ref _waitTicks));
            internal int Attempts => Volatile.Read(ref _attempts);
            internal bool RateLimited => Volatile.Read(ref _rateLimited) != 0;

            public bool WantsDebug => _inner != null && _inner.WantsDebug;

            public void OnAttempt(AcefoneRequestTrace trace)
            {
                Interlocked.Increment(ref _attempts);
                Interlocked.Add(ref _waitTicks, trace.RateLimitWait.Ticks);
                if (trace.StatusCode == 429) Volatile.Write(ref _rateLimited, 1);
                _inner?.OnAttempt(trace);
            }

            public void OnDebug(string message) => _inner?.OnDebug(message);
        }
    }
}
