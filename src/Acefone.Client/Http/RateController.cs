using System;
using System.Collections.Generic;

namespace Acefone.Client
{
    /// <summary>
    /// Decides how fast a session may send; knows nothing of waiting. Times are offsets from the limiter's start,
    /// so tests drive it in virtual time.
    /// <para>
    /// Every account has a limit (its calls per second), so a session without a ceiling starts paced: three requests at
    /// once, then 3 a second, doubled every 0.2 s until the first 429, unlimited from 2000/s. That 429 measures the limit
    /// as what went through in the last second, a floor the rate climbs from quickly. With the user's ceiling it starts at
    /// the ceiling. A later 429 for a request sent at the current rate measures the
    /// limit as what this session actually got through lately (its share, when runbooks share an account) and cuts
    /// below it so the server's bucket can refill; the rate then climbs back quickly to a rest point just under it, and
    /// from there slowly, by an amount that grows with the square root of the share: sessions with a small share gain
    /// relatively faster than large ones, so sessions sharing an account converge on equal shares, and a steady limit
    /// is touched rarely. Past the measured limit with nothing refused (the limit rose, a sharer left) it speeds up.
    /// </para>
    /// </summary>
    internal sealed class RateController
    {
        internal const double MinimumRate = 0.2;
        // Below the measured limit after a 429, so the requests still in flight and the server's empty bucket recover.
        internal const double CutFactor = 0.85;
        // Where the quick climb after a cut stops: close enough to use the limit, far enough not to touch it.
        internal const double RestFactor = 0.95;
        // From the rest point the rate climbs each second by this share of the measured limit, at least MinimumClimb:
        // nearly the same step for a small share as for a large one, so sessions sharing an account converge (AIMD).
        internal const double ClimbFactor = 0.01;
        internal const double MinimumClimb = 0.1;
        private const double MaxProbeStep = 0.5;
        internal const double ProbeStep = 0.05;
        // An outage, not a limit: this long with nothing but refusals (at least OutageRefusals of them) since the last success.
        internal static readonly TimeSpan OutageAfter = TimeSpan.FromSeconds(1);
        internal const int OutageRefusals = 3;
        // During an outage one request goes at a time, at this pace: soon after it ends one gets through, and a row's
        // resends are not spent in a burst.
        internal const double OutageProbeRate = 2;
        // How long the rate rests just under a limit before it tries above it again; doubled each time a 429 measures
        // the same limit again (a steady limit is touched rarely), back to the first when it measures another.
        internal static readonly TimeSpan FirstHold = TimeSpan.FromSeconds(2);
        internal static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(32);
        internal static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
        // What got through is averaged over longer: a one-second count at a few requests a second is noise.
        internal static readonly TimeSpan ThroughputWindow = TimeSpan.FromSeconds(3);
        // The paced start: an unlimited first burst meets a limit of 3/s with eight requests at once, and hands out the
        // shares of an account that runbooks share to whoever came first. The smallest limit the documentation names is
        // 3 a second, so three requests at once meet no refusal on any account (a prompt's commands and Tab completion
        // are not paced), and from there the pace starts at 3/s.
        internal const int StartBurst = 3;
        internal const double StartRate = 3;
        internal static readonly TimeSpan StartDoubling = TimeSpan.FromSeconds(0.2);
        internal const double StartEnd = 2000;

