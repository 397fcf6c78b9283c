using System;

namespace Acefone.Client
{
    /// <summary>
    /// The one exponential backoff of the engine: <c>first</c> doubling per retry up to <c>max</c>, times a jitter of
    /// 0.5–1 so that sessions sharing an account do not retry in step. The random source is the caller's, so tests fix it.
    /// </summary>
    internal static class JitteredBackoff
    {
        /// <param name="first">The delay before the first retry, before jitter.</param>
        /// <param name="retry">1 for the first retry.</param>
        /// <param name="max">The longest delay, before jitter.</param>
        /// <param name="random">Read under its own lock: System.Random is not thread-safe.</param>
        internal static TimeSpan Next(TimeSpan first, int retry, TimeSpan max, Random random)
        {
            double baseMs = Math.Min(max.TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 10)));
            double factor;
            lock (random) factor = 0.5 + random.NextDouble() * 0.5;
            return TimeSpan.FromMilliseconds(baseMs * factor);
        }
    }
}
