using System;
using System.Net.Http.Headers;

namespace Acefone.Client
{
    /// <summary>What to do after one attempt.</summary>
    internal enum RetryAction
    {
        /// <summary>Hand the answer to the caller (which may still turn its status into an error).</summary>
        Return,
        /// <summary>Throw a failure of <see cref="RetryDecision.FailureKind"/>.</summary>
        Fail,
        /// <summary>Wait <see cref="RetryDecision.Delay"/>, then send again.</summary>
        WaitThenResend,
        /// <summary>Pause every sender of the session (the rate limiter decides how long), then send again.</summary>
        PauseLimiterThenResend,
        /// <summary>Renew the session's token, then send again.</summary>
        RenewTokenThenResend,
        /// <summary>Send again at once (an answer cut off part-way: the connection, not the server, failed).</summary>
        ResendNow,
    }
}
