using System;
using System.Net.Http.Headers;

namespace Acefone.Client
{
    /// <summary>The request's side of a retry decision.</summary>
    internal readonly struct RetryContext
    {
        internal RetryContext(bool idempotent, int retries, int? rateLimitRetries, bool canRenewToken, int? ambiguousRetries = null)
        {
            Idempotent = idempotent;
            Retries = retries;
            RateLimitRetries = rateLimitRetries;
            CanRenewToken = canRenewToken;
            AmbiguousRetries = ambiguousRetries;
        }

        /// <summary>Whether a request that may have reached the API can be sent again.</summary>
        internal bool Idempotent { get; }
        /// <summary>Resends so far (0 after the first attempt).</summary>
        internal int Retries { get; }
        /// <summary>A login's own limit on 429 resends, which waits itself and leaves the limiter alone; null for the session's.</summary>
        internal int? RateLimitRetries { get; }
        /// <summary>Whether a 401 may renew the token: a session token that can be renewed and has not been yet for this request.</summary>
        internal bool CanRenewToken { get; }
        /// <summary>A login's own limit on resends after a timeout or a lost answer (never above the session's); null for the session's.</summary>
        internal int? AmbiguousRetries { get; }
    }
}