        private readonly double? _ceiling;
        // When requests were sent in the last second: how hard the rate is used.
        private readonly Queue<TimeSpan> _sends = new Queue<TimeSpan>();
        // What got through is what was sent less what was refused: a request dropped after it reached the API, or
        // answered 503, spent the account's rate as much as one answered 200.
        private readonly Queue<TimeSpan> _recentSends = new Queue<TimeSpan>();
        private readonly Queue<TimeSpan> _refused = new Queue<TimeSpan>();
        // Answers that got through in the last second of the start: what its first 429 measures.
        private readonly Queue<TimeSpan> _succeeded = new Queue<TimeSpan>();
        private bool _starting;
        private int _startSends;
        private readonly bool _pacedStart;
        // An outage met during the start: the start goes on when it ends.
        private bool _startAfterOutage;
        // The start's first 429 measured what went through while the rate was still doubling: a floor, not the limit.
        private bool _provisional;
        private TimeSpan _startEnded = TimeSpan.MinValue;
        private TimeSpan _lastChange;
        private TimeSpan _lastCut;
        private TimeSpan _restFrom;
        private TimeSpan _firstSend = TimeSpan.MinValue;
        private double _limit = double.NaN;
        private int _probeStreak;
        private TimeSpan _hold;
        private TimeSpan _lastSuccess = TimeSpan.MinValue;
        private int _refusedSinceSuccess;
        private bool _succeededSinceCut;
        // The rate and limit when the last request got through: what an outage's end goes back to.
        private double _rateAtSuccess;
        private double _limitAtSuccess = double.NaN;

        /// <param name="ceiling">The user's ceiling, if any.</param>
        /// <param name="pacedStart">False only for tests of the rules that follow the start.</param>
        internal RateController(double? ceiling, bool pacedStart = true)
        {
            // Stryker disable once String : message wording
            if (ceiling.HasValue && !(ceiling.Value > 0)) throw new ArgumentOutOfRangeException(nameof(ceiling), "The rate must be above zero.");
            _ceiling = ceiling;
            _pacedStart = pacedStart;
            _starting = !ceiling.HasValue && pacedStart;
            Rate = ceiling ?? (_starting ? StartRate : double.PositiveInfinity);
            _rateAtSuccess = Rate;
            _hold = FirstHold;
        }

        /// <summary>Whether every request has been refused for a while: the rate probes, the measured limit is kept.</summary>
        internal bool InOutage { get; private set; }

        /// <summary>Whether the session is still in its paced start (no ceiling, no 429 yet).</summary>
        internal bool Starting => _starting;

        /// <summary>Whether the next request may follow at once: the start's first <see cref="StartBurst"/>.</summary>
        internal bool InStartBurst => _starting && _startSends < StartBurst;

        /// <summary>An answer that was not a 429.</summary>
        internal void OnSucceeded(TimeSpan now)
        {
            _lastSuccess = now;
            _refusedSinceSuccess = 0;
            _succeededSinceCut = true;
            if (InOutage)
            {
                // The outage is over: back to what held before it, at once (or the start again, if nothing was known).
                InOutage = false;
                _limit = _limitAtSuccess;
                SetRate(_rateAtSuccess, now);
                // Nothing was known before it (the start, or unlimited): start again, as a session does.
                if (_startAfterOutage || (double.IsPositiveInfinity(Rate) && _pacedStart))
                {
                    _starting = true;
                    _startSends = 0;
                    _startAfterOutage = false;
                    SetRate(StartRate, now);
                }
                // What got through is measured from here: the outage's refusals say nothing of the limit.
                _firstSend = now;
                _recentSends.Clear();
                _refused.Clear();
                Generation++;
            }
            // Only the start's first 429 reads these, and a start begins with none (a session's first request, or an
            // outage's end, a second or more after any earlier success): kept off every other answer's path.
            if (_starting)
            {
                _succeeded.Enqueue(now);
                Trim(_succeeded, now, Window);
            }
            _rateAtSuccess = Rate;
            _limitAtSuccess = _limit;
        }

        /// <summary>Requests per second allowed now; infinity while nothing limits them.</summary>
        internal double Rate { get; private set; }

        /// <summary>Changes each time the rate is cut: ties a later 429 to the rate its request was sent at.</summary>
        internal int Generation { get; private set; }

        internal double? Ceiling => _ceiling;

