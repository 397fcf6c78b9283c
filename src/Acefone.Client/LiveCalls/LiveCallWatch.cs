using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>How a <see cref="LiveCallWatch"/> polls.</summary>
    public sealed class LiveCallWatchOptions
    {
        public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);
        public static readonly TimeSpan DefaultMaxBackoff = TimeSpan.FromMinutes(1);

        /// <summary>Time from the start of one poll to the start of the next.</summary>
        public TimeSpan Interval { get; set; } = DefaultInterval;
        /// <summary>The server-side filters, as for <see cref="AcefoneSession.GetLiveCallsAsync"/>.</summary>
        public LiveCallFilter? Filter { get; set; }
        /// <summary>Calls already live at the first poll are not reported Started.</summary>
        public bool SkipExisting { get; set; }
        /// <summary>Durations whose passing is reported as a Changed event with "Duration" in Changes.</summary>
        public IReadOnlyList<TimeSpan>? DurationThresholds { get; set; }
        /// <summary>The longest wait after failed polls (the wait doubles per failure, from the interval).</summary>
        public TimeSpan MaxBackoff { get; set; } = DefaultMaxBackoff;
    }

    /// <summary>What one poll of a watch saw: its events, or the failure that a later poll recovers from.</summary>
    public sealed class LiveCallPoll
    {
        internal LiveCallPoll(int number, IReadOnlyList<AcefoneLiveCallEvent> events, int liveCalls, AcefoneException? failure,
            TimeSpan elapsed, TimeSpan rateLimitWait, int attempts, TimeSpan nextDelay, int resumedAfterFailures, bool rateLimited = false)
        {
            RateLimited = rateLimited;
            Number = number;
            Events = events;
            LiveCalls = liveCalls;
            Failure = failure;
            Elapsed = elapsed;
            RateLimitWait = rateLimitWait;
            Attempts = attempts;
            NextDelay = nextDelay;
            ResumedAfterFailures = resumedAfterFailures;
        }

        /// <summary>1 for the first poll of the watch.</summary>
        public int Number { get; }
        public IReadOnlyList<AcefoneLiveCallEvent> Events { get; }
        /// <summary>How many calls the listing held (0 for a failed poll).</summary>
        public int LiveCalls { get; }
        /// <summary>Why the poll failed; null when it succeeded. Never AuthenticationFailed: that one is thrown.</summary>
        public AcefoneException? Failure { get; }
        public TimeSpan Elapsed { get; }
        /// <summary>How long the poll's requests waited for the session's rate limiter.</summary>
        public TimeSpan RateLimitWait { get; }
        /// <summary>HTTP attempts the poll took (more than 1 after a 429, a 503 or a token renewal).</summary>
        public int Attempts { get; }
        /// <summary>Whether the API answered 429 to one of the poll's attempts.</summary>
        public bool RateLimited { get; }
        /// <summary>
        /// Whether the rate limit held the poll back: it waited for the session's limiter (20 ms or more, more than the
        /// limiter's own bookkeeping ever takes), or the API answered 429.
        /// </summary>
        public bool Delayed => RateLimitWait >= DelayedWait || RateLimited;

        internal static readonly TimeSpan DelayedWait = TimeSpan.FromMilliseconds(20);
        /// <summary>How long the watch waits before the next poll (the interval, or a back-off after a failure).</summary>
        public TimeSpan NextDelay { get; }
        /// <summary>When this poll succeeded after failed ones: how many failed in a row before it. Otherwise 0.</summary>
        public int ResumedAfterFailures { get; }

        /// <summary>The Verbose line: "Poll 3: 5 live calls, 1 event in 12 ms (1 attempt); next poll in 5.0 s".</summary>
        public override string ToString()
        {
            string what = Failure == null
                ? Plural(LiveCalls, "live call") + ", " + Plural(Events.Count, "event")
                : "failed (" + Failure.Kind + ")";
            string text = string.Format(CultureInfo.InvariantCulture, "Poll {0}: {1} in {2} ms ({3})", Number, what, (long)Elapsed.TotalMilliseconds, Plural(Attempts, "attempt"));
            if (RateLimitWait >= DelayedWait)
                text += string.Format(CultureInfo.InvariantCulture, ", {0} ms waiting for the rate limit", (long)RateLimitWait.TotalMilliseconds);
            return text + string.Format(CultureInfo.InvariantCulture, "; next poll in {0:0.0} s", NextDelay.TotalSeconds);
        }

        internal static string Plural(long count, string noun) =>
            count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? string.Empty : "s");
    }

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
