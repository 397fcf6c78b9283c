using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// Sends one logical request: rate limit, token, timeout, bounded read, and the only resends that are
    /// safe — what the server clearly did not process (429, 503, a connection that never opened, a 401 a
    /// fresh token cures). A call operation that may have reached the API is never sent again.
    /// </summary>
    internal sealed class HttpPipeline : IDisposable
    {
        private static readonly TimeSpan MaxRetryAfter = RetryAfter.Cap;

        /// <summary>
        /// .NET Framework's handler allows 2 connections per host unless told otherwise, and queues the rest: well above
        /// the largest -ThrottleLimit (64), since several runspaces may share one session.
        /// </summary>
        internal const int NetFrameworkConnectionsPerServer = 256;

        private readonly HttpClient _http;
        private readonly AcefoneSessionOptions _options;
        private readonly AdaptiveRateLimiter _limiter;
        private readonly Random _jitter = new Random();

        internal HttpPipeline(AcefoneSessionOptions options, AdaptiveRateLimiter limiter, HttpMessageHandler? handler)
        {
            _options = options;
            _limiter = limiter;
            BaseUri = options.ResolveBaseUri();
            _http = new HttpClient(handler ?? CreateHandler(options), disposeHandler: true)
            {
                BaseAddress = BaseUri,
                // Each request gets its own timeout below; HttpClient's would surface as an indistinct cancellation.
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };
            _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            // .NET Framework sends Expect: 100-continue with every POST (a round trip more per transfer); its handler
            // reads this header to set the ServicePoint's Expect100Continue.
            _http.DefaultRequestHeaders.ExpectContinue = false;
            if (!string.IsNullOrWhiteSpace(options.UserAgent)) _http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", options.UserAgent);
        }

        internal Uri BaseUri { get; }
        internal TokenManager? Tokens { get; set; }
        internal int MaxRetries => _options.MaxRetries;
        /// <summary>The session's secrets: every error, trace note and debug line this pipeline lets out passes through them.</summary>
        internal SessionSecrets Secrets { get; } = new SessionSecrets();

        internal static HttpClientHandler CreateHandler(AcefoneSessionOptions options) => CreateHandler(options, IsNetFramework);

        /// <param name="options">The session's proxy and TLS settings.</param>
        /// <param name="netFramework">Whether to apply the .NET Framework settings; a parameter so tests on .NET can check them.</param>
        internal static HttpClientHandler CreateHandler(AcefoneSessionOptions options, bool netFramework)
        {
            var handler = new HttpClientHandler
            {
                // A redirect would carry the Authorization header to wherever it points: never follow one.
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            };
            if (options.Proxy != null)
            {
                handler.UseProxy = true;
                // WebProxy.UseDefaultCredentials is a view of Credentials (setting it false clears them): set one, never both.
                var proxy = new WebProxy(options.Proxy);
                if (options.ProxyCredential != null) proxy.Credentials = options.ProxyCredential;
                else if (options.ProxyUseDefaultCredentials) proxy.UseDefaultCredentials = true;
                handler.Proxy = proxy;
            }
            else if (options.ProxyUseDefaultCredentials)
            {
                handler.DefaultProxyCredentials = CredentialCache.DefaultCredentials;
            }
            if (netFramework)
            {
                // Windows PowerShell 5.1 may default to TLS 1.0; ask for 1.2+ on this handler only, never through ServicePointManager.
                handler.SslProtocols = SslProtocols.Tls12 | Tls13IfKnown();
                // Otherwise ServicePointManager.DefaultConnectionLimit (2) applies, and a request's timeout runs while it queues.
                handler.MaxConnectionsPerServer = NetFrameworkConnectionsPerServer;
            }
            return handler;
        }

        internal static bool IsNetFramework =>
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        private static SslProtocols Tls13IfKnown()
        {
            const int tls13 = 12288;
            return Enum.IsDefined(typeof(SslProtocols), tls13) && Environment.OSVersion.Version.Build >= 20348 ? (SslProtocols)tls13 : SslProtocols.None;
        }

        internal async Task<ApiResponse> SendAsync(ApiRequest request, IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            try
            {
                ApiResponse response = await SendCoreAsync(request, RedactingObserver.Wrap(observer, Secrets), cancellationToken).ConfigureAwait(false);
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

        private async Task<ApiResponse> SendCoreAsync(ApiRequest request, IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            // Bodies for Debug are decoded and redacted twice per request: skip it when nobody keeps them.
            bool debug = observer != null && !(observer is IAcefoneDebugSwitch debugSwitch && !debugSwitch.WantsDebug);
            int attempt = 0;
            int retries = 0;
            bool renewed = false;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                attempt++;
                // The token before the permit: requests that wait out a renewal must not each hold a slot of the rate
                // and then leave together when it ends (a burst the account answers with 429s).
                TokenLease? token = await TokenFor(request, observer, cancellationToken).ConfigureAwait(false);
                RatePermit permit = await _limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
                long started = Stopwatch.GetTimestamp();
                TimeSpan Elapsed() => TimeSpan.FromSeconds((double)(Stopwatch.GetTimestamp() - started) / Stopwatch.Frequency);
                void Trace(int? status, string? note) =>
                    observer?.OnAttempt(new AcefoneRequestTrace(request.Method.Method, request.Target, status, Elapsed(), attempt, permit.Waited, note));

                if (debug && request.Body != null && attempt == 1)
                    observer!.OnDebug($"{request.Display} body: {SecretRedactor.Redact(System.Text.Encoding.UTF8.GetString(request.Body), token?.Value)}");

                HttpRequestMessage message;
                try
                {
                    message = BuildMessage(request, token);
                }
                catch (AcefoneException unsendable)
                {
                    Trace(null, "not sent: " + unsendable.Message);
                    throw Failure(request, unsendable.Kind, unsendable.Message, null, attempt, null);
                }
                catch (Exception ex) when (!(ex is OperationCanceledException))
                {
                    Trace(null, "not sent: the request could not be built");
                    throw Failure(request, AcefoneErrorKind.NetworkError, $"the request could not be built ({Innermost(ex)}); nothing was sent.", null, attempt, ex);
                }
                using (message)
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                // The body tells whether the request got further than the queue for a connection.
                using (var sentBody = message.Content as SendTrackingContent)
                {
                    timeout.CancelAfter(_options.Timeout);
                    HttpResponseMessage response;
                    try
                    {
                        response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        Trace(null, "cancelled");
                        throw;
                    }
                    catch (Exception ex) when (!(ex is OperationCanceledException || ex is HttpRequestException || ex is IOException))
                    {
                        // Thrown by HttpClient or the handler before any byte went out (a header it refuses, a handler
                        // setting it cannot apply): the request never reached the network, so the outcome is known.
                        Trace(null, $"not sent ({Innermost(ex)})");
                        throw Failure(request, AcefoneErrorKind.NetworkError, $"the request could not be sent ({Innermost(ex)}); nothing was sent.", null, attempt, ex);
                    }
                    catch (Exception ex) when (ex is OperationCanceledException || ex is HttpRequestException || ex is IOException)
                    {
                        if (SendFailure.IsProxyAuthenticationRequired(ex))
                        {
                            Trace(407, "the proxy asked for credentials (CONNECT answered 407); not retried");
                            throw Failure(request, AcefoneErrorKind.ProxyAuthenticationRequired, ResponseErrors.ProxyAuthenticationRequired, 407, attempt, ex);
                        }
                        bool timedOut = ex is OperationCanceledException;
                        // Timed out still queued for a connection: a POST whose body was never handed to the network
                        // cannot have been acted on, so it is a "never sent" like a refused connection.
                        bool queuedOut = timedOut && sentBody != null && !sentBody.Started;
                        if (queuedOut || (!timedOut && SendFailure.RequestNeverLeft(ex)))
                        {
                            string cause = queuedOut ? $"no connection within {_options.Timeout.TotalSeconds:0.#} s" : Innermost(ex);
                            if (retries < _options.MaxRetries)
                            {
                                Trace(null, $"could not connect ({cause}); nothing was sent, retrying");
                                retries++;
                                await Task.Delay(Backoff(retries), cancellationToken).ConfigureAwait(false);
                                continue;
                            }
                            Trace(null, "could not connect; giving up");
                            throw Failure(request, AcefoneErrorKind.NetworkError,
                                $"could not reach {(request.AbsoluteUri ?? BaseUri).Host} ({cause}); nothing was sent.", null, attempt, ex);
                        }
                        string what = timedOut
                            ? $"no answer within {_options.Timeout.TotalSeconds:0.#} s"
                            : $"the connection was lost after the request was sent ({Innermost(ex)})";
                        if (request.Idempotent && retries < _options.MaxRetries)
                        {
                            Trace(null, what + "; retrying (safe to resend)");
                            retries++;
                            await Task.Delay(Backoff(retries), cancellationToken).ConfigureAwait(false);
                            continue;
                        }
                        Trace(null, what);
                        throw request.Idempotent
                            ? Failure(request, AcefoneErrorKind.NetworkError, what + ".", null, attempt, ex)
                            : Failure(request, AcefoneErrorKind.OutcomeUnknown,
                                what + ": the API may or may not have acted on it. It was not resent; check the call before retrying.", null, attempt, ex);
                    }

                    using (response)
                    {
                        int status = (int)response.StatusCode;
                        byte[] body;
                        int length;
                        try
                        {
                            if (request.ResponseSink != null && status >= 200 && status < 300)
                            {
                                // Streamed to its destination (a recording); nothing is kept here.
                                // A stalled body must still end at the timeout or a stop on .NET Framework, whose reads
                                // may not observe the token: disposing the response ends them.
                                using (timeout.Token.Register(() => response.Dispose()))
                                using (Stream stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                                    await request.ResponseSink(response, stream, () => timeout.CancelAfter(_options.Timeout), timeout.Token).ConfigureAwait(false);
                                (body, length) = (Array.Empty<byte>(), 0);
                            }
                            else
                            {
                                (body, length) = await ReadBodyAsync(response, _options.MaxResponseBytes ?? request.MaxResponseBytes ?? ResponseCaps.Status, timeout.Token).ConfigureAwait(false);
                            }
                        }
                        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                        {
                            Trace(status, "cancelled");
                            throw;
                        }
                        catch (AcefoneException tooLarge)
                        {
                            Trace(status, tooLarge.Message);
                            string what = request.Idempotent ? tooLarge.Message : tooLarge.Message + " The API may have acted on the request; it was not resent.";
                            AcefoneException failure = Failure(request, tooLarge.Kind, what, status, attempt, null);
                            failure.MayHaveActed = !request.Idempotent;
                            throw failure;
                        }
                        catch (Exception ex) when (ex is OperationCanceledException || ex is HttpRequestException || ex is IOException)
                        {
                            string what = $"the answer ({status}) was cut off ({Innermost(ex)})";
                            Trace(status, what);
                            if (request.Idempotent && retries < _options.MaxRetries)
                            {
                                retries++;
                                continue;
                            }
                            AcefoneException cutOff = Failure(request, request.Idempotent ? AcefoneErrorKind.NetworkError : AcefoneErrorKind.OutcomeUnknown,
                                what + (request.Idempotent ? "." : ": the API may or may not have acted on it. It was not resent."), status, attempt, ex);
                            cutOff.MayHaveActed = !request.Idempotent;
                            throw cutOff;
                        }

                        if (debug && length > 0)
                            observer!.OnDebug($"{request.Display} answer {status}: {SecretRedactor.Truncate(SecretRedactor.Redact(System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(length, 4096)), token?.Value), 2048)}");

                        TimeSpan? askedWait = null;
                        if (status == 429 || status == 503)
                        {
                            DateTimeOffset now = DateTimeOffset.UtcNow;
                            askedWait = RetryAfter.FromHeader(response, now);
                            if (!askedWait.HasValue && request.ReadsRetryAfterFromBody)
                                askedWait = RetryAfter.FromBody(body, length, RetryAfter.AccountOffset(_options.BaseUri == null ? _options.Region : null, now), now);
                        }
                        bool overCap = askedWait.HasValue && askedWait.Value > MaxRetryAfter;
                        int allowed = status == 429 ? Math.Min(request.RateLimitRetries ?? _options.MaxRetries, _options.MaxRetries) : _options.MaxRetries;

                        if ((status == 429 || status == 503) && overCap)
                        {
                            // Checked before anything pauses: a wait longer than the cap fails this request at once and
                            // leaves the session free, rather than silencing every other row for the hour the API asked.
                            Trace(status, $"{(status == 429 ? "rate limited" : "service unavailable")}; the API asked to wait {RetryAfter.Describe(askedWait!.Value)}, longer than the {RetryAfter.Describe(MaxRetryAfter)} this module waits: not resent, nothing paused");
                        }
                        else if (status == 429)
                        {
                            if (retries < allowed && request.RateLimitRetries.HasValue)
                            {
                                // A throttled login is about the login, not the request rate: the limiter is left alone,
                                // and the requests that need the token wait on this one renewal meanwhile.
                                TimeSpan wait = askedWait ?? Backoff(retries + 1);
                                Trace(status, $"throttled; the session waits {(long)wait.TotalMilliseconds} ms" + (askedWait.HasValue ? " as the API asked" : string.Empty) + $", then sends this once more ({retries + 1} of {allowed})");
                                retries++;
                                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                                continue;
                            }
                            if (retries < allowed)
                            {
                                TimeSpan pause = _limiter.OnRateLimited(permit, askedWait);
                                Trace(status, $"rate limited; every request pauses {(long)pause.TotalMilliseconds} ms" + (askedWait.HasValue ? " as the API asked (Retry-After)" : string.Empty) + ", then this one is resent");
                                retries++;
                                continue;
                            }
                            if (!request.RateLimitRetries.HasValue) _limiter.OnRateLimited(permit, askedWait);
                        }
                        else if (status == 503 && retries < allowed)
                        {
                            TimeSpan delay = askedWait ?? Backoff(retries + 1);
                            Trace(status, $"service unavailable; resent in {(long)delay.TotalMilliseconds} ms" + (askedWait.HasValue ? " as the API asked (Retry-After)" : string.Empty));
                            retries++;
                            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                            continue;
                        }
                        else if (status == 401 && request.Auth == RequestAuth.Session && !renewed && Tokens != null && Tokens.CanRenew && token != null)
                        {
                            Trace(status, "token refused; renewing it and resending once");
                            renewed = true;
                            await Tokens.RenewAfterUnauthorizedAsync(token, observer, cancellationToken).ConfigureAwait(false);
                            continue;
                        }
                        else if (status != 429)
                        {
                            _limiter.OnSuccess();
                        }

                        if (!overCap) Trace(status, null);
                        return new ApiResponse(status, body, length, response.Content.Headers.ContentType?.MediaType,
                            response.Headers.Location?.OriginalString, attempt)
                        {
                            RetryAfter = askedWait,
                            TokenRenewed = renewed,
                        };
                    }
                }
            }
        }

        private async Task<TokenLease?> TokenFor(ApiRequest request, IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            switch (request.Auth)
            {
                case RequestAuth.Session:
                    if (Tokens == null) throw new InvalidOperationException("The session has no token manager.");
                    return await Tokens.GetAsync(observer, cancellationToken).ConfigureAwait(false);
                case RequestAuth.Explicit:
                    return request.ExplicitToken;
                default:
                    return null;
            }
        }

        private HttpRequestMessage BuildMessage(ApiRequest request, TokenLease? token)
        {
            string relative = request.Query == null ? request.Path : request.Path + "?" + request.Query;
            var message = new HttpRequestMessage(request.Method, request.AbsoluteUri ?? new Uri(relative, UriKind.Relative));
            if (token != null)
            {
                int bad = TokenManager.FindNonHeaderCharacter(token.Value);
                if (bad >= 0)
                    throw new AcefoneException(AcefoneErrorKind.AuthenticationFailed,
                        $"the token has {TokenManager.DescribeCharacter(token.Value[bad])} at position {bad + 1}, which cannot go in a request header; nothing was sent.");
                if (_options.AuthScheme == AcefoneAuthScheme.Bearer)
                    message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
                else
                    message.Headers.TryAddWithoutValidation("Authorization", token.Value);
            }
            if (request.Body != null)
            {
                var content = new SendTrackingContent(request.Body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                message.Content = content;
            }
            else if (request.Method == HttpMethod.Post)
            {
                message.Content = new SendTrackingContent(Array.Empty<byte>());
            }
            request.ConfigureMessage?.Invoke(message);
            return message;
        }

        private static async Task<(byte[] Body, int Length)> ReadBodyAsync(HttpResponseMessage response, int max, CancellationToken cancellationToken)
        {
            long? declared = response.Content.Headers.ContentLength;
            if (declared.HasValue && declared.Value > max)
                throw new AcefoneException(AcefoneErrorKind.InvalidResponse, $"the answer is {declared.Value} bytes, more than the {max} this module reads; it was not read.");
            byte[] buffer = new byte[declared.HasValue ? (int)declared.Value : 4096];
            int length = 0;
            using (Stream stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
            // .NET Framework's response stream does not observe a token in ReadAsync: a stalled body would outlast
            // -TimeoutSec and Ctrl+C. Disposing the response ends the read.
            using (cancellationToken.Register(() => response.Dispose()))
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= max + 1) break;
                        Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, max + 1L));
                    }
                    int read;
                    try
                    {
                        read = await stream.ReadAsync(buffer, length, buffer.Length - length, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (cancellationToken.IsCancellationRequested && !(ex is OperationCanceledException))
                    {
                        throw new OperationCanceledException("The answer was cut off by the timeout or a stop.", ex, cancellationToken);
                    }
                    if (read == 0) break;
                    length += read;
                }
            }
            if (length > max)
                throw new AcefoneException(AcefoneErrorKind.InvalidResponse, $"the answer is more than the {max} bytes this module reads; reading stopped there.");
            return (buffer, length);
        }

        private TimeSpan Backoff(int retry)
        {
            double baseMs = Math.Min(10000, _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 10)));
            double factor;
            lock (_jitter) factor = 0.5 + _jitter.NextDouble() * 0.5;
            return TimeSpan.FromMilliseconds(baseMs * factor);
        }

        private static string Innermost(Exception exception)
        {
            Exception current = exception;
            while (current.InnerException != null) current = current.InnerException;
            return current.Message.TrimEnd('.');
        }

        internal static AcefoneException Failure(ApiRequest request, AcefoneErrorKind kind, string what, int? status, int attempts, Exception? inner)
        {
            return new AcefoneException(kind, $"{request.Subject ?? request.Display}: {what}", inner)
            {
                Operation = request.Operation,
                CallId = request.CallId,
                StatusCode = status,
                Attempts = attempts,
                Request = request.Display,
                MayHaveActed = kind == AcefoneErrorKind.OutcomeUnknown,
            };
        }

        public void Dispose() => _http.Dispose();
    }
}
