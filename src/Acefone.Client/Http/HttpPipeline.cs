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
        private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(2);

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
            if (!string.IsNullOrWhiteSpace(options.UserAgent)) _http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", options.UserAgent);
        }

        internal Uri BaseUri { get; }
        internal TokenManager? Tokens { get; set; }

        internal static HttpClientHandler CreateHandler(AcefoneSessionOptions options) => CreateHandler(options, IsNetFramework);

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
            // Bodies for Debug are decoded and redacted twice per request: skip it when nobody keeps them.
            bool debug = observer != null && !(observer is IAcefoneDebugSwitch debugSwitch && !debugSwitch.WantsDebug);
            int attempt = 0;
            int retries = 0;
            bool renewed = false;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                attempt++;
                RatePermit permit = await _limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
                TokenLease? token = await TokenFor(request, observer, cancellationToken).ConfigureAwait(false);
                long started = Stopwatch.GetTimestamp();
                TimeSpan Elapsed() => TimeSpan.FromSeconds((double)(Stopwatch.GetTimestamp() - started) / Stopwatch.Frequency);
                void Trace(int? status, string? note) =>
                    observer?.OnAttempt(new AcefoneRequestTrace(request.Method.Method, request.Target, status, Elapsed(), attempt, permit.Waited, note));

                if (debug && request.Body != null && attempt == 1)
                    observer.OnDebug($"{request.Display} body: {SecretRedactor.Redact(System.Text.Encoding.UTF8.GetString(request.Body), token?.Value)}");

                using (HttpRequestMessage message = BuildMessage(request, token))
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
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
                    catch (Exception ex) when (ex is OperationCanceledException || ex is HttpRequestException || ex is IOException)
                    {
                        if (SendFailure.IsProxyAuthenticationRequired(ex))
                        {
                            Trace(407, "the proxy asked for credentials (CONNECT answered 407); not retried");
                            throw Failure(request, AcefoneErrorKind.ProxyAuthenticationRequired, ResponseErrors.ProxyAuthenticationRequired, 407, attempt, ex);
                        }
                        bool timedOut = ex is OperationCanceledException;
                        if (!timedOut && SendFailure.RequestNeverLeft(ex))
                        {
                            if (retries < _options.MaxRetries)
                            {
                                Trace(null, $"could not connect ({Innermost(ex)}); nothing was sent, retrying");
                                retries++;
                                await Task.Delay(Backoff(retries), cancellationToken).ConfigureAwait(false);
                                continue;
                            }
                            Trace(null, "could not connect; giving up");
                            throw Failure(request, AcefoneErrorKind.NetworkError,
                                $"could not reach {(request.AbsoluteUri ?? BaseUri).Host} ({Innermost(ex)}); nothing was sent.", null, attempt, ex);
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
                                using (Stream stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                                    await request.ResponseSink(response, stream, () => timeout.CancelAfter(_options.Timeout), timeout.Token).ConfigureAwait(false);
                                (body, length) = (Array.Empty<byte>(), 0);
                            }
                            else
                            {
                                (body, length) = await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false);
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
                            throw Failure(request, tooLarge.Kind, what, status, attempt, null);
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
                            throw Failure(request, request.Idempotent ? AcefoneErrorKind.NetworkError : AcefoneErrorKind.OutcomeUnknown,
                                what + (request.Idempotent ? "." : ": the API may or may not have acted on it. It was not resent."), status, attempt, ex);
                        }

                        if (debug && length > 0)
                            observer!.OnDebug($"{request.Display} answer {status}: {SecretRedactor.Truncate(SecretRedactor.Redact(System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(length, 4096)), token?.Value), 2048)}");

                        if (status == 429)
                        {
                            TimeSpan? retryAfter = ReadRetryAfter(response);
                            TimeSpan pause = _limiter.OnRateLimited(permit, retryAfter);
                            if (retries < _options.MaxRetries && (!retryAfter.HasValue || retryAfter.Value <= MaxRetryAfter))
                            {
                                Trace(status, $"rate limited; every request pauses {(long)pause.TotalMilliseconds} ms" + (retryAfter.HasValue ? " (Retry-After)" : string.Empty) + ", then this one is resent");
                                retries++;
                                continue;
                            }
                        }
                        else if (status == 503 && retries < _options.MaxRetries)
                        {
                            TimeSpan delay = Backoff(retries + 1);
                            Trace(status, $"service unavailable; resent in {(long)delay.TotalMilliseconds} ms");
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
                        else
                        {
                            _limiter.OnSuccess();
                        }

                        Trace(status, null);
                        return new ApiResponse(status, body, length, response.Content.Headers.ContentType?.MediaType,
                            response.Headers.Location?.OriginalString, attempt);
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
                if (_options.AuthScheme == AcefoneAuthScheme.Bearer)
                    message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
                else
                    message.Headers.TryAddWithoutValidation("Authorization", token.Value);
            }
            if (request.Body != null)
            {
                var content = new ByteArrayContent(request.Body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                message.Content = content;
            }
            else if (request.Method == HttpMethod.Post)
            {
                message.Content = new ByteArrayContent(Array.Empty<byte>());
            }
            request.ConfigureMessage?.Invoke(message);
            return message;
        }

        private async Task<(byte[] Body, int Length)> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            int max = _options.MaxResponseBytes;
            long? declared = response.Content.Headers.ContentLength;
            if (declared.HasValue && declared.Value > max)
                throw new AcefoneException(AcefoneErrorKind.InvalidResponse, $"the answer is {declared.Value} bytes, more than the {max} this module reads; it was not read.");
            byte[] buffer = new byte[declared.HasValue ? (int)declared.Value : 4096];
            int length = 0;
            using (Stream stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= max + 1) break;
                        Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, max + 1L));
                    }
                    int read = await stream.ReadAsync(buffer, length, buffer.Length - length, cancellationToken).ConfigureAwait(false);
                    if (read == 0) break;
                    length += read;
                }
            }
            if (length > max)
                throw new AcefoneException(AcefoneErrorKind.InvalidResponse, $"the answer is more than the {max} bytes this module reads; reading stopped there.");
            return (buffer, length);
        }

        private static TimeSpan? ReadRetryAfter(HttpResponseMessage response)
        {
            RetryConditionHeaderValue? header = response.Headers.RetryAfter;
            if (header == null) return null;
            if (header.Delta.HasValue) return header.Delta.Value < TimeSpan.Zero ? TimeSpan.Zero : header.Delta.Value;
            if (header.Date.HasValue)
            {
                TimeSpan wait = header.Date.Value - DateTimeOffset.UtcNow;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
            return null;
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
            };
        }

        public void Dispose() => _http.Dispose();
    }
}
