using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// A connection to one Acefone account: base URI, auth, token lifetime and rate limiter, with one pooled
    /// HttpClient. Safe to share between threads and runspaces. Its public surface holds nothing secret, so
    /// displaying, serialising or exporting it never shows the token.
    /// </summary>
    public sealed partial class AcefoneSession : IDisposable
    {
        private readonly AcefoneSessionOptions _options;
        private readonly AuthorizedSender _pipeline;
        private readonly TokenManager _tokens;
        private readonly AdaptiveRateLimiter _limiter;
        private int _disposed;

        private AcefoneSession(AcefoneSessionOptions options, AcefoneCredential credential, HttpMessageHandler? handler, Func<DateTimeOffset>? clock)
        {
            _options = options.Clone();
            if (_options.MaxRetries < 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxRetries cannot be negative.");
            if (_options.Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "Timeout must be positive.");
            Uri baseUri = _options.ResolveBaseUri();
            TransportPolicy.EnsureAllowed(baseUri);
            _limiter = new AdaptiveRateLimiter(_options.MaxRequestsPerSecond);
            // One way: the sender, the token manager on it, the pipeline on both.
            var sender = new RequestSender(_options, _limiter, handler);
            try
            {
                _tokens = new TokenManager(credential, sender, _options.Region, clock == null ? TimeProvider.System : new FuncTimeProvider(clock));
            }
            catch
            {
                // A token refused at connect leaves nothing open behind it.
                sender.Dispose();
                _limiter.Dispose();
                throw;
            }
            _pipeline = new AuthorizedSender(sender, _tokens);
            AuthKind = credential.Kind;
            LoginId = (credential as LoginCredential)?.LoginId;
            CreatedAt = DateTimeOffset.UtcNow;
        }

        /// <summary>Creates a session. No I/O happens here: a login session logs in at <see cref="ConnectAsync"/> or its first request.</summary>
        public static AcefoneSession Create(AcefoneSessionOptions options, AcefoneCredential credential)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (credential == null) throw new ArgumentNullException(nameof(credential));
            return new AcefoneSession(options, credential, null, null);
        }

        /// <summary>For tests: a custom handler and clock.</summary>
        internal static AcefoneSession CreateForTest(AcefoneSessionOptions options, AcefoneCredential credential, HttpMessageHandler? handler, Func<DateTimeOffset>? clock) =>
            new AcefoneSession(options, credential, handler, clock);

        public Guid Id { get; } = Guid.NewGuid();
        /// <summary>The region, or null when a base URI was given instead.</summary>
        public AcefoneRegion? Region => _options.BaseUri == null ? _options.Region : (AcefoneRegion?)null;
        public Uri BaseUri => _pipeline.BaseUri;
        public AcefoneAuthKind AuthKind { get; }
        public AcefoneAuthScheme AuthScheme => _options.AuthScheme;
        /// <summary>The login id or email of a login session (not secret); null for a console token.</summary>
        public string? LoginId { get; }
        /// <summary>When the current token expires, if known. Login sessions renew it before then.</summary>
        public DateTimeOffset? TokenExpiresAt => _tokens.ExpiresAt;
        /// <summary>The ceiling given at connect, or null when the limiter adapts to the account by itself.</summary>
        public double? MaxRequestsPerSecond => _limiter.Ceiling;
        /// <summary>The rate requests are paced at now; null while nothing has limited them.</summary>
        public double? CurrentRequestsPerSecond => _limiter.CurrentRate;
        public int MaxRetries => _options.MaxRetries;
        public TimeSpan Timeout => _options.Timeout;
        public Uri? Proxy => _options.Proxy;
        public DateTimeOffset CreatedAt { get; }
        public bool IsClosed => Volatile.Read(ref _disposed) != 0;

        internal TokenManager Tokens => _tokens;

        /// <summary>Makes sure the session holds a token: a login session logs in now, so a bad credential fails at connect.</summary>
        public async Task ConnectAsync(IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default)
        {
            ThrowIfClosed();
            try
            {
                await _tokens.GetAsync(RedactingObserver.Wrap(observer, _pipeline.Secrets), cancellationToken).ConfigureAwait(false);
            }
            catch (AcefoneException ex)
            {
                AcefoneException scrubbed = _pipeline.Secrets.Scrub(ex);
                if (ReferenceEquals(scrubbed, ex)) throw;
                throw scrubbed;
            }
        }

        /// <summary>Ends a login token on the server; a console token is left alone.</summary>
        public Task LogoutAsync(IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default)
        {
            ThrowIfClosed();
            return _tokens.LogoutAsync(observer, cancellationToken);
        }

        /// <summary>Reads a {success, message} answer: a 2xx with success true, or the matching error.</summary>
        internal static StatusEnvelope ReadEnvelope(ApiRequest request, ApiResponse response)
        {
            if (!response.IsSuccessStatus) throw ResponseErrors.ForStatus(request, response);
            StatusEnvelope envelope;
            try
            {
                envelope = ResponseJson.ReadStatus(response.Body, response.Length);
            }
            catch (AcefoneException ex)
            {
                // The request reached the API and was answered, but not readably: for a state-changing request that
                // leaves the outcome open. InvalidResponse, with MayHaveActed saying so (about_Acefone_Errors).
                throw ResponseErrors.Create(request, response, AcefoneErrorKind.InvalidResponse,
                    ex.Message + (request.Idempotent ? string.Empty : " The API may have acted on the request; it was not resent."), null, ex, RequestReach.AnswerUnreadable);
            }
            if (envelope.Success == false)
                throw ResponseErrors.Create(request, response, AcefoneErrorKind.Rejected, "the API refused the operation (success: false).", envelope.Message);
            if (envelope.Success == null)
            {
                throw ResponseErrors.Create(request, response, AcefoneErrorKind.InvalidResponse,
                    "the answer has no readable 'success' field, so the outcome is unknown." + (request.Idempotent ? string.Empty : " The API may have acted on the request; it was not resent."),
                    envelope.Message, null, RequestReach.AnswerUnreadable);
            }
            return envelope;
        }

        /// <summary>Sends a GET and hands the parsed JSON to <paramref name="read"/> (used by the read-side cmdlets).</summary>
        internal async Task<T> GetJsonAsync<T>(string path, string? query, string subject, Func<JsonElement, T> read, IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            ThrowIfClosed();
            var request = new ApiRequest(HttpMethod.Get, path, null, query) { Subject = subject, MaxResponseBytes = ResponseCaps.Listing };
            ApiResponse response = await _pipeline.SendAsync(request, observer, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatus) throw ResponseErrors.ForStatus(request, response);
            try
            {
                using (JsonDocument document = ResponseJson.Parse(response.Body, response.Length))
                {
                    return read(document.RootElement);
                }
            }
            catch (AcefoneException ex) when (ex.Request == null)
            {
                throw ResponseErrors.Create(request, response, ex.Kind, ex.Message, ex.ServerMessage, ex);
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is FormatException || ex is KeyNotFoundException)
            {
                throw ResponseErrors.Create(request, response, AcefoneErrorKind.InvalidResponse, $"the answer does not have the expected shape ({ex.Message}).", null, ex, RequestReach.AnswerUnreadable);
            }
        }

        /// <summary>Sends a POST with a JSON body and expects {success, message}.</summary>
        internal async Task<(ApiResponse Response, StatusEnvelope Envelope)> PostForStatusAsync(ApiRequest request, IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            ThrowIfClosed();
            ApiResponse response = await _pipeline.SendAsync(request, observer, cancellationToken).ConfigureAwait(false);
            return (response, ReadEnvelope(request, response));
        }

        private void ThrowIfClosed()
        {
            if (IsClosed) throw new ObjectDisposedException(nameof(AcefoneSession), "This Acefone session was disconnected. Run Connect-Acefone again.");
        }

        public override string ToString() =>
            $"Acefone session {BaseUri.GetLeftPart(UriPartial.Authority)} ({AuthKind}{(LoginId != null ? " as " + LoginId : string.Empty)})";

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            _pipeline.Dispose();
            _limiter.Dispose();
            _tokens.Dispose();
        }
    }
}
