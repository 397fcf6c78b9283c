using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// Sends one logical request: attempt, retry policy and rate limiter, resending only what the policy allows. Knows
    /// no token manager: a request that uses the session's token gets it from the <see cref="ISessionTokens"/> passed
    /// in, so the token manager itself sends its login, refresh and logout through this without pointing back.
    /// </summary>
    internal sealed class RequestSender : IDisposable
    {
        private readonly AcefoneSessionOptions _options;
        private readonly AdaptiveRateLimiter _limiter;
        private readonly HttpTransport _attempt;
        private readonly RetryPolicy _policy;
        private readonly TimeProvider _time;

        internal RequestSender(AcefoneSessionOptions options, AdaptiveRateLimiter limiter, HttpMessageHandler? handler, TimeProvider? time = null, Random? random = null)
        {
            _options = options;
            _limiter = limiter;
            _time = time ?? TimeProvider.System;
            _attempt = new HttpTransport(options, handler);
            _policy = RetryPolicy.For(options, _time, random ?? new Random());
        }

        internal Uri BaseUri => _attempt.BaseUri;
        internal int MaxRetries => _options.MaxRetries;
        /// <summary>The session's secrets: every error, trace note and debug line this sender lets out passes through them.</summary>
        internal SessionSecrets Secrets { get; } = new SessionSecrets();

        /// <summary>Sends <paramref name="request"/>; <paramref name="tokens"/> serves requests with <see cref="RequestAuth.Session"/> (null for those that bring their own token or none).</summary>
        internal async Task<ApiResponse> SendAsync(ApiRequest request, ISessionTokens? tokens, IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            try
            {
                ApiResponse response = await SendCoreAsync(request, tokens, RedactingObserver.Wrap(observer, Secrets), cancellationToken).ConfigureAwait(false);
                response.Secrets = Secrets;
                return response;
            }
            catch (AcefoneException ex)
            {
                AcefoneException scrubbed = Secrets.Scrub(ex);
                if (ReferenceEquals(scrubbed, ex)) throw;
                throw scrubbed;
            }
        }

        private async Task<ApiResponse> SendCoreAsync(ApiRequest request, ISessionTokens? tokens, IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            // Bodies for Debug are decoded and redacted twice per request: skip it when nobody keeps them.
            bool debug = RedactingObserver.KeepsDebug(observer);
            int attempt = 0;
            int retries = 0;
            bool renewed = false;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                attempt++;
                // The token before the permit: requests that wait out a renewal must not each hold a slot of the rate
                // and then leave together when it ends (a burst the account answers with 429s).
                TokenLease? token = await RequestAuthorization.TokenForAsync(request, tokens, observer, cancellationToken).ConfigureAwait(false);
                RatePermit permit = await _limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
                var trace = new AttemptTrace(observer, request, attempt, permit.Waited, _time);
                AttemptOutcome outcome = await _attempt.SendAsync(request, token, trace, debug, observer, cancellationToken).ConfigureAwait(false);

                int status = outcome.Status;
                TimeSpan? askedWait = outcome.Kind == AttemptOutcomeKind.Answered
                    ? _policy.AskedWait(status, outcome.RetryAfterHeader, request.ReadsRetryAfterFromBody, outcome.Body, outcome.Length)
                    : null;
                var context = new RetryContext(request.Idempotent, retries, request.RateLimitRetries,
                    RequestAuthorization.MayRenewAfterUnauthorized(request, renewed, tokens, token), request.AmbiguousRetries);
                RetryDecision decision = _policy.Decide(outcome.Kind, status, askedWait, outcome.RefusedAs, context);

                switch (decision.Action)
                {
                    case RetryAction.Fail:
                        throw Failed(request, outcome, decision, trace);
                    case RetryAction.WaitThenResend:
                        trace.Note(outcome.Kind == AttemptOutcomeKind.Answered ? status : (int?)null,
                            ResendNote(outcome, decision, askedWait, retries, request.RateLimitRetries));
                        retries++;
                        await Task.Delay(decision.Delay, cancellationToken).ConfigureAwait(false);
                        continue;
                    case RetryAction.PauseLimiterThenResend:
                        TimeSpan pause = _limiter.OnRateLimited(permit, askedWait);
                        trace.Note(status, $"rate limited; every request pauses {(long)pause.TotalMilliseconds} ms" + (askedWait.HasValue ? " as the API asked (Retry-After)" : string.Empty) + ", then this one is resent");
                        retries++;
                        continue;
                    case RetryAction.ResendNow:
                        trace.Note(status, CutOffWhat(outcome));
                        retries++;
                        continue;
                    case RetryAction.RenewTokenThenResend:
                        trace.Note(status, "token refused; renewing it and resending once");
                        renewed = true;
                        await tokens!.RenewAfterUnauthorizedAsync(token!, observer, cancellationToken).ConfigureAwait(false);
                        continue;
                }

                if (decision.Limiter == LimiterSignal.RateLimited) _limiter.OnRateLimited(permit, askedWait);
                else if (decision.Limiter == LimiterSignal.Success) _limiter.OnSuccess();
                trace.Note(status, decision.OverCap
                    ? $"{(status == 429 ? "rate limited" : "service unavailable")}; the API asked to wait {RetryAfter.Describe(askedWait!.Value)}, longer than the {RetryAfter.Describe(RetryAfter.Cap)} this module waits: not resent, nothing paused"
                    : null);
                return new ApiResponse(status, outcome.Body, outcome.Length, outcome.ContentType, outcome.Location, attempt)
                {
                    RetryAfter = askedWait,
                    TokenRenewed = renewed,
                    RequestIdHeader = outcome.RequestIdHeader,
                    Headers = outcome.Headers,
                };
            }
        }

        private string NoAnswerWithin => $"no answer within {_options.Timeout.TotalSeconds:0.#} s";

        private string NeverSentCause(in AttemptOutcome outcome) =>
            outcome.Kind == AttemptOutcomeKind.QueuedOut ? $"no connection within {_options.Timeout.TotalSeconds:0.#} s" : outcome.Message!;

        private string SentWithoutAnswerWhat(in AttemptOutcome outcome) => outcome.Kind == AttemptOutcomeKind.TimedOut
            ? NoAnswerWithin
            : $"the connection was lost after the request was sent ({outcome.Message})";

        private static string CutOffWhat(in AttemptOutcome outcome) => $"the answer ({outcome.Status}) was cut off ({outcome.Message})";

        /// <summary>The trace's note for a resend after a wait.</summary>
        private string ResendNote(in AttemptOutcome outcome, RetryDecision decision, TimeSpan? askedWait, int retries, int? rateLimitRetries)
        {
            switch (outcome.Kind)
            {
                case AttemptOutcomeKind.NeverConnected:
                case AttemptOutcomeKind.QueuedOut:
                    return $"could not connect ({NeverSentCause(outcome)}); nothing was sent, retrying";
                case AttemptOutcomeKind.TimedOut:
                case AttemptOutcomeKind.ConnectionLost:
                    return SentWithoutAnswerWhat(outcome) + "; retrying (safe to resend)";
            }
            long ms = (long)decision.Delay.TotalMilliseconds;
            if (outcome.Status == 429)
            {
                int allowed = Math.Min(rateLimitRetries ?? _options.MaxRetries, _options.MaxRetries);
                return $"throttled; the session waits {ms} ms" + (askedWait.HasValue ? " as the API asked" : string.Empty) + $", then sends this once more ({retries + 1} of {allowed})";
            }
            return $"service unavailable; resent in {ms} ms" + (askedWait.HasValue ? " as the API asked (Retry-After)" : string.Empty);
        }

        /// <summary>Traces the failure and builds the error the caller sees; how far the request got is the policy's word.</summary>
        private AcefoneException Failed(ApiRequest request, in AttemptOutcome outcome, in RetryDecision decision, in AttemptTrace trace) =>
            Outcome.Record(Describe(request, outcome, decision, trace), decision.Reach, decision.Idempotent);

        private AcefoneException Describe(ApiRequest request, in AttemptOutcome outcome, in RetryDecision decision, in AttemptTrace trace)
        {
            int attempts = trace.Attempt;
            switch (outcome.Kind)
            {
                case AttemptOutcomeKind.ProxyAuthenticationRequired:
                    trace.Note(407, "the proxy asked for credentials (CONNECT answered 407); not retried");
                    return ResponseErrors.Failure(request, decision.FailureKind, ResponseErrors.ProxyAuthenticationRequired, 407, attempts, outcome.Exception, decision.Reach);
                case AttemptOutcomeKind.NeverConnected:
                case AttemptOutcomeKind.QueuedOut:
                    trace.Note(null, "could not connect; giving up");
                    return ResponseErrors.Failure(request, decision.FailureKind,
                        $"could not reach {(request.AbsoluteUri ?? BaseUri).Host} ({NeverSentCause(outcome)}); nothing was sent.", null, attempts, outcome.Exception, decision.Reach);
                case AttemptOutcomeKind.TimedOut:
                case AttemptOutcomeKind.ConnectionLost:
                    string what = SentWithoutAnswerWhat(outcome);
                    trace.Note(null, what);
                    return ResponseErrors.Failure(request, decision.FailureKind, decision.MayHaveActed
                        ? what + ": the API may or may not have acted on it. It was not resent; check the call before retrying."
                        : what + ".", null, attempts, outcome.Exception, decision.Reach);
                case AttemptOutcomeKind.AnswerCutOff:
                    string cut = CutOffWhat(outcome);
                    trace.Note(outcome.Status, cut);
                    return ResponseErrors.Failure(request, decision.FailureKind,
                        cut + (decision.MayHaveActed ? ": the API may or may not have acted on it. It was not resent." : "."), outcome.Status, attempts, outcome.Exception, decision.Reach);
                case AttemptOutcomeKind.TooLarge:
                    trace.Note(outcome.Status, outcome.Message);
                    return ResponseErrors.Failure(request, decision.FailureKind,
                        decision.MayHaveActed ? outcome.Message + " The API may have acted on the request; it was not resent." : outcome.Message!, outcome.Status, attempts, null, decision.Reach);
                default:
                    trace.Note(null, outcome.TraceNote);
                    return ResponseErrors.Failure(request, decision.FailureKind, outcome.Message!, null, attempts, outcome.Exception, decision.Reach);
            }
        }

        public void Dispose() => _attempt.Dispose();
    }
}
