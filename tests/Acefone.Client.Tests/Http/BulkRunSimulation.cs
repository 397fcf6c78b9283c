using System;
using System.Collections.Generic;
using System.Linq;
using Acefone.Client;
using Microsoft.Extensions.Time.Testing;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// Bulk runs (each a session with its own <see cref="AdaptiveRateLimiter"/>, so many rows at a throttle limit)
    /// against one account whose limit they are not told, on one virtual clock: the cases of issue 22's goals table in
    /// milliseconds. A 429 is resent as the engine does (the limiter pauses, then the row asks for a permit again); a
    /// row refused more than <see cref="AcefoneSessionOptions.DefaultMaxRetries"/> times would fail and is counted.
    /// </summary>
    internal sealed class BulkRunSimulation
    {
        internal sealed class Run
        {
            internal Run(AdaptiveRateLimiter limiter, int rows, TimeSpan startAt)
            {
                Limiter = limiter;
                RowsLeft = rows;
                Rows = rows;
                StartAt = startAt;
            }

            internal AdaptiveRateLimiter Limiter { get; }
            internal int Rows { get; }
            internal int RowsLeft;
            internal TimeSpan StartAt { get; }
            internal TimeSpan? FinishedAt;
            internal long Sent;
            internal long Refused;
            /// <summary>Rows refused more often than the engine resends: they would end in an error.</summary>
            internal int Failed;
            internal int Done;
            /// <summary>The limiter's rate at each whole second of the run (null: unlimited), for diagnostics.</summary>
            internal readonly List<double?> RateBySecond = new List<double?>();
            /// <summary>When each 429 was answered.</summary>
            internal readonly List<TimeSpan> RefusedAt = new List<TimeSpan>();
            /// <summary>When each request that went through was answered.</summary>
            internal readonly List<TimeSpan> Successes = new List<TimeSpan>();

            internal TimeSpan Elapsed => (FinishedAt ?? TimeSpan.MaxValue) - StartAt;
        }

        private readonly FakeTimeProvider _time = new FakeTimeProvider();
        private readonly PriorityQueue<Action, (TimeSpan At, long Order)> _events = new PriorityQueue<Action, (TimeSpan, long)>();
        private readonly Random _jitter;
        private long _order;
        private TimeSpan _now;

        /// <param name="account">How the account refuses.</param>
        /// <param name="roundTrip">The network's part of a request's time; each request gets 0.5–1.5 times it.</param>
        internal BulkRunSimulation(AccountLimit account, TimeSpan roundTrip, int seed)
        {
            Account = account;
            RoundTrip = roundTrip;
            _jitter = new Random(seed);
        }

        internal AccountLimit Account { get; }
        internal TimeSpan RoundTrip { get; }
        internal List<Run> Runs { get; } = new List<Run>();
        internal TimeSpan Now => _now;

        internal Run AddRun(int rows, int throttleLimit, int seed, TimeSpan startAt = default, double? ceiling = null, bool pacedStart = true)
        {
            var run = new Run(new AdaptiveRateLimiter(ceiling, _time, new Random(seed), pacedStart), rows, startAt);
            Runs.Add(run);
            for (int i = 0; i < throttleLimit; i++) At(startAt + TimeSpan.FromMilliseconds(i * 0.1), () => NextRow(run));
            At(startAt, () => Sample(run));
            return run;
        }

        /// <summary>Runs until every row has ended (or the limit, against a run that never ends).</summary>
        internal void RunToEnd(TimeSpan? limit = null)
        {
            TimeSpan end = limit ?? TimeSpan.FromHours(1);
            while (_events.TryDequeue(out Action? action, out var when) && when.At <= end)
            {
                if (when.At > _now)
                {
                    _time.Advance(when.At - _now);
                    _now = when.At;
                }
                action!();
            }
        }

        /// <summary>Rows that went through, over all runs, per second, between two offsets.</summary>
        internal double Throughput(TimeSpan from, TimeSpan to) =>
            Runs.Sum(r => r.Successes.Count(t => t >= from && t < to)) / (to - from).TotalSeconds;

        internal double RefusedShare => Runs.Sum(r => r.Refused) / (double)Runs.Sum(r => r.Sent);

        private void At(TimeSpan when, Action action) => _events.Enqueue(action, (when, _order++));

        private void Sample(Run run)
        {
            if (run.FinishedAt.HasValue) return;
            run.RateBySecond.Add(run.Limiter.CurrentRate);
            At(_now + TimeSpan.FromSeconds(1), () => Sample(run));
        }

        private void NextRow(Run run)
        {
            if (run.RowsLeft == 0) return;
            run.RowsLeft--;
            Send(run, refusals: 0);
        }

        private void Send(Run run, int refusals)
        {
            if (!run.Limiter.TryAcquire(out RatePermit permit, out TimeSpan retryIn))
            {
                At(_now + retryIn, () => Send(run, refusals));
                return;
            }
            run.Sent++;
            TimeSpan trip = TimeSpan.FromTicks((long)(RoundTrip.Ticks * (0.5 + _jitter.NextDouble())));
            At(_now + trip / 2, () =>
            {
                bool passed = Account.TryPass(_now, out TimeSpan? retryAfter);
                TimeSpan service = passed ? Account.ServiceTime : TimeSpan.Zero;
                At(_now + service, () =>
                {
                    if (passed) Account.Finished(_now);
                    At(_now + trip / 2, () => Answer(run, permit, refusals, passed, retryAfter));
                });
            });
        }

        private void Answer(Run run, RatePermit permit, int refusals, bool passed, TimeSpan? retryAfter)
        {
            if (passed)
            {
                run.Limiter.OnSuccess();
                run.Successes.Add(_now);
                EndRow(run);
                return;
            }
            run.Refused++;
            run.RefusedAt.Add(_now);
            if (refusals + 1 > AcefoneSessionOptions.DefaultMaxRetries)
            {
                // The engine hands the last 429 back as the row's error, and the limiter still hears of it.
                run.Limiter.OnRateLimited(permit, retryAfter);
                run.Failed++;
                EndRow(run);
                return;
            }
            run.Limiter.OnRateLimited(permit, retryAfter);
            Send(run, refusals + 1);
        }

        private void EndRow(Run run)
        {
            run.Done++;
            if (run.Done == run.Rows) run.FinishedAt = _now;
            NextRow(run);
        }
    }
}
