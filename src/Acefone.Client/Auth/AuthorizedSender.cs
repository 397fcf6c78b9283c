using System;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// A <see cref="RequestSender"/> (transport, retry policy, rate limiter) with the session's token manager, for requests
    /// that use the session's token. (Was HttpPipeline: it is a sender plus tokens, not a pipeline of its own.) Built one way: the sender first, then the token manager
    /// on the sender, then this on both; nothing points back. A call operation that may have reached the API is never sent again.
    /// </summary>
    internal sealed class AuthorizedSender : IDisposable
    {
        private readonly RequestSender _sender;

        internal AuthorizedSender(RequestSender sender, TokenManager tokens)
        {
            _sender = sender;
            Tokens = tokens;
        }

        internal Uri BaseUri => _sender.BaseUri;
        internal TokenManager Tokens { get; }
        internal int MaxRetries => _sender.MaxRetries;
        /// <summary>The session's secrets: every error, trace note and debug line this sender lets out passes through them.</summary>
        internal SessionSecrets Secrets => _sender.Secrets;

        internal Task<ApiResponse> SendAsync(ApiRequest request, IAcefoneRequestObserver? observer, CancellationToken cancellationToken) =>
            _sender.SendAsync(request, Tokens, observer, cancellationToken);

        public void Dispose() => _sender.Dispose();
    }
}
