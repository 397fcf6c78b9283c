using System;
using System.Net;
using System.Net.Http;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// The session's authenticated pipeline: a <see cref="RequestSender"/> (attempt, retry policy, rate limiter) with the
    /// session's token manager for requests that use its token. Built one way: the sender first, then the token manager
    /// on the sender, then this on both; nothing points back. A call operation that may have reached the API is never sent again.
    /// </summary>
    internal sealed class HttpPipeline : IDisposable
    {
        /// <summary>
        /// .NET Framework's handler allows 2 connections per host unless told otherwise, and queues the rest: well above
        /// the largest -ThrottleLimit (64), since several runspaces may share one session.
        /// </summary>
        internal const int NetFrameworkConnectionsPerServer = 256;

        private readonly RequestSender _sender;

        internal HttpPipeline(RequestSender sender, TokenManager tokens)
        {
            _sender = sender;
            Tokens = tokens;
        }

        internal Uri BaseUri => _sender.BaseUri;
        internal TokenManager Tokens { get; }
        internal int MaxRetries => _sender.MaxRetries;
        /// <summary>The session's secrets: every error, trace note and debug line this pipeline lets out passes through them.</summary>
        internal SessionSecrets Secrets => _sender.Secrets;

        internal static HttpClientHandler CreateHandler(AcefoneSessionOptions options) => CreateHandler(options, RuntimeFacts.IsNetFramework);

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


        private static SslProtocols Tls13IfKnown()
        {
            const int tls13 = 12288;
            return Enum.IsDefined(typeof(SslProtocols), tls13) && Environment.OSVersion.Version.Build >= 20348 ? (SslProtocols)tls13 : SslProtocols.None;
        }

        internal Task<ApiResponse> SendAsync(ApiRequest request, IAcefoneRequestObserver? observer, CancellationToken cancellationToken) =>
            _sender.SendAsync(request, Tokens, observer, cancellationToken);

        public void Dispose() => _sender.Dispose();
    }
}
