using System;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>The requests the token manager sends: login, refresh and logout, each through its own sender.</summary>
    internal sealed partial class TokenManager
    {
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

        private async Task<TokenLease> RefreshAsync(TokenLease current, IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            var request = new ApiRequest(HttpMethod.Post, "v1/auth/refresh")
            {
                Auth = RequestAuth.Explicit,
                ExplicitToken = current,
                Idempotent = true,
                // As a login: a refresh that does not answer is waited for twice at most, whatever -MaxRetries says.
                AmbiguousRetries = LoginTimeoutRetries,
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
                // A login that does not answer is tried once more, not -MaxRetries times: at a prompt or in a runbook
                // the whole connect then ends within about twice -TimeoutSec.
                AmbiguousRetries = LoginTimeoutRetries,
                ReadsRetryAfterFromBody = true,
            };
            Interlocked.Increment(ref _logins);
            return ReadToken(request, await _sender.SendAsync(request, null, observer, cancellationToken).ConfigureAwait(false));
        }
    }
}
