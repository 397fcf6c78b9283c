using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// The transport (was SendAttempt): sends a request once and classifies how it ended; never retries, waits or renews
    /// anything. Owns the session's one HttpClient, the per-request timeout, the bounded read and the streamed sink.
    /// </summary>
    internal sealed class HttpTransport : IDisposable
    {
        private readonly HttpClient _http;
        private readonly AcefoneSessionOptions _options;

        internal HttpTransport(AcefoneSessionOptions options, HttpMessageHandler? handler)
        {
            _options = options;
            BaseUri = options.ResolveBaseUri();
            _http = new HttpClient(handler ?? HttpHandlerFactory.CreateHandler(options), disposeHandler: true)
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

        /// <summary>
        /// One attempt. Throws only <see cref="OperationCanceledException"/> for the caller's cancellation (traced as
        /// "cancelled"); every other ending is an outcome. Bodies are decoded and redacted for Debug only when
        /// <paramref name="debug"/> says the observer keeps them.
        /// </summary>
        internal async Task<AttemptOutcome> SendAsync(ApiRequest request, TokenLease? token, AttemptTrace trace, bool debug, IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            if (debug && request.Body != null && trace.Attempt == 1)
                observer!.OnDebug($"{request.Display} body: {SecretRedactor.Redact(System.Text.Encoding.UTF8.GetString(request.Body), token?.Value)}");

            HttpRequestMessage message;
            try
            {
                message = BuildMessage(request, token);
            }
            catch (AcefoneException unsendable)
            {
                return new AttemptOutcome(AttemptOutcomeKind.RefusedBeforeSending, 0, unsendable.Message, null, unsendable.Kind)
                {
                    TraceNote = "not sent: " + unsendable.Message,
                };
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                return new AttemptOutcome(AttemptOutcomeKind.RefusedBeforeSending, 0, $"the request could not be built ({Innermost(ex)}); nothing was sent.", ex)
                {
                    TraceNote = "not sent: the request could not be built",
                };
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
                    trace.Note(null, "cancelled");
                    throw;
                }
                catch (Exception ex) when (!(ex is OperationCanceledException || ex is HttpRequestException || ex is IOException))
                {
                    // Thrown by HttpClient or the handler before any byte went out (a header it refuses, a handler
                    // setting it cannot apply): the request never reached the network, so the outcome is known.
                    return new AttemptOutcome(AttemptOutcomeKind.RefusedBeforeSending, 0, $"the request could not be sent ({Innermost(ex)}); nothing was sent.", ex)
                    {
                        TraceNote = $"not sent ({Innermost(ex)})",
                    };
                }
                catch (Exception ex) when (ex is OperationCanceledException || ex is HttpRequestException || ex is IOException)
                {
                    return Unanswered(ex, sentBody);
                }

                using (response)
                {
                    int status = (int)response.StatusCode;
                    var answered = new AttemptOutcome(AttemptOutcomeKind.Answered, status, null, null);
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
                        }
                        else
                        {
                            (answered.Body, answered.Length) = await ReadBodyAsync(response, _options.MaxResponseBytes ?? request.MaxResponseBytes ?? ResponseCaps.Status, timeout.Token).ConfigureAwait(false);
                        }
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        trace.Note(status, "cancelled");
                        throw;
                    }
                    catch (AcefoneException tooLarge)
                    {
                        return new AttemptOutcome(AttemptOutcomeKind.TooLarge, status, tooLarge.Message, null, tooLarge.Kind);
                    }
                    catch (Exception ex) when (ex is OperationCanceledException || ex is HttpRequestException || ex is IOException)
                    {
                        return new AttemptOutcome(AttemptOutcomeKind.AnswerCutOff, status, Innermost(ex), ex);
                    }

                    if (debug && answered.Length > 0)
                        observer!.OnDebug($"{request.Display} answer {status}: {SecretRedactor.Truncate(SecretRedactor.Redact(System.Text.Encoding.UTF8.GetString(answered.Body, 0, Math.Min(answered.Length, 4096)), SecretsOf(request, token)), 2048)}");
                    answered.ContentType = response.Content.Headers.ContentType?.MediaType;
                    answered.RequestIdHeader = RequestIdOf(response);
                    if (request.KeepsResponseHeaders) answered.Headers = HeadersOf(response);
                    answered.Location = response.Headers.Location?.OriginalString;
                    if (status == 429 || status == 503) answered.RetryAfterHeader = response.Headers.RetryAfter;
                    return answered;
                }
            }
        }

        /// <summary>A send that ended without an answer: how far it got decides whether it can be resent.</summary>
        private static AttemptOutcome Unanswered(Exception ex, SendTrackingContent? sentBody)
        {
            if (SendFailure.IsProxyAuthenticationRequired(ex))
                return new AttemptOutcome(AttemptOutcomeKind.ProxyAuthenticationRequired, 407, null, ex);
            bool timedOut = ex is OperationCanceledException;
            // Timed out still queued for a connection: a POST whose body was never handed to the network cannot have
            // been acted on, so it is a "never sent" like a refused connection.
            if (timedOut && sentBody != null && !sentBody.Started)
                return new AttemptOutcome(AttemptOutcomeKind.QueuedOut, 0, null, ex);
            if (timedOut) return new AttemptOutcome(AttemptOutcomeKind.TimedOut, 0, null, ex);
            return new AttemptOutcome(SendFailure.RequestNeverLeft(ex) ? AttemptOutcomeKind.NeverConnected : AttemptOutcomeKind.ConnectionLost, 0, Innermost(ex), ex);
        }

        private HttpRequestMessage BuildMessage(ApiRequest request, TokenLease? token)
        {
            string relative = request.Query == null ? request.Path : request.Path + "?" + request.Query;
            var message = new HttpRequestMessage(request.Method, request.AbsoluteUri ?? new Uri(relative, UriKind.Relative));
            if (token != null) RequestAuthorization.Apply(message, token, _options.AuthScheme);
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
            if (request.Headers != null)
            {
                foreach (System.Collections.Generic.KeyValuePair<string, string> header in request.Headers)
                {
                    // Request headers first; a body header (Content-Language, ...) goes on the body, and without one it cannot be sent.
                    if (message.Headers.TryAddWithoutValidation(header.Key, header.Value)) continue;
                    if (message.Content != null && message.Content.Headers.TryAddWithoutValidation(header.Key, header.Value)) continue;
                    throw new AcefoneException(AcefoneErrorKind.InvalidInput, $"The header '{header.Key}' describes a body, and this request has none.");
                }
            }
            request.ConfigureMessage?.Invoke(message);
            return message;
        }

        /// <summary>The first X-Request-Id value, trimmed; null when absent or blank.</summary>
        private static string? RequestIdOf(HttpResponseMessage response)
        {
            if (!response.Headers.TryGetValues("X-Request-Id", out System.Collections.Generic.IEnumerable<string>? values)) return null;
            foreach (string value in values)
            {
                if (!string.IsNullOrWhiteSpace(value)) return value.Trim();
            }
            return null;
        }

        private static System.Collections.Generic.IReadOnlyDictionary<string, string[]> HeadersOf(HttpResponseMessage response)
        {
            var headers = new System.Collections.Generic.Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            foreach (System.Collections.Generic.KeyValuePair<string, System.Collections.Generic.IEnumerable<string>> header in response.Headers)
                headers[header.Key] = System.Linq.Enumerable.ToArray(header.Value);
            foreach (System.Collections.Generic.KeyValuePair<string, System.Collections.Generic.IEnumerable<string>> header in response.Content.Headers)
                headers[header.Key] = System.Linq.Enumerable.ToArray(header.Value);
            return headers;
        }

        /// <summary>What Debug must not show of an answer: the token, and a caller's header values (an API key, say) echoed in it.</summary>
        private static System.Collections.Generic.IEnumerable<string?> SecretsOf(ApiRequest request, TokenLease? token)
        {
            yield return token?.Value;
            if (request.Headers == null) yield break;
            foreach (System.Collections.Generic.KeyValuePair<string, string> header in request.Headers) yield return header.Value;
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

        internal static string Innermost(Exception exception)
        {
            Exception current = exception;
            while (current.InnerException != null) current = current.InnerException;
            return current.Message.TrimEnd('.');
        }

        public void Dispose() => _http.Dispose();
    }
}
