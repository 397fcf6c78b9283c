using System;
using System.Collections.Generic;

namespace Acefone.Client
{
    /// <summary>
    /// Decides how fast a session may send; knows nothing of waiting. Times are offsets from the limiter's start,
    /// so tests drive it in virtual time.
    /// <para>
    /// Unlimited (or the user's ceiling) until the first 429. A 429 for a request sent at the current rate measures the
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

        private readonly double? _ceiling;
        // When requests were sent in the last second: how hard the rate is used.
        private readonly Queue<TimeSpan> _sends = new Queue<TimeSpan>();
        // What got through is what was sent less what was refused: a request dropped after it reached the API, or
        // answered 503, spent the account's rate as much as one answered 200.
        private readonly Queue<TimeSpan> _recentSends = new Queue<TimeSpan>();
        private readonly Queue<TimeSpan> _refused = new Queue<TimeSpan>();
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
        // The last cut measured an unlimited first second's burst.
        private bool _burstCut;
        // The rate and limit when the last request got through: what an outage's end goes back to.
        private double _rateAtSuccess;
        private double _limitAtSuccess = double.NaN;

        internal RateController(double? ceiling)
        {
            // Stryker disable once String : message wording
            if (ceiling.HasValue && !(ceiling.Value > 0)) throw new ArgumentOutOfRangeException(nameof(ceiling), "The rate must be above zero.");
            _ceiling = ceiling;
            Rate = ceiling ?? double.PositiveInfinity;
            _rateAtSuccess = Rate;
            _hold = FirstHold;
        }

        /// <summary>Whether every request has been refused for a while: the rate probes, the measured limit is kept.</summary>
        internal bool InOutage { get; private set; }

        /// <summary>An answer that was not a 429.</summary>
        internal void OnSucceeded(TimeSpan now)
        {
            _lastSuccess = now;
            _refusedSinceSuccess = 0;
            _succeededSinceCut = true;
            if (InOutage)
            {
                // The outage is over: back to what held before it, at once (unlimited, if nothing was known).
                InOutage = false;
                _limit = _limitAtSuccess;
                SetRate(_rateAtSuccess, now);
                // What got through is measured from here: the outage's refusals say nothing of the limit.
                _firstSend = now;
                _recentSends.Clear();
                _refused.Clear();
                Generation++;
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
            TimeSpan since = _lastSuccess > _firstSend ? _lastSuccess : _firstSend;
            if (_refusedSinceSuccess >= OutageRefusals && now - since >= OutageAfter)
            {
                // Nothing gets through at any rate: not a limit to measure. Probe until something does.
                InOutage = true;
                SetRate(_ceiling.HasValue ? Math.Min(_ceiling.Value, OutageProbeRate) : OutageProbeRate, now);
                Generation++;
                return true;
            }
            if (generation == Generation - 1 && double.IsNaN(_limit) && _burstCut && now - _firstSend < Window)
            {
                // The rest of the first burst's 429s: less got through than the first of them counted. The rate follows
                // what did, without a new generation (they are one overshoot).
                Trim(_recentSends, now, ThroughputWindow);
                // Not below the outage probe's pace: nothing at all got through may be an outage, which needs refusals to be seen.
                double burst = Math.Max(OutageProbeRate, Math.Max(0, _recentSends.Count - _refused.Count) / Window.TotalSeconds * CutFactor);
                if (burst < Rate) SetRate(burst, now);
                return false;
            }
            // A request sent before the last cut went at a rate already given up: the 429s of one overshoot cut once.
            if (generation != Generation) return false;
            // Nothing got through since the last cut: the account's bucket is still empty, which says nothing of the
            // new rate. The sender backs off instead; cutting again would measure a limit of nothing.
            if (Generation > 0 && !_succeededSinceCut) return false;
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
            _burstCut = double.IsPositiveInfinity(Rate) && span < Window;
            double next = limit * CutFactor;
            // Never faster than before: a 429 that measured more than was being sent still says "not faster".
            if (!double.IsPositiveInfinity(Rate)) next = Math.Min(next, Rate * RestFactor);
            SetRate(Math.Max(MinimumRate, next), now);
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
            else if (Rate < _limit)
            {
                next = Rate + climb;
            }
            else
            {
                // Past the measured limit with nothing refused: the limit rose or a sharer left. 2% a second, doubling each clean second, at most half.
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
