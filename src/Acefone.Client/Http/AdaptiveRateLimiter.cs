using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// One per session, shared by every request of every cmdlet and runspace using it. Pacing is a
    /// System.Threading.RateLimiting token bucket; this class only decides the rate: a user's ceiling if one was
    /// given, otherwise unlimited until the first 429. A 429 marks the rate it came at as "too fast" and cuts to
    /// 90% of it (the first one, to 90% of what was sent in the last second). While the limit is actually used,
    /// the rate then climbs back: quickly while under the mark, half the gap each second, then past it gently,
    /// faster each second nothing is refused (a first estimate read from a small burst can be far too low). So it
    /// settles just under an account limit nobody told it about, with a handful of 429s. Only a 429 for a
    /// request sent at the current rate teaches anything: the ones already in flight when the rate was cut neither
    /// cut it again nor lengthen the pause.
    /// </summary>
    internal sealed class AdaptiveRateLimiter : IDisposable
    {
        private const double MinimumRate = 0.2;
        private const double DecreaseFactor = 0.9;
        private const double MaxProbeStep = 0.25;
        private static readonly long IncreaseIntervalTicks = Stopwatch.Frequency;
        private static readonly long WindowTicks = Stopwatch.Frequency;

        private readonly object _lock = new object();
        private readonly double? _ceiling;
        private readonly Random _jitter = new Random();
        // When permits were granted in the last second: how hard the rate is being used, whatever the answers were.
        private readonly Queue<long> _recentSends = new Queue<long>();
        private TokenBucketRateLimiter? _bucket;
        private double _rate = double.PositiveInfinity;
        private int _generation;
        private long _pauseUntil;
        private long _lastChange;
        private int _consecutiveLimited;
        private double _limitedAt = double.NaN;
        private int _probeStreak;
        private bool _disposed;

        internal AdaptiveRateLimiter(double? ceiling)
        {
            if (ceiling.HasValue && !(ceiling.Value > 0)) throw new ArgumentOutOfRangeException(nameof(ceiling), "The rate must be above zero.");
            _ceiling = ceiling;
            _lastChange = Stopwatch.GetTimestamp();
            if (ceiling.HasValue) SetRate(ceiling.Value);
        }

        /// <summary>The rate requests are paced at now; null while nothing limits them.</summary>
        internal double? CurrentRate
        {
            get { lock (_lock) return double.IsPositiveInfinity(_rate) ? (double?)null : Math.Round(_rate, 2); }
        }

        internal double? Ceiling => _ceiling;

        /// <summary>Waits for a permit. The returned generation ties a later 429 to the rate it was sent at.</summary>
        internal async Task<RatePermit> AcquireAsync(CancellationToken cancellationToken)
        {
            long started = Stopwatch.GetTimestamp();
            while (true)
            {
                TokenBucketRateLimiter? bucket;
                int generation;
                TimeSpan pause;
                lock (_lock)
                {
                    if (_disposed) throw new ObjectDisposedException(nameof(AdaptiveRateLimiter));
                    pause = TicksToTimeSpan(_pauseUntil - Stopwatch.GetTimestamp());
                    bucket = _bucket;
                    generation = _generation;
                }

                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (bucket == null) return Granted(generation, started);

                RateLimitLease lease;
                try
                {
                    lease = await bucket.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    continue; // the rate changed while we queued; queue on the new bucket
                }
                using (lease)
                {
                    if (lease.IsAcquired) return Granted(generation, started);
                }
                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>An answer that was not a 429: the run of refusals is over.</summary>
        internal void OnSuccess()
        {
            lock (_lock) _consecutiveLimited = 0;
        }

        private RatePermit Granted(int generation, long started)
        {
            lock (_lock)
            {
                long now = Stopwatch.GetTimestamp();
                _recentSends.Enqueue(now);
                TrimWindow(now);
                ProbeUpward(now);
            }
            return new RatePermit(generation, Elapsed(started));
        }

        /// <summary>
        /// Raises the rate after a second with no 429 in which the limit was actually used. Driven by what was sent,
        /// not by what succeeded: 503s, dropped connections and token renewals say nothing about the rate.
        /// </summary>
        private void ProbeUpward(long now)
        {
            if (double.IsPositiveInfinity(_rate) || now - _lastChange < IncreaseIntervalTicks) return;
            if (_ceiling.HasValue && _rate >= _ceiling.Value) return;
            // An idle or lightly used session must not drift to a rate it never tested.
            if (_recentSends.Count < _rate * 0.8) return;
            double next;
            if (_rate < _limitedAt)
            {
                // Under the rate the last 429 came at: close half the gap each second.
                next = _rate + Math.Max(0.1, (_limitedAt - _rate) / 2);
            }
            else
            {
                // Past it and nothing refused: 2% a second, doubling each second that stays clean, at most 25%.
                next = _rate + Math.Max(0.1, _rate * Math.Min(MaxProbeStep, 0.02 * (1 << Math.Min(_probeStreak, 4))));
                _probeStreak++;
            }
            if (_ceiling.HasValue) next = Math.Min(next, _ceiling.Value);
            SetRate(next);
            _lastChange = now;
        }

        /// <summary>Records a 429 and returns how long every sender now pauses before the next request.</summary>
        internal TimeSpan OnRateLimited(RatePermit permit, TimeSpan? retryAfter)
        {
            lock (_lock)
            {
                long now = Stopwatch.GetTimestamp();
                // A request sent before the last cut was sent at a rate already given up: it teaches nothing new, and
                // the concurrent 429s of one overshoot must not stack their backoffs into seconds of silence.
                bool current = permit.Generation == _generation;
                TimeSpan wait;
                if (current)
                {
                    _consecutiveLimited++;
                    wait = retryAfter ?? Backoff(_consecutiveLimited);
                    TrimWindow(now);
                    double sent = _recentSends.Count;
                    double next;
                    if (double.IsPositiveInfinity(_rate))
                    {
                        _limitedAt = Math.Max(1.0, sent);
                        next = _limitedAt * DecreaseFactor;
                    }
                    else
                    {
                        _limitedAt = _rate;
                        // Far fewer sent than the rate allowed (another client shares the account): the limit is nearer
                        // what we sent; go at most halfway down at once.
                        next = Math.Min(_rate * DecreaseFactor, Math.Max(sent, _rate * 0.5));
                    }
                    _probeStreak = 0;
                    if (_ceiling.HasValue) next = Math.Min(next, _ceiling.Value);
                    SetRate(Math.Max(MinimumRate, next));
                    _generation++;
                    _lastChange = now;
                }
                else
                {
                    TimeSpan left = TicksToTimeSpan(_pauseUntil - now);
                    wait = retryAfter.HasValue && retryAfter.Value > left ? retryAfter.Value : left;
                }
                long until = now + (long)(wait.TotalSeconds * Stopwatch.Frequency);
                if (until > _pauseUntil) _pauseUntil = until;
                return wait;
            }
        }

        private TimeSpan Backoff(int consecutive)
        {
            double baseMs = Math.Min(5000, 100 * Math.Pow(2, Math.Min(consecutive - 1, 10)));
            return TimeSpan.FromMilliseconds(baseMs * (0.5 + _jitter.NextDouble() * 0.5));
        }

        private void SetRate(double rate)
        {
            // A few tokens per period keeps the timer at about 20 ms whatever the rate.
            int tokensPerPeriod = Math.Max(1, (int)Math.Round(rate / 50));
            var bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = tokensPerPeriod,
                TokensPerPeriod = tokensPerPeriod,
                ReplenishmentPeriod = TimeSpan.FromTicks(Math.Max(1, (long)(TimeSpan.TicksPerSecond * tokensPerPeriod / rate))),
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
            TokenBucketRateLimiter? old = _bucket;
            _bucket = bucket;
            _rate = rate;
            old?.Dispose();
        }

        private void TrimWindow(long now)
        {
            while (_recentSends.Count > 0 && now - _recentSends.Peek() > WindowTicks) _recentSends.Dequeue();
        }

        private static TimeSpan Elapsed(long started) => TicksToTimeSpan(Stopwatch.GetTimestamp() - started);

        private static TimeSpan TicksToTimeSpan(long stopwatchTicks) =>
            stopwatchTicks <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)stopwatchTicks / Stopwatch.Frequency);

        public void Dispose()
        {
            lock (_lock)
            {
                _disposed = true;
                _bucket?.Dispose();
                _bucket = null;
            }
        }
    }

    internal readonly struct RatePermit
    {
        internal RatePermit(int generation, TimeSpan waited)
        {
            Generation = generation;
            Waited = waited;
        }

        internal int Generation { get; }
        internal TimeSpan Waited { get; }
    }
}
