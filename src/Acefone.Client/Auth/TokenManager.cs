using System;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// Holds the session's token. One renewal (login or refresh) at a time however many requests are in flight
    /// (repeated logins can lock an account), and every request that needs it waits for that one and shares its
    /// outcome; refreshes before expiry; on a refused refresh, logs in again with the kept credential. A login the
    /// API refuses ends the session's renewals for good (never a second try with the same credential); a throttled
    /// one is not tried again before the API's time.
    /// </summary>
    internal sealed class TokenManager : ISessionTokens, IDisposable
    {
        private static readonly TimeSpan MaxRefreshMargin = TimeSpan.FromMinutes(5);
        // Longer than any token a console issues; beyond it expires_in is nonsense and the expiry is unknown.
        private static readonly long MaxLifetimeSeconds = (long)TimeSpan.FromDays(36600).TotalSeconds;
        // A throttled login that named no time waits this long before the session tries again.
        private static readonly TimeSpan ThrottledWithoutTime = TimeSpan.FromSeconds(30);

        private readonly AcefoneCredential _credential;
        // Its own sender, which knows nothing of tokens: login, refresh and logout never come back here.
        private readonly RequestSender _sender;
        private readonly AcefoneRegion? _region;
        private readonly Func<DateTimeOffset> _clock;
        private readonly object _lock = new object();
        private TokenLease? _current;
        private Task<TokenLease>? _renewal;
        private AcefoneException? _failure;
        private DateTimeOffset? _failureUntil;
        private int _logins;
        private int _refreshes;

        internal TokenManager(AcefoneCredential credential, RequestSender sender, AcefoneRegion? region, Func<DateTimeOffset> clock)
        {
            _credential = credential;
            _sender = sender;
            _region = region;
            _clock = clock;
            if (credential is AccessTokenCredential access)
            {
                string token = NormalizeAccessToken(AcefoneCredential.Reveal(access.Token));
                sender.Secrets.AddToken(token);
                _current = new TokenLease(token, clock(), ReadJwtExpiry(token));
            }
            else if (credential is LoginCredential login)
            {
                sender.Secrets.SetPassword(AcefoneCredential.Reveal(login.Password));
            }
        }

        public bool CanRenew => _credential is LoginCredential;

        Task<TokenLease> ISessionTokens.GetAsync(IAcefoneRequestObserver? observer, CancellationToken cancellationToken) => GetAsync(observer, cancellationToken);

        Task ISessionTokens.RenewAfterUnauthorizedAsync(TokenLease used, IAcefoneRequestObserver? observer, CancellationToken cancellationToken) =>
            RenewAfterUnauthorizedAsync(used, observer, cancellationToken);

        internal DateTimeOffset? ExpiresAt => Volatile.Read(ref _current)?.ExpiresAt;
        internal bool HasToken => Volatile.Read(ref _current) != null;
        internal int Logins => Volatile.Read(ref _logins);
        internal int Refreshes => Volatile.Read(ref _refreshes);

        /// <summary>
        /// A pasted console token as it goes in the header: trimmed, without a pasted "Bearer " in front, and refused
        /// (InvalidInput, naming the position, never the token) when it holds anything but printable ASCII.
        /// </summary>
        internal static string NormalizeAccessToken(string raw)
        {
            string token = raw.Trim();
            if (token.Length > 7 && token.StartsWith("Bearer", StringComparison.OrdinalIgnoreCase) && char.IsWhiteSpace(token[6]))
                token = token.Substring(7).TrimStart();
            int bad = TokenText.FindNonHeaderCharacter(token);
            if (token.Length == 0 || bad >= 0)
                throw new AcefoneException(AcefoneErrorKind.InvalidInput, token.Length == 0
                    ? "The access token is empty. Nothing was sent."
                    : $"The access token has {TokenText.DescribeCharacter(token[bad])} at position {bad + 1} of {token.Length}: a token is printable ASCII only, so it cannot go in a request header. Copy it again from API Connect without it. Nothing was sent.");
            return token;
        }

        internal async Task<TokenLease> GetAsync(IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            TokenLease? current = Volatile.Read(ref _current);
            if (current != null && !NeedsRefresh(current) && Volatile.Read(ref _renewal) == null && Volatile.Read(ref _failure) == null) return current;
            Task<TokenLease> renewal;
            lock (_lock)
            {
                ThrowIfFailed();
                if (_renewal != null && _renewal.IsCompleted) _renewal = null;
                current = _current;
                if (_renewal == null)
                {
                    if (current != null && !NeedsRefresh(current)) return current;
                    _renewal = StartRenewal(current, observer);
                }
                renewal = _renewal;
            }
            return await AwaitShared(renewal, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>After a 401 on <paramref name="used"/>: renew it (or wait for the renewal under way), unless another request already has.</summary>
        internal async Task RenewAfterUnauthorizedAsync(TokenLease used, IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            Task<TokenLease> renewal;
            lock (_lock)
            {
                ThrowIfFailed();
                if (_renewal != null && _renewal.IsCompleted) _renewal = null;
                if (_renewal == null)
                {
                    if (!ReferenceEquals(_current, used)) return;
                    _renewal = StartRenewal(used, observer);
                }
                renewal = _renewal;
            }
            await AwaitShared(renewal, cancellationToken).ConfigureAwait(false);
        }

        private Task<TokenLease> StartRenewal(TokenLease? used, IAcefoneRequestObserver? observer) =>
            // Not tied to the first caller's cancellation: the others wait on it too. The pipeline's timeout bounds it.
            Task.Run(() => RenewAsync(used, observer));

        private async Task<TokenLease> RenewAsync(TokenLease? used, IAcefoneRequestObserver? observer)
        {
            try
            {
                TokenLease next = used == null
                    ? await LoginAsync(observer, CancellationToken.None).ConfigureAwait(false)
                    : await RefreshOrLoginAsync(used, observer, CancellationToken.None).ConfigureAwait(false);
                _sender.Secrets.AddToken(next.Value);
                Volatile.Write(ref _current, next);
                return next;
            }
            catch (AcefoneException ex) when (CanRenew && (ex.Kind == AcefoneErrorKind.AuthenticationFailed || ex.Kind == AcefoneErrorKind.RateLimited))
            {
                AcefoneException shared = _sender.Secrets.Scrub(ex);
                lock (_lock)
                {
                    _failure = shared;
                    _failureUntil = ex.Kind == AcefoneErrorKind.RateLimited ? _clock() + (ex.RetryAfter ?? ThrottledWithoutTime) : (DateTimeOffset?)null;
                }
                throw shared;
            }
        }

        /// <summary>The renewal's own failure, as a copy per waiter, so concurrent rethrows never share one exception object.</summary>
        private static async Task<TokenLease> AwaitShared(Task<TokenLease> renewal, CancellationToken cancellationToken)
        {
            if (cancellationToken.CanBeCanceled && !renewal.IsCompleted)
            {
                var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
                {
                    if (await Task.WhenAny(renewal, cancelled.Task).ConfigureAwait(false) != renewal)
                        throw new OperationCanceledException(cancellationToken);
                }
            }
            try
            {
                return await renewal.ConfigureAwait(false);
            }
            catch (AcefoneException ex)
            {
                throw ex.Copy();
            }
        }

        /// <summary>A refused login stays refused for the session; a throttled one until the time the API gave.</summary>
        private void ThrowIfFailed()
        {
            if (_failure == null) return;
            if (_failureUntil.HasValue && _clock() >= _failureUntil.Value)
            {
                _failure = null;
                _failureUntil = null;
                return;
            }
            throw _failure.Copy();
        }

        /// <summary>Ends a login token on the server. Console tokens are left alone: they belong to the account.</summary>
        internal async Task LogoutAsync(IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            if (!CanRenew) return;
            TokenLease? current = Interlocked.Exchange(ref _current, null);
            if (current == null) return;
            var request = new ApiRequest(HttpMethod.Post, "v1/auth/logout")
            {
                Auth = RequestAuth.Explicit,
                ExplicitToken = current,
                Idempotent = true,
                Subject = "Log out",
            };
            ApiResponse response = await _sender.SendAsync(request, null, observer, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatus)
                throw ResponseErrors.ForStatus(request, response);
        }

        private bool NeedsRefresh(TokenLease lease)
        {
            if (!CanRenew || !lease.ExpiresAt.HasValue) return false;
            TimeSpan lifetime = lease.ExpiresAt.Value - lease.IssuedAt;
            TimeSpan margin = TimeSpan.FromTicks(Math.Min(MaxRefreshMargin.Ticks, Math.Max(0, lifetime.Ticks / 10)));
            return _clock() >= lease.ExpiresAt.Value - margin;
        }

        private async Task<TokenLease> RefreshOrLoginAsync(TokenLease current, IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            try
            {
                return await RefreshAsync(current, observer, cancellationToken).ConfigureAwait(false);
            }
            catch (AcefoneException ex) when (ex.Kind != AcefoneErrorKind.NetworkError)
            {
                observer?.OnDebug($"Token refresh failed ({ex.Kind}); logging in again with the kept credential.");
                return await LoginAsync(observer, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<TokenLease> RefreshAsync(TokenLease current, IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            var request = new ApiRequest(HttpMethod.Post, "v1/auth/refresh")
            {
                Auth = RequestAuth.Explicit,
                ExplicitToken = current,
                Idempotent = true,
                Subject = "Token refresh",
            };
            Interlocked.Increment(ref _refreshes);
            return ReadToken(request, await _sender.SendAsync(request, null, observer, cancellationToken).ConfigureAwait(false));
        }

        private async Task<TokenLease> LoginAsync(IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            var login = (LoginCredential)_credential;
            byte[] body = RequestJson.Login(AcefoneRegions.LoginFieldName(_region), login.LoginId, AcefoneCredential.Reveal(login.Password));
            var request = new ApiRequest(HttpMethod.Post, "v1/auth/login", body)
            {
                Auth = RequestAuth.None,
                // A login that timed out can be sent again: it changes nothing on the server but the count of tokens.
                Idempotent = true,
                Subject = $"Login as '{login.LoginId}'",
                // Throttled logins back off once for the whole session, whatever -MaxRetries says: each retry risks the account.
                RateLimitRetries = Math.Min(1, _sender.MaxRetries),
                ReadsRetryAfterFromBody = true,
            };
            Interlocked.Increment(ref _logins);
            return ReadToken(request, await _sender.SendAsync(request, null, observer, cancellationToken).ConfigureAwait(false));
        }

        private TokenLease ReadToken(ApiRequest request, ApiResponse response)
        {
            if (response.StatusCode == 429 && request.Path == "v1/auth/login")
                throw Throttled(request, response);
            if (!response.IsSuccessStatus && response.StatusCode != 401 && response.StatusCode != 403)
                throw ResponseErrors.ForStatus(request, response);

            string? message = null;
            if (response.Length > 0)
            {
                try
                {
                    using (JsonDocument document = ResponseJson.Parse(response.Body, response.Length))
                    {
                        JsonElement root = document.RootElement;
                        if (root.ValueKind == JsonValueKind.Object)
                        {
                            message = ResponseJson.ReadMessage(root);
                            string? token = ResponseJson.ReadText(root, "access_token");
                            if (response.IsSuccessStatus && ResponseJson.ReadSuccess(root) != false && !string.IsNullOrWhiteSpace(token))
                            {
                                token = token!.Trim();
                                int bad = TokenText.FindNonHeaderCharacter(token);
                                if (bad >= 0)
                                    throw ResponseErrors.Create(request, response, AcefoneErrorKind.InvalidResponse,
                                        $"the API's token has {TokenText.DescribeCharacter(token[bad])} at position {bad + 1}, so it cannot go in a request header.", null, null, RequestReach.AnswerUnreadable);
                                DateTimeOffset now = _clock();
                                return new TokenLease(token, now, ReadExpiry(root, token, now));
                            }
                            long? failures = ResponseJson.ReadInt64(root, "login_failed_count");
                            if (failures.HasValue) message = $"{message} (failed logins so far: {failures.Value})";
                        }
                    }
                }
                catch (AcefoneException) when (!response.IsSuccessStatus)
                {
                    // An unreadable 401 body still means the credential was refused.
                }
            }
            throw _sender.Secrets.Scrub(new AcefoneException(AcefoneErrorKind.AuthenticationFailed,
                $"{request.Subject} failed: {message ?? "the API returned no token"} (HTTP {response.StatusCode}). Check the credential; repeated failures can lock the account." +
                (CanRenew && request.Path == "v1/auth/login" ? " This session will not log in again with it: run Connect-Acefone with the right credential." : string.Empty))
            {
                StatusCode = response.StatusCode,
                ServerMessage = message,
                Attempts = response.Attempts,
                Request = request.Display,
            });
        }

        /// <summary>expires_in when it is a sane number of seconds; else the JWT's exp; else unknown (never an exception).</summary>
        private static DateTimeOffset? ReadExpiry(JsonElement root, string token, DateTimeOffset now)
        {
            long? expiresIn = ResponseJson.ReadInt64(root, "expires_in");
            if (expiresIn.HasValue && expiresIn.Value > 0 && expiresIn.Value <= MaxLifetimeSeconds && now <= DateTimeOffset.MaxValue.AddSeconds(-expiresIn.Value))
                return now.AddSeconds(expiresIn.Value);
            return ReadJwtExpiry(token);
        }

        private AcefoneException Throttled(ApiRequest request, ApiResponse response)
        {
            string? message = ResponseJson.TryReadMessage(response.Body, response.Length);
            string waited = response.Attempts > 1 ? " after the session waited once as the API asked" : string.Empty;
            string asked = response.RetryAfter.HasValue
                ? $" The API asked to wait {RetryAfter.Describe(response.RetryAfter.Value)}" + (response.RetryAfter.Value > RetryAfter.Cap ? $", longer than the {RetryAfter.Describe(RetryAfter.Cap)} this module waits" : string.Empty) + "; this session does not log in again before then."
                : $" This session does not log in again for {RetryAfter.Describe(ThrottledWithoutTime)}.";
            AcefoneException error = ResponseErrors.Create(request, response, AcefoneErrorKind.RateLimited,
                $"the API throttled the login (429){waited}.{asked} Repeated logins can lock the account.", message);
            error.RetryAfter = response.RetryAfter;
            return error;
        }

        /// <summary>Console tokens are JWTs; their exp claim tells when they end, for Get-AcefoneSession to show.</summary>
        internal static DateTimeOffset? ReadJwtExpiry(string token)
        {
            string[] parts = token.Split('.');
            if (parts.Length != 3) return null;
            try
            {
                string payload = parts[1].Replace('-', '+').Replace('_', '/');
                payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
                using (JsonDocument document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))))
                {
                    if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
                    long? exp = ResponseJson.ReadInt64(document.RootElement, "exp");
                    return exp.HasValue ? DateTimeOffset.FromUnixTimeSeconds(exp.Value) : (DateTimeOffset?)null;
                }
            }
            catch (Exception ex) when (ex is FormatException || ex is JsonException || ex is ArgumentException || ex is InvalidOperationException || ex is AcefoneException)
            {
                return null;
            }
        }

        public void Dispose()
        {
        }
    }
}
