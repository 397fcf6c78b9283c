using System;
using System.Net;
using System.Net.Http;
using System.Security.Authentication;

namespace Acefone.Client
{
    /// <summary>
    /// Builds the session's one HttpClientHandler: never follows a redirect (it would carry the token), the proxy and its
    /// credentials, and on .NET Framework TLS 1.2+ and a connection limit above the largest -ThrottleLimit.
    /// </summary>
    internal static class HttpHandlerFactory
    {
        /// <summary>
        /// .NET Framework's handler allows 2 connections per host unless told otherwise, and queues the rest: well above
        /// the largest -ThrottleLimit (64), since several runspaces may share one session.
        /// </summary>
        internal const int NetFrameworkConnectionsPerServer = 256;

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
    }
}
