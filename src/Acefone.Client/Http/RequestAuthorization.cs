using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// A request's side of auth: which token it goes with, how the token goes in the header, and whether a 401 may
    /// renew it. The sender asks this; the token manager behind <see cref="ISessionTokens"/> sends its own requests
    /// (login, refresh, logout) with none or an explicit token, so nothing comes back to it.
    /// </summary>
    internal static class RequestAuthorization
    {
        /// <summary>The session's token (waiting out a renewal), the request's own, or none.</summary>
        internal static async Task<TokenLease?> TokenForAsync(ApiRequest request, ISessionTokens? tokens, IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            switch (request.Auth)
            {
                case RequestAuth.Session:
                    // Stryker disable once String : message wording (a bug's text, never shown to a user)
                    if (tokens == null) throw new System.InvalidOperationException("The session has no token manager.");
                    // Stryker disable once Boolean : ConfigureAwait(true) differs only under a synchronization context, which no test and no cmdlet thread has
                    return await tokens.GetAsync(observer, cancellationToken).ConfigureAwait(false);
                case RequestAuth.Explicit:
                    return request.ExplicitToken;
                default:
                    return null;
            }
        }

        /// <summary>A 401 renews once per request, only the session's token, and only one the token manager can renew.</summary>
        internal static bool MayRenewAfterUnauthorized(ApiRequest request, bool renewed, ISessionTokens? tokens, TokenLease? token) =>
            request.Auth == RequestAuth.Session && !renewed && tokens != null && tokens.CanRenew && token != null;

        /// <summary>
        /// Puts the token in the Authorization header, with the Bearer scheme or as it is. A token with a character a
        /// header cannot carry is refused (AuthenticationFailed, naming the position, never the token): nothing is sent.
        /// </summary>
        internal static void Apply(HttpRequestMessage message, TokenLease token, AcefoneAuthScheme scheme)
        {
            int bad = TokenText.FindNonHeaderCharacter(token.Value);
            if (bad >= 0)
                throw new AcefoneException(AcefoneErrorKind.AuthenticationFailed,
                    $"the token has {TokenText.DescribeCharacter(token.Value[bad])} at position {bad + 1}, which cannot go in a request header; nothing was sent.");
            if (scheme == AcefoneAuthScheme.Bearer)
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
            else
                message.Headers.TryAddWithoutValidation("Authorization", token.Value);
        }
    }
}
