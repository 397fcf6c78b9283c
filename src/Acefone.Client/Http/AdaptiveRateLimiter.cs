using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// One per session, shared by every request of every cmdlet and runspace using it. <see cref="RateController"/>
    /// decides the rate; this class paces permits at it: each permit has a slot one interval after the previous one,
    /// waiters queue in arrival order and one timer wakes the head, so a rate change applies to the very next permit
    /// and nobody polls. After a 429 every sender pauses (Retry-After, else a short backoff). The clock is injected,
    /// so tests run it in virtual time.
    /// </summary>
    internal sealed class AdaptiveRateLimiter : IDisposable
    {
        // Lateness of the timer is made up by letting the next permit follow sooner, but never sooner than two thirds of
        // an interval after the last one, and never more than this much idle time is banked: an account whose bucket
        // holds one request (a user ceiling just under it) must see no two requests closer than its own pace.
        internal static readonly TimeSpan MaxCatchUp = TimeSpan.FromMilliseconds(50);
        // A pause longer than this is not a pause but an outage: the caller fails the request instead (issue: a
        // Retry-After of an hour must not freeze the session in silence).
        internal static readonly TimeSpan MaxPause = TimeSpan.FromMinutes(2);

        private sealed class Waiter
        {
            internal Waiter(long queuedAt) => QueuedAt = queuedAt;
            internal readonly TaskCompletionSource<RatePermit> Permit = new TaskCompletionSource<RatePermit>(TaskCreationOptions.RunContinuationsAsynchronously);
            internal readonly long QueuedAt;
            internal CancellationTokenRegistration Cancellation;
        }

        private readonly object _lock = new object();
        private readonly TimeProvider _time;
        private readonly Random _random;
        private readonly long _started;
        private readonly RateController _controller;
        private readonly LinkedList<Waiter> _waiters = new LinkedList<Waiter>();
        private readonly ITimer _timer;
        private TimeSpan _nextSlot;
        private TimeSpan _pauseUntil;
        private TimeSpan _timerDue = TimeSpan.MaxValue;
        private int _consecutiveLimited;
        private bool _disposed;

        internal AdaptiveRateLimiter(double? ceiling, TimeProvider? time = null, Random? random = null, bool pacedStart = true)
        {
            _controller = new RateController(ceiling, pacedStart);
            _time = time ?? TimeProvider.System;
            _random = random ?? new Random();
            _started = _time.GetTimestamp();
            _timer = _time.CreateTimer(_ => Release(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        /// <summary>The rate requests are paced at now; null while nothing limits them.</summary>
        internal double? CurrentRate
        {
            get { lock (_lock) return double.IsPositiveInfinity(_controller.Rate) ? (double?)null : Math.Round(_controller.Rate, 2); }
        }

        internal double? Ceiling => _controller.Ceiling;

        /// <summary>Waits for a permit. Its generation ties a later 429 to the rate it was sent at.</summary>
        internal Task<RatePermit> AcquireAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Waiter waiter;
            lock (_lock)
            {
                if (_disposed) throw new ObjectDisposedException(nameof(AdaptiveRateLimiter));
                long timestamp = _time.GetTimestamp();
                if (_waiters.Count == 0 && TryTake(Now(timestamp), out TimeSpan _))
                    return Task.FromResult(new RatePermit(_controller.Generation, TimeSpan.Zero));
                waiter = new Waiter(timestamp);
                LinkedListNode<Waiter> node = _waiters.AddLast(waiter);
                if (cancellationToken.CanBeCanceled)
                    waiter.Cancellation = cancellationToken.Register(() => Cancel(node, cancellationToken));
                ScheduleHead(Now(timestamp));
            }
            return waiter.Permit.Task;
        }

        /// <summary>
        /// Takes a permit if one is due now and nobody is queued; otherwise says how long until the next slot. What
        /// <see cref="AcquireAsync"/> does without waiting, for callers that schedule their own time (virtual-time tests).
        /// </summary>
        internal bool TryAcquire(out RatePermit permit, out TimeSpan retryIn)
        {
            lock (_lock)
            {
                if (_disposed) throw new ObjectDisposedException(nameof(AdaptiveRateLimiter));
                TimeSpan now = Now(_time.GetTimestamp());
                permit = new RatePermit(_controller.Generation, TimeSpan.Zero);
                if (_waiters.Count == 0 && TryTake(now, out TimeSpan due))
                {
                    retryIn = TimeSpan.Zero;
                    return true;
                }
                due = NextDue(now);
                retryIn = due > now ? due - now : TimeSpan.FromTicks(1);
                return false;
            }
        }

        /// <summary>An answer that was not a 429: the run of refusals is over.</summary>
        internal void OnSuccess()
        {
            lock (_lock)
            {
                _consecutiveLimited = 0;
                TimeSpan now = Now(_time.GetTimestamp());
                bool outage = _controller.InOutage;
                _controller.OnSucceeded(now);
                if (outage && !_controller.InOutage)
                {
                    // The outage is over: the queue goes at the restored rate now, not at the probe's next slot.
                    _nextSlot = now;
                    ScheduleHead(now);
                }
            }
        }

        /// <summary>
        /// Records a 429 and returns how long every sender now pauses before the next request. A Retry-After
        /// beyond <see cref="MaxPause"/> pauses nobody (the caller reports it instead).
        /// </summary>
        internal TimeSpan OnRateLimited(RatePermit permit, TimeSpan? retryAfter)
        {
            lock (_lock)
            {
                TimeSpan now = Now(_time.GetTimestamp());
                if (retryAfter.HasValue && (retryAfter.Value > MaxPause || retryAfter.Value < TimeSpan.Zero)) retryAfter = null;
                TimeSpan wait;
                bool current = permit.Generation == _controller.Generation;
                // Sent at the current rate: it cut the rate, or the account still refuses everything; either way back off.
                if (_controller.OnRateLimited(now, permit.Generation) || (current && !_controller.InOutage))
                {
                    _consecutiveLimited++;
                    // In an outage the probe's pace spaces the requests: a backoff would only leave the end unseen.
                    // Otherwise at least one interval of the new rate: the account's window refills no sooner.
                    wait = retryAfter ?? (_controller.InOutage ? TimeSpan.Zero : Max(Backoff(_consecutiveLimited), Interval()));
                }
                else
                {
                    // One overshoot's 429s must not stack their backoffs into seconds of silence.
                    // Stryker disable once Equality : equivalent, at equality both sides are zero
                    TimeSpan left = _pauseUntil > now ? _pauseUntil - now : TimeSpan.Zero;
                    // Stryker disable once Equality : equivalent, at equality both sides are the same wait
                    wait = retryAfter.HasValue && retryAfter.Value > left ? retryAfter.Value : left;
                }
                // Stryker disable once Equality : equivalent, at equality the assignment changes nothing
                if (now + wait > _pauseUntil) _pauseUntil = now + wait;
                ScheduleHead(now);
                return wait;
            }
        }

        /// <summary>100 ms doubling to 1 s, with jitter so that sessions sharing an account do not retry in step.</summary>
        internal TimeSpan Backoff(int consecutive) => JitteredBackoff.Next(FirstBackoff, consecutive, MaxBackoff, _random);

        private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
        private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

        /// <summary>Takes the next slot if it has come (the lock is held).</summary>
        private bool TryTake(TimeSpan now, out TimeSpan due)
        {
            TimeSpan earliest = NextDue(now);
            if (now < earliest)
            {
                due = earliest;
                return false;
            }
            double rate = _controller.Rate;
            // Stryker disable once Conditional : equivalent, unlimited the interval is zero ticks and earliest is at most now, so either slot is already due
            _nextSlot = double.IsPositiveInfinity(rate) ? now : earliest + TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond / rate));
            _controller.OnSent(now);
            if (_controller.InStartBurst) _nextSlot = now;
            due = now;
            return true;
        }

        private void Release()
        {
            var granted = new List<KeyValuePair<Waiter, RatePermit>>();
            lock (_lock)
            {
                _timerDue = TimeSpan.MaxValue;
                if (_disposed) return;
                long timestamp = _time.GetTimestamp();
                TimeSpan now = Now(timestamp);
                while (_waiters.Count > 0 && TryTake(now, out TimeSpan _))
                {
                    Waiter head = _waiters.First!.Value;
                    _waiters.RemoveFirst();
                    granted.Add(new KeyValuePair<Waiter, RatePermit>(head,
                        new RatePermit(_controller.Generation, _time.GetElapsedTime(head.QueuedAt, timestamp))));
                }
                ScheduleHead(now);
            }
            foreach (KeyValuePair<Waiter, RatePermit> grant in granted)
            {
                grant.Key.Cancellation.Dispose();
                grant.Key.Permit.TrySetResult(grant.Value);
            }
        }

        /// <summary>Sets the timer for the head waiter's slot (the lock is held).</summary>
        private void ScheduleHead(TimeSpan now)
        {
            if (_waiters.Count == 0 || _disposed) return;
            TimeSpan due = NextDue(now);
            if (due == _timerDue) return;
            _timerDue = due;
            TimeSpan delay = due - now;
            // Stryker disable once Equality : equivalent, at zero both sides are zero
            _timer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }

        private void Cancel(LinkedListNode<Waiter> node, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                if (node.List == null) return;
                _waiters.Remove(node);
            }
            node.Value.Permit.TrySetCanceled(cancellationToken);
        }

        /// <summary>When the next permit may go: after any pause, at its slot, with a little lateness made up (the lock is held).</summary>
        private TimeSpan NextDue(TimeSpan now) => Max(_pauseUntil, Max(_nextSlot, now - CatchUp()));

        private TimeSpan Interval() => double.IsPositiveInfinity(_controller.Rate)
            ? TimeSpan.Zero
            : TimeSpan.FromTicks((long)Math.Min(MaxBackoff.Ticks, TimeSpan.TicksPerSecond / _controller.Rate));

        private TimeSpan CatchUp()
        {
            double rate = _controller.Rate;
            if (double.IsPositiveInfinity(rate)) return MaxCatchUp;
            long third = (long)(TimeSpan.TicksPerSecond / rate / 3);
            return TimeSpan.FromTicks(Math.Min(MaxCatchUp.Ticks, third));
        }

        private TimeSpan Now(long timestamp) => _time.GetElapsedTime(_started, timestamp);

        // Stryker disable once Equality : equivalent, at equality a and b are the same
        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

        public void Dispose()
        {
            List<Waiter> abandoned;
            lock (_lock)
            {
                if (_disposed) return;
                _disposed = true;
                abandoned = new List<Waiter>(_waiters);
                _waiters.Clear();
            }
            _timer.Dispose();
            foreach (Waiter waiter in abandoned)
            {
                waiter.Cancellation.Dispose();
                waiter.Permit.TrySetException(new ObjectDisposedException(nameof(AdaptiveRateLimiter)));
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
