using System;
using System.Net.Http.Headers;

namespace Acefone.Client
{
    /// <summary>What the rate limiter hears about an answer that is returned.</summary>
    internal enum LimiterSignal
    {
        None,
        /// <summary>Not a 429: the run of refusals is over.</summary>
        Success,
        /// <summary>A 429 that is returned after the last resend: it still slows the session down.</summary>
        RateLimited,
    }
}
