using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
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
}