        internal void OnSent(TimeSpan now)
        {
            if (_firstSend == TimeSpan.MinValue) _firstSend = now;
            _sends.Enqueue(now);
            Trim(_sends, now, Window);
            if (_starting) _startSends++;
            _recentSends.Enqueue(now);
            // Stryker disable once Statement : equivalent in what is decided (OnRateLimited trims before it counts); this bounds the queue between 429s
            Trim(_recentSends, now, ThroughputWindow);
            ProbeUpward(now);
        }

        /// <summary>A 429. Returns true when it taught something (its request went at the current rate) and the rate was cut.</summary>
        internal bool OnRateLimited(TimeSpan now, int generation)
        {
            _refused.Enqueue(now);
            Trim(_refused, now, ThroughputWindow);
            _refusedSinceSuccess++;
            if (InOutage) return false;
            if (_starting) return EndStart(now);
            TimeSpan since = _lastSuccess > _firstSend ? _lastSuccess : _firstSend;
            if (_refusedSinceSuccess >= OutageRefusals && now - since >= OutageAfter)
            {
                // Nothing gets through at any rate: not a limit to measure. Probe until something does.
                InOutage = true;
                SetRate(_ceiling.HasValue ? Math.Min(_ceiling.Value, OutageProbeRate) : OutageProbeRate, now);
                Generation++;
                return true;
            }
            // A request sent before the last cut went at a rate already given up: the 429s of one overshoot cut once.
            if (generation != Generation) return false;
            // Nothing got through since the last cut: the account's bucket is still empty, which says nothing of the
            // new rate. The sender backs off instead; cutting again would measure a limit of nothing.
            if (Generation > 0 && !_succeededSinceCut) return false;
            // The account's window still holds the start's last burst: its 429s say nothing of the pace that followed.
            if (_startEnded != TimeSpan.MinValue && now - _startEnded < Window) return false;
            Trim(_recentSends, now, ThroughputWindow);
            double got = Math.Max(0, _recentSends.Count - _refused.Count);
            TimeSpan span = now - _firstSend;
            double through = span >= ThroughputWindow ? got / ThroughputWindow.TotalSeconds
                : span >= Window ? got / span.TotalSeconds
                // The first second says little. Unlimited, count it as a whole second: a burst got through, slow to it
                // and probe up. Paced, it is the pace the 429 came at, at most: a ceiling just over the limit must not
                // be cut to what one tenth of a second let through.
                : double.IsPositiveInfinity(Rate) ? got / Window.TotalSeconds : Math.Min(Rate, got / Math.Max(span.TotalSeconds, 0.05));
            // Paced and using its pace, the session was refused at its rate: that is where 429s begin, a better measure
            // than what got through, which counts the pauses and the climb of the last seconds against it.
            // Stryker disable once Equality : the boundary is a tolerance
            bool used = !double.IsPositiveInfinity(Rate) && span >= Window && _sends.Count >= Rate * Window.TotalSeconds * 0.8;
            double limit = Math.Max(MinimumRate, used ? Rate : through);
            // The same limit again: rest longer under it before the next try above it.
            _hold = !double.IsNaN(_limit) && Math.Abs(limit / _limit - 1) <= 0.15
                ? TimeSpan.FromTicks(Math.Min(MaxHold.Ticks, _hold.Ticks * 2))
                : FirstHold;
            // A 429 in the first second measures the account's burst, not its rate: slow down to it, but keep probing
            // upward as if nothing were known, until a 429 measures a whole window.
            _limit = span >= Window ? limit : double.NaN;
            double next = limit * CutFactor;
            // Never faster than before: a 429 that measured more than was being sent still says "not faster".
            if (!double.IsPositiveInfinity(Rate)) next = Math.Min(next, Rate * RestFactor);
            SetRate(Math.Max(MinimumRate, next), now);
            _lastCut = now;
            _succeededSinceCut = false;
            _probeStreak = 0;
            _provisional = false;
            Generation++;
            return true;
        }

