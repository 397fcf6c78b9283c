using System;
using System.Collections.Generic;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// How an account refuses requests, as the virtual-time simulations see it. The real service does not document its
    /// model, so the controller is judged against each of these. Times are offsets on the simulation's clock.
    /// </summary>
    internal abstract class AccountLimit
    {
        /// <summary>The limit in requests a second at a time (what a run is judged against).</summary>
        internal Func<TimeSpan, double> LimitAt { get; }

        protected AccountLimit(Func<TimeSpan, double> limitAt) => LimitAt = limitAt;

        /// <summary>Requests are refused outright from this offset for <see cref="OutageLength"/> (null = never).</summary>
        internal TimeSpan? OutageFrom { get; set; }
        internal TimeSpan OutageLength { get; set; }

        /// <summary>Whether a 429 says when to come back, in whole seconds (at least 1) as an HTTP header does.</summary>
        internal bool SendsRetryAfter { get; set; }

        /// <summary>A request reaching the account: true if it goes through; else <paramref name="retryAfter"/> is what a header would say.</summary>
        internal bool TryPass(TimeSpan now, out TimeSpan? retryAfter)
        {
            retryAfter = null;
            if (OutageFrom is TimeSpan from && now >= from && now < from + OutageLength)
            {
                if (SendsRetryAfter) retryAfter = TimeSpan.FromSeconds(1);
                return false;
            }
            if (Pass(now, out TimeSpan until)) return true;
            if (SendsRetryAfter) retryAfter = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(until.TotalSeconds)));
            return false;
        }

        /// <summary>How long the account holds a request before it answers.</summary>
        internal TimeSpan ServiceTime { get; private protected set; }

        /// <summary>The answer to a request that went through has left the account (only a concurrency cap cares).</summary>
        internal virtual void Finished(TimeSpan now)
        {
        }

        protected abstract bool Pass(TimeSpan now, out TimeSpan until);

        internal static AccountLimit Create(string model, Func<TimeSpan, double> limitAt) => model switch
        {
            "fixed" => new FixedWindowLimit(limitAt),
            "sliding" => new SlidingWindowLimit(limitAt),
            "bucket" => new TokenBucketLimit(limitAt, burst: null),
            "burst" => new TokenBucketLimit(limitAt, burst: 2.0),
            "concurrency" => new ConcurrencyCapLimit(2, limitAt),
            _ => throw new ArgumentOutOfRangeException(nameof(model), model, "unknown account model"),
        };
    }

    /// <summary>At most the limit in each calendar second: a burst at the turn of a second goes through.</summary>
    internal sealed class FixedWindowLimit : AccountLimit
    {
        private long _second = -1;
        private int _count;

        internal FixedWindowLimit(Func<TimeSpan, double> limitAt) : base(limitAt) { }

        protected override bool Pass(TimeSpan now, out TimeSpan until)
        {
            long second = (long)Math.Floor(now.TotalSeconds);
            if (second != _second)
            {
                _second = second;
                _count = 0;
            }
            until = TimeSpan.FromSeconds(second + 1) - now;
            if (_count >= (int)Math.Floor(LimitAt(now))) return false;
            _count++;
            return true;
        }
    }

    /// <summary>At most the limit in any one second: the strictest of the window models.</summary>
    internal sealed class SlidingWindowLimit : AccountLimit
    {
        private readonly Queue<TimeSpan> _passed = new Queue<TimeSpan>();

        internal SlidingWindowLimit(Func<TimeSpan, double> limitAt) : base(limitAt) { }

        protected override bool Pass(TimeSpan now, out TimeSpan until)
        {
            while (_passed.Count > 0 && now - _passed.Peek() >= TimeSpan.FromSeconds(1)) _passed.Dequeue();
            until = _passed.Count > 0 ? _passed.Peek() + TimeSpan.FromSeconds(1) - now : TimeSpan.Zero;
            if (_passed.Count >= (int)Math.Floor(LimitAt(now))) return false;
            _passed.Enqueue(now);
            return true;
        }
    }

    /// <summary>A token bucket refilled at the limit; it holds one second's worth, or <c>burst</c> seconds' worth.</summary>
    internal sealed class TokenBucketLimit : AccountLimit
    {
        private readonly double? _burst;
        private double _tokens = double.NaN;
        private TimeSpan _at;

        internal TokenBucketLimit(Func<TimeSpan, double> limitAt, double? burst) : base(limitAt) => _burst = burst;

        protected override bool Pass(TimeSpan now, out TimeSpan until)
        {
            double rate = LimitAt(now);
            double capacity = Math.Max(1.0, rate * (_burst ?? 1.0));
            _tokens = double.IsNaN(_tokens) ? capacity : Math.Min(capacity, _tokens + (now - _at).TotalSeconds * rate);
            _at = now;
            until = TimeSpan.FromSeconds(Math.Max(0, 1.0 - _tokens) / rate);
            if (_tokens < 1.0) return false;
            _tokens -= 1.0;
            return true;
        }
    }

    /// <summary>
    /// At most <c>cap</c> requests in the account's hands at once, each held cap / limit long: the limit a second for a
    /// client that paces itself, refusals for one that bunches.
    /// </summary>
    internal sealed class ConcurrencyCapLimit : AccountLimit
    {
        private readonly int _cap;
        private int _inFlight;

        internal ConcurrencyCapLimit(int cap, Func<TimeSpan, double> limitAt) : base(limitAt) => _cap = cap;

        protected override bool Pass(TimeSpan now, out TimeSpan until)
        {
            // Each request is held as long as the limit allows the cap: the limit a second for a paced client.
            ServiceTime = TimeSpan.FromSeconds(_cap / LimitAt(now));
            until = ServiceTime;
            if (_inFlight >= _cap) return false;
            _inFlight++;
            return true;
        }

        internal override void Finished(TimeSpan now) => _inFlight--;
    }
}
