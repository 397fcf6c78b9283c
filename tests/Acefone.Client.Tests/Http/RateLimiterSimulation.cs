using System;
using System.Collections.Generic;
using Acefone.Client;
using Microsoft.Extensions.Time.Testing;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// Sessions (each with its own <see cref="AdaptiveRateLimiter"/>) sending as fast as they may to one account whose
    /// limit they are not told, in virtual time: a minute of traffic takes milliseconds, and the same seed gives the
    /// same run. The account is a token bucket of one second's capacity, as the simulator's.
    /// </summary>
    internal sealed class RateLimiterSimulation
    {
        internal sealed class Client
        {
            internal Client(AdaptiveRateLimiter limiter, int workers)
            {
                Limiter = limiter;
                Workers = workers;
            }

            internal AdaptiveRateLimiter Limiter { get; }
            internal int Workers { get; }
            internal long Sent;
            internal long Refused;
            internal long Dropped;
            /// <summary>Answers that were not 429, by the second they arrived in.</summary>
            internal readonly List<int> SucceededPerSecond = new List<int>();

            internal double Throughput(int fromSecond, int toSecond)
            {
                long total = 0;
                for (int s = fromSecond; s < toSecond && s < SucceededPerSecond.Count; s++) total += SucceededPerSecond[s];
                return total / (double)(toSecond - fromSecond);
            }
        }

        private readonly FakeTimeProvider _time = new FakeTimeProvider();
        private readonly PriorityQueue<Action, (TimeSpan At, long Order)> _events = new PriorityQueue<Action, (TimeSpan, long)>();
        private readonly TimeSpan _roundTrip;
        private long _order;
        private TimeSpan _now;
        private double _bucket = double.NaN;
        private TimeSpan _bucketAt;

        internal RateLimiterSimulation(Func<TimeSpan, double> limitAt, TimeSpan roundTrip)
        {
            LimitAt = limitAt;
            _roundTrip = roundTrip;
        }

        internal Func<TimeSpan, double> LimitAt { get; }

        /// <summary>The account's bucket holds this many requests (default: one second's worth).</summary>
        internal double? Burst { get; set; }

        /// <summary>Every Nth request that got through is dropped after the account counted it: no answer comes.</summary>
        internal int? DropEveryNth { get; set; }

        private long _passed;
        internal List<Client> Clients { get; } = new List<Client>();

        internal Client AddClient(int workers, int seed, TimeSpan startAt = default, double? ceiling = null)
        {
            var client = new Client(new AdaptiveRateLimiter(ceiling, _time, new Random(seed)), workers);
            Clients.Add(client);
            for (int i = 0; i < workers; i++) At(startAt + TimeSpan.FromMilliseconds(i), () => Send(client));
            return client;
        }

        internal void RunFor(TimeSpan duration)
        {
            TimeSpan end = _now + duration;
            while (_events.TryPeek(out _, out var next) && next.At <= end)
            {
                _events.TryDequeue(out Action? action, out var when);
                if (when.At > _now)
                {
                    _time.Advance(when.At - _now);
                    _now = when.At;
                }
                action!();
            }
        }

        private void At(TimeSpan when, Action action) => _events.Enqueue(action, (when, _order++));

        private void Send(Client client)
        {
            if (!client.Limiter.TryAcquire(out RatePermit permit, out TimeSpan retryIn))
            {
                At(_now + retryIn, () => Send(client));
                return;
            }
            client.Sent++;
            At(_now + _roundTrip / 2, () =>
            {
                bool passed = PassBucket();
                At(_now + _roundTrip / 2, () => Answer(client, permit, passed));
            });
        }

        private void Answer(Client client, RatePermit permit, bool passed)
        {
            if (passed && DropEveryNth is int drop && ++_passed % drop == 0)
            {
                // No answer: neither a success nor a 429 reaches the limiter, but the account counted the request.
                client.Dropped++;
            }
            else if (passed)
            {
                client.Limiter.OnSuccess();
                int second = (int)_now.TotalSeconds;
                while (client.SucceededPerSecond.Count <= second) client.SucceededPerSecond.Add(0);
                client.SucceededPerSecond[second]++;
            }
            else
            {
                client.Refused++;
                client.Limiter.OnRateLimited(permit, null);
            }
            Send(client);
        }

        private bool PassBucket()
        {
            double limit = LimitAt(_now);
            double capacity = Burst ?? Math.Max(1.0, limit);
            if (double.IsNaN(_bucket)) _bucket = capacity;
            else _bucket = Math.Min(capacity, _bucket + (_now - _bucketAt).TotalSeconds * limit);
            _bucketAt = _now;
            if (_bucket < 1.0) return false;
            _bucket -= 1.0;
            return true;
        }
    }
}
