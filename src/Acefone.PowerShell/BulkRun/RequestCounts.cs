using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>What the engine's requests added up to, as the observer heard them on the engine's threads.</summary>
    internal readonly struct RequestCounts
    {
        internal RequestCounts(long requests, long retries, TimeSpan rateLimitHeld, long rateLimitedAttempts)
        {
            Requests = requests;
            Retries = retries;
            RateLimitHeld = rateLimitHeld;
            RateLimitedAttempts = rateLimitedAttempts;
        }

        /// <summary>Attempts sent, retries included.</summary>
        internal long Requests { get; }
        internal long Retries { get; }
        /// <summary>Wall-clock time with at least one request held by the rate limiter (not the sum over parallel requests).</summary>
        internal TimeSpan RateLimitHeld { get; }
        internal long RateLimitedAttempts { get; }

        internal static RequestCounts From(PipelineObserver observer) =>
            new RequestCounts(observer.Requests, observer.Retries, observer.RateLimitHeld, observer.RateLimitedAttempts);
    }
}
