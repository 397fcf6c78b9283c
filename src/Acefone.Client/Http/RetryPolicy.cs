using System;
using System.Net.Http.Headers;

namespace Acefone.Client
{
    /// <summary>
    /// Decides, from one attempt's outcome alone, whether a request is returned, failed or sent again, and after how
    /// long. Only what the server clearly did not process is resent (429, 503, a connection that never opened, a 401
    /// a fresh token cures); an ambiguous failure only when the request is safe to resend. Time and randomness are
    /// injected, so every rule runs in a unit test.
    /// </summary>
    internal sealed class RetryPolicy
    {
        private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

        private readonly int _maxRetries;
        private readonly TimeSpan _baseDelay;
        private readonly AcefoneRegion? _region;
        private readonly TimeProvider _time;
        private readonly Random _random;

        /// <param name="maxRetries">The session's -MaxRetries.</param>
        /// <param name="baseDelay">The first backoff, doubling per retry up to 10 s.</param>
        /// <param name="region">The account's region, whose clock a login's retry_after date is in; null for a base URI.</param>
        /// <param name="time">The clock Retry-After dates are read against.</param>
        /// <param name="random">The jitter's source.</param>
        internal RetryPolicy(int maxRetries, TimeSpan baseDelay, AcefoneRegion? region, TimeProvider time, Random random)
        {
            _maxRetries = maxRetries;
            _baseDelay = baseDelay;
            _region = region;
            _time = time;
            _random = random;
        }

        internal static RetryPolicy For(AcefoneSessionOptions options, TimeProvider time, Random random) =>
            new RetryPolicy(options.MaxRetries, options.RetryBaseDelay, options.BaseUri == null ? options.Region : null, time, random);

        /// <summary>
        /// How long a 429 or 503 asked to wait: the Retry-After header, else (for a login) the body's retry_after; null
        /// for any other status or when it did not say. "Now" is the injected clock's.
        /// </summary>
        internal TimeSpan? AskedWait(int status, RetryConditionHeaderValue? header, bool readsBody, byte[] body, int length)
        {
            if (status != 429 && status != 503) return null;
            DateTimeOffset now = _time.GetUtcNow();
            TimeSpan? asked = RetryAfter.FromHeader(header, now);
            if (!asked.HasValue && readsBody)
                asked = RetryAfter.FromBody(body, length, RetryAfter.AccountOffset(_region, now), now);
            return asked;
        }

        /// <summary>The delay before resend <paramref name="retry"/> (1 for the first), with jitter.</summary>
        internal TimeSpan Backoff(int retry) => JitteredBackoff.Next(_baseDelay, retry, MaxBackoff, _random);

        /// <param name="outcome">What the attempt came to.</param>
        /// <param name="status">The answer's status (for <see cref="AttemptOutcomeKind.Answered"/>).</param>
        /// <param name="askedWait">What <see cref="AskedWait"/> read from the answer.</param>
        /// <param name="refusedAs">The error kind of a request refused before sending, or of an answer too large to read.</param>
        /// <param name="context">The request and how far its retries have gone.</param>
        internal RetryDecision Decide(AttemptOutcomeKind outcome, int status, TimeSpan? askedWait, AcefoneErrorKind refusedAs, in RetryContext context)
        {
            bool retriesLeft = context.Retries < _maxRetries;
            // A server that does not answer is not cured by asking again and again: a login waits out at most two timeouts.
            bool ambiguousLeft = context.Retries < Math.Min(context.AmbiguousRetries ?? _maxRetries, _maxRetries);
            switch (outcome)
            {
                case AttemptOutcomeKind.Answered:
                    return DecideAnswer(status, askedWait, context);
                case AttemptOutcomeKind.NeverConnected:
                case AttemptOutcomeKind.QueuedOut:
                    // Nothing reached the server: safe to resend whatever the request does.
                    return retriesLeft ? RetryDecision.Wait(Backoff(context.Retries + 1)) : RetryDecision.Fail(AcefoneErrorKind.NetworkError, RequestReach.NotSent, context.Idempotent);
                case AttemptOutcomeKind.TimedOut:
                case AttemptOutcomeKind.ConnectionLost:
                    if (context.Idempotent && ambiguousLeft) return RetryDecision.Wait(Backoff(context.Retries + 1));
                    return Ambiguous(context.Idempotent);
                case AttemptOutcomeKind.AnswerCutOff:
                    if (context.Idempotent && ambiguousLeft) return RetryDecision.Resend(RetryAction.ResendNow);
                    return Ambiguous(context.Idempotent);
                case AttemptOutcomeKind.TooLarge:
                    return RetryDecision.Fail(refusedAs, RequestReach.SentWithoutAnswer, context.Idempotent);
                case AttemptOutcomeKind.ProxyAuthenticationRequired:
                    // Only credentials cure it: resending would ask the proxy again with the same ones.
                    return RetryDecision.Fail(AcefoneErrorKind.ProxyAuthenticationRequired, RequestReach.NotSent, context.Idempotent);
                default:
                    return RetryDecision.Fail(refusedAs, RequestReach.NotSent, context.Idempotent);
            }
        }

        private static RetryDecision Ambiguous(bool idempotent) => idempotent
            ? RetryDecision.Fail(AcefoneErrorKind.NetworkError, RequestReach.SentWithoutAnswer, true)
            : RetryDecision.Fail(AcefoneErrorKind.OutcomeUnknown, RequestReach.SentWithoutAnswer, false);

        private RetryDecision DecideAnswer(int status, TimeSpan? askedWait, in RetryContext context)
        {
            bool refusedForNow = status == 429 || status == 503;
            // Checked before anything pauses: a wait longer than the cap fails this request at once and leaves the
            // session free, rather than silencing every other row for the hour the API asked.
            if (refusedForNow && askedWait > RetryAfter.Cap) return RetryDecision.Return(LimiterSignal.None, overCap: true);
            if (status == 429)
            {
                int allowed = Math.Min(context.RateLimitRetries ?? _maxRetries, _maxRetries);
                bool ownLimit = context.RateLimitRetries.HasValue;
                if (context.Retries < allowed)
                {
                    // A throttled login is about the login, not the request rate: the limiter is left alone, and the
                    // requests that need the token wait on this one renewal meanwhile.
                    return ownLimit
                        ? RetryDecision.Wait(askedWait ?? Backoff(context.Retries + 1))
                        : RetryDecision.Resend(RetryAction.PauseLimiterThenResend);
                }
                return RetryDecision.Return(ownLimit ? LimiterSignal.None : LimiterSignal.RateLimited);
            }
            if (status == 503 && context.Retries < _maxRetries)
                return RetryDecision.Wait(askedWait ?? Backoff(context.Retries + 1));
            if (status == 401 && context.CanRenewToken)
                return RetryDecision.Resend(RetryAction.RenewTokenThenResend);
            return RetryDecision.Return(LimiterSignal.Success);
        }
    }
}
