using System;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>A token in use. Compared by reference: a 401 renews only if nobody has renewed the token it was sent with.</summary>
    internal sealed class TokenLease
    {
        internal TokenLease(string value, DateTimeOffset issuedAt, DateTimeOffset? expiresAt)
        {
            Value = value;
            IssuedAt = issuedAt;
            ExpiresAt = expiresAt;
        }

        internal string Value { get; }
        internal DateTimeOffset IssuedAt { get; }
        internal DateTimeOffset? ExpiresAt { get; }

        public override string ToString() => "token (hidden)";
    }

    /// <summary>
    /// Holds the session's token. One login or refresh at a time however many requests are in flight
    /// (repeated logins can lock an account); refreshes before expiry; on a refused refresh, logs in
    /// again with the kept credential.
    /// </summary>
    internal sealed class TokenManager : IDisposable
    {
        private static readonly TimeSpan MaxRefreshMargin = TimeSpan.FromMinutes(5);

        private readonly AcefoneCredential _credential;
        private readonly HttpPipeline _pipeline;
        private readonly AcefoneRegion? _region;
        private readonly Func<DateTimeOffset> _clock;
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private TokenLease? _current;

        internal TokenManager(AcefoneCredential credential, HttpPipeline pipeline, AcefoneRegion? region, Func<DateTimeOffset> clock)
        {
            _credential = credential;
            _pipeline = pipeline;
            _region = region;
            _clock = clock;
            if (credential is AccessTokenCredential access)
            {
                string token = AcefoneCredential.Reveal(access.Token).Trim();
                _current = new TokenLease(token, clock(), ReadJwtExpiry(token));
            }
        }

        internal bool CanRenew => _credential is LoginCredential;
        internal DateTimeOffset? ExpiresAt => Volatile.Read(ref _current)?.ExpiresAt;
        internal bool HasToken => Volatile.Read(ref _current) != null;
        internal int Logins { get; private set; }
        internal int Refreshes { get; private set; }

        internal async Task<TokenLease> GetAsync(IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            TokenLease? current = Volatile.Read(ref _current);
            if (current != null && !NeedsRefresh(current)) return current;
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                current = _current;
                if (current != null && !NeedsRefresh(current)) return current;
                TokenLease next = current == null
                    ? await LoginAsync(observer, cancellationToken).ConfigureAwait(false)
                    : await RefreshOrLoginAsync(current, observer, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _current, next);
                return next;
            }
            finally
            {
                _gate.Release();
            }
        }

        /// <summary>After a 401 on <paramref name="used"/>: renew it, unless another request already has.</summary>
        internal async Task RenewAfterUnauthorizedAsync(TokenLease used, IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!ReferenceEquals(_current, used)) return;
                Volatile.Write(ref _current, await RefreshOrLoginAsync(used, observer, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                _gate.Release();
            }
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
            ApiResponse response = await _pipeline.SendAsync(request, observer, cancellationToken).ConfigureAwait(false);
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
            if (!CanRenew)
                throw new AcefoneException(AcefoneErrorKind.AuthenticationFailed,
                    "The API refused the access token (401). A console token cannot be renewed by the client: issue a new one in API Connect and connect again.");
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
            Refreshes++;
            return ReadToken(request, await _pipeline.SendAsync(request, observer, cancellationToken).ConfigureAwait(false));
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
            };
            Logins++;
            return ReadToken(request, await _pipeline.SendAsync(request, observer, cancellationToken).ConfigureAwait(false));
        }

        private TokenLease ReadToken(ApiRequest request, ApiResponse response)
        {
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
                                long? expiresIn = ResponseJson.ReadInt64(root, "expires_in");
                                DateTimeOffset now = _clock();
                                return new TokenLease(token!, now, expiresIn.HasValue && expiresIn.Value > 0 ? now.AddSeconds(expiresIn.Value) : ReadJwtExpiry(token!));
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
            throw new AcefoneException(AcefoneErrorKind.AuthenticationFailed,
                $"{request.Subject} failed: {message ?? "the API returned no token"} (HTTP {response.StatusCode}). Check the credential; repeated failures can lock the account.")
            {
                StatusCode = response.StatusCode,
                ServerMessage = message,
                Attempts = response.Attempts,
                Request = request.Display,
            };
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
            catch (Exception ex) when (ex is FormatException || ex is JsonException || ex is ArgumentException)
            {
                return null;
            }
        }

        public void Dispose() => _gate.Dispose();
    }
}
