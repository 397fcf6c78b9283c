using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>Where a request that uses the session's token gets it, and renews it after a 401 (the token manager).</summary>
    internal interface ISessionTokens
    {
        bool CanRenew { get; }
        Task<TokenLease> GetAsync(IAcefoneRequestObserver? observer, CancellationToken cancellationToken);
        Task RenewAfterUnauthorizedAsync(TokenLease used, IAcefoneRequestObserver? observer, CancellationToken cancellationToken);
    }
}