        /// <summary>The start's first 429: what went through is a floor to climb from, or nothing went through at all.</summary>
        private bool EndStart(TimeSpan now)
        {
            if (_lastSuccess == TimeSpan.MinValue)
            {
                // Others still on their way may get through (a cap on requests in flight refuses the third of three).
                if (_sends.Count > _refusedSinceSuccess) return false;
                _starting = false;
                // Refused before anything got through: an outage, or an account others already fill. Neither is a limit
                // to measure: probe at the outage's pace, and start again when something gets through.
                InOutage = true;
                _startAfterOutage = true;
                SetRate(OutageProbeRate, now);
                Generation++;
                return true;
            }
            _starting = false;
            Trim(_succeeded, now, Window);
            Trim(_sends, now, Window);
            int refused = 0;
            foreach (TimeSpan at in _refused) if (now - at <= Window) refused++;
            // What got through in the last second: the answers counted so far are too few (some are still on their way),
            // the requests sent less those refused too many (some on their way will be refused); between the two.
            double sentThrough = Math.Max(_succeeded.Count, _sends.Count - refused);
            double seen = Math.Max(1, (_succeeded.Count + sentThrough) / 2);
            _limit = seen;
            _hold = FirstHold;
            _provisional = true;
            _startEnded = now;
            SetRate(Math.Max(MinimumRate, seen * CutFactor), now);
            _lastCut = now;
            _succeededSinceCut = false;
            _probeStreak = 0;
            Generation++;
            return true;
        }

        /// <summary>
        /// Raises the rate at most once a second, and only while the rate is actually used: an idle session must not
        /// drift to a rate it never tried. Driven by what was sent, not by what succeeded: 503s, dropped connections
        /// and token renewals say nothing about the rate.
        /// </summary>
        private void ProbeUpward(TimeSpan now)
        {
            if (_starting)
            {
                // Doubled on sends, not on successes: a 429 ends the start, whatever else is on its way.
                if (now - _lastChange < StartDoubling) return;
                double doubled = Rate * 2;
                if (doubled >= StartEnd)
                {
                    doubled = double.PositiveInfinity;
                    _starting = false;
                }
                SetRate(doubled, now);
                return;
            }
            if (double.IsPositiveInfinity(Rate) || InOutage || now - _lastChange < Window) return;
            if (_sends.Count < Rate * Window.TotalSeconds * 0.8) return;
            double rest = _limit * RestFactor;
            double climb = double.IsNaN(_limit) ? 0.02 : Math.Max(MinimumClimb, ClimbFactor * _limit);
            double next;
            if (double.IsNaN(_limit))
            {
                // Only a burst was measured: the rate doubles each clean second until a 429 measures a whole window.
                next = Rate * 2;
            }
            else if (Rate < rest)
            {
                next = Math.Min(rest, Rate + Math.Max(0.1, (rest - Rate) / 2));
                // The rest is counted from when the rate gets there, not from the cut.
                _restFrom = now;
            }
            else if (Rate < _limit && now - _restFrom < _hold)
            {
                return;
            }
            else if (Rate < _limit && !_provisional)
            {
                next = Rate + climb;
            }
            else
            {
                // Past the measured limit with nothing refused (the limit rose, a sharer left), or over a floor the start
                // measured. 5% a second, doubling each clean second, at most half.
                next = Rate + Math.Max(climb, Rate * Math.Min(MaxProbeStep, ProbeStep * (1 << Math.Min(_probeStreak, 5))));
                _probeStreak++;
            }
            if (_ceiling.HasValue) next = Math.Min(next, _ceiling.Value);
            SetRate(next, now);
        }

        private void SetRate(double rate, TimeSpan now)
        {
            Rate = rate;
            _lastChange = now;
        }

        private static void Trim(Queue<TimeSpan> times, TimeSpan now, TimeSpan window)
        {
            while (times.Count > 0 && now - times.Peek() > window) times.Dequeue();
        }
    }
}
