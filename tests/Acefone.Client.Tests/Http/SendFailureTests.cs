using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// The decision behind every resend: a failure before the request left this machine may be resent; one after it may
    /// have reached the API is never resent (a transfer or barge must not act twice). Each exception shape that .NET 8+
    /// and .NET Framework really throw, one per row.
    /// </summary>
    public class SendFailureTests
    {
        // Every connect-time socket error: nothing was written to the wire.
        [Theory]
        [InlineData(SocketError.ConnectionRefused)]
        [InlineData(SocketError.HostNotFound)]
        [InlineData(SocketError.HostUnreachable)]
        [InlineData(SocketError.NetworkUnreachable)]
        [InlineData(SocketError.TryAgain)]
        [InlineData(SocketError.NoData)]
        [InlineData(SocketError.AddressNotAvailable)]
        [InlineData(SocketError.AddressFamilyNotSupported)]
        public void A_socket_that_never_connected_is_never_sent(SocketError code)
        {
            Assert.True(SendFailure.RequestNeverLeft(new SocketException((int)code)));
            // As the .NET 8+ handler wraps it when it cannot say more (HttpRequestError Unknown).
            Assert.True(SendFailure.RequestNeverLeft(new HttpRequestException("An error occurred while sending the request.", new SocketException((int)code))));
        }

        // Errors on a connection that was open: the request may have been written, and the API may have acted.
        [Theory]
        [InlineData(SocketError.ConnectionReset)]
        [InlineData(SocketError.ConnectionAborted)]
        [InlineData(SocketError.TimedOut)]
        [InlineData(SocketError.Shutdown)]
        [InlineData(SocketError.NotConnected)]
        [InlineData(SocketError.NetworkReset)]
        [InlineData(SocketError.NetworkDown)]
        [InlineData(SocketError.OperationAborted)]
        [InlineData(SocketError.SocketError)]
        [InlineData(SocketError.Interrupted)]
        [InlineData(SocketError.NoBufferSpaceAvailable)]
        [InlineData(SocketError.MessageSize)]
        public void A_socket_error_on_an_open_connection_may_have_acted(SocketError code)
        {
            Assert.False(SendFailure.RequestNeverLeft(new SocketException((int)code)));
            Assert.False(SendFailure.RequestNeverLeft(new IOException("Unable to read data from the transport connection.", new SocketException((int)code))));
            Assert.False(SendFailure.RequestNeverLeft(new HttpRequestException("An error occurred while sending the request.",
                new IOException("Unable to write data to the transport connection.", new SocketException((int)code)))));
        }

        // .NET 8+ classifies the failure itself (HttpRequestException.HttpRequestError), whatever the inner exception.
        [Theory]
        [InlineData(HttpRequestError.NameResolutionError, true)]
        [InlineData(HttpRequestError.ConnectionError, true)]
        [InlineData(HttpRequestError.SecureConnectionError, true)]
        [InlineData(HttpRequestError.ProxyTunnelError, true)]
        [InlineData(HttpRequestError.ResponseEnded, false)]
        [InlineData(HttpRequestError.InvalidResponse, false)]
        [InlineData(HttpRequestError.HttpProtocolError, false)]
        public void The_handlers_own_classification_decides(HttpRequestError error, bool neverLeft)
        {
            Assert.Equal(neverLeft, SendFailure.RequestNeverLeft(new HttpRequestException(error, "failed")));
            // It outranks what is inside: a connection refused on a retry inside the handler does not make an
            // answer that ended early safe to resend, and a reset inside a failed TLS handshake does not make it unsafe.
            Exception inner = neverLeft ? new SocketException((int)SocketError.ConnectionReset) : new SocketException((int)SocketError.ConnectionRefused);
            Assert.Equal(neverLeft, SendFailure.RequestNeverLeft(new HttpRequestException(error, "failed", inner)));
            // And it is found however deep the wrapping.
            Assert.Equal(neverLeft, SendFailure.RequestNeverLeft(new AggregateException(new InvalidOperationException("wrapper", new HttpRequestException(error, "failed", inner)))));
        }

        // The kinds that say nothing about the wire leave the decision to the exceptions inside.
        [Theory]
        [InlineData(HttpRequestError.Unknown)]
        [InlineData(HttpRequestError.UserAuthenticationError)]
        [InlineData(HttpRequestError.ConfigurationLimitExceeded)]
        [InlineData(HttpRequestError.VersionNegotiationError)]
        [InlineData(HttpRequestError.ExtendedConnectNotSupported)]
        public void An_unclassified_handler_error_looks_inside(HttpRequestError error)
        {
            Assert.False(SendFailure.RequestNeverLeft(new HttpRequestException(error, "failed")));
            Assert.True(SendFailure.RequestNeverLeft(new HttpRequestException(error, "failed", new SocketException((int)SocketError.ConnectionRefused))));
            Assert.False(SendFailure.RequestNeverLeft(new HttpRequestException(error, "failed", new SocketException((int)SocketError.ConnectionReset))));
        }

        // .NET Framework (Windows PowerShell 5.1): HttpClientHandler over HttpWebRequest throws HttpRequestException
        // wrapping a WebException whose Status says how far it got (Microsoft's WebExceptionStatus documentation).
        [Theory]
        [InlineData(WebExceptionStatus.ConnectFailure, true)]
        [InlineData(WebExceptionStatus.NameResolutionFailure, true)]
        [InlineData(WebExceptionStatus.ProxyNameResolutionFailure, true)]
        [InlineData(WebExceptionStatus.TrustFailure, true)]
        [InlineData(WebExceptionStatus.SecureChannelFailure, true)]
        [InlineData(WebExceptionStatus.SendFailure, false)]
        [InlineData(WebExceptionStatus.ReceiveFailure, false)]
        [InlineData(WebExceptionStatus.ConnectionClosed, false)]
        [InlineData(WebExceptionStatus.KeepAliveFailure, false)]
        [InlineData(WebExceptionStatus.PipelineFailure, false)]
        [InlineData(WebExceptionStatus.Timeout, false)]
        [InlineData(WebExceptionStatus.RequestCanceled, false)]
        [InlineData(WebExceptionStatus.ProtocolError, false)]
        [InlineData(WebExceptionStatus.ServerProtocolViolation, false)]
        [InlineData(WebExceptionStatus.MessageLengthLimitExceeded, false)]
        [InlineData(WebExceptionStatus.UnknownError, false)]
        [InlineData(WebExceptionStatus.Pending, false)]
        [InlineData(WebExceptionStatus.Success, false)]
        public void A_framework_web_exception_status_decides(WebExceptionStatus status, bool neverLeft)
        {
            Assert.Equal(neverLeft, SendFailure.RequestNeverLeft(new WebException("failed", status)));
            // The status outranks the socket error inside it, both ways: a Framework ReceiveFailure over a socket that
            // reports a refused reconnect was still written once.
            Exception inner = neverLeft ? new SocketException((int)SocketError.ConnectionReset) : new SocketException((int)SocketError.ConnectionRefused);
            var web = new WebException("failed", new IOException("transport", inner), status, null);
            Assert.Equal(neverLeft, SendFailure.RequestNeverLeft(web));
            Assert.Equal(neverLeft, SendFailure.RequestNeverLeft(new HttpRequestException("An error occurred while sending the request.", web)));
        }

        [Fact]
        public void A_failed_tls_handshake_is_never_sent()
        {
            // The request is written only after the handshake: a certificate refused means nothing reached the API.
            Assert.True(SendFailure.RequestNeverLeft(new AuthenticationException("The remote certificate is invalid.")));
            Assert.True(SendFailure.RequestNeverLeft(new HttpRequestException("The SSL connection could not be established.",
                new AuthenticationException("The remote certificate is invalid.", new IOException("inner")))));
            // An AuthenticationException decides, even around a reset (the handshake is what failed).
            Assert.True(SendFailure.RequestNeverLeft(new AuthenticationException("handshake", new SocketException((int)SocketError.ConnectionReset))));
        }

        [Fact]
        public void Anything_unrecognised_may_have_acted()
        {
            Assert.False(SendFailure.RequestNeverLeft(new IOException("The response ended prematurely.")));
            Assert.False(SendFailure.RequestNeverLeft(new HttpRequestException("An error occurred while sending the request.", new IOException("The response ended prematurely."))));
            Assert.False(SendFailure.RequestNeverLeft(new TaskCanceledException()));
            Assert.False(SendFailure.RequestNeverLeft(new OperationCanceledException()));
            Assert.False(SendFailure.RequestNeverLeft(new InvalidOperationException("odd")));
            Assert.False(SendFailure.RequestNeverLeft(new HttpRequestException("no inner")));
            Assert.False(SendFailure.RequestNeverLeft(new ObjectDisposedException("HttpClient")));
        }

        [Fact]
        public void The_decision_is_found_however_deep()
        {
            Exception refused = new SocketException((int)SocketError.ConnectionRefused);
            Exception wrapped = new HttpRequestException("outer", new IOException("middle", new InvalidOperationException("deeper", refused)));
            Assert.True(SendFailure.RequestNeverLeft(wrapped));
            Exception reset = new SocketException((int)SocketError.ConnectionReset);
            Assert.False(SendFailure.RequestNeverLeft(new HttpRequestException("outer", new IOException("middle", new InvalidOperationException("deeper", reset)))));
        }

        [Fact]
        public void A_407_to_the_tunnel_needs_credentials_not_a_resend()
        {
            // .NET 5+: HttpRequestException.StatusCode.
            Assert.True(SendFailure.IsProxyAuthenticationRequired(new HttpRequestException("proxy", null, HttpStatusCode.ProxyAuthenticationRequired)));
            Assert.True(SendFailure.IsProxyAuthenticationRequired(new AggregateException(new HttpRequestException("proxy", null, HttpStatusCode.ProxyAuthenticationRequired))));
            // .NET 8+: a tunnel error whose message carries the status.
            Assert.True(SendFailure.IsProxyAuthenticationRequired(new HttpRequestException(HttpRequestError.ProxyTunnelError,
                "The proxy tunnel request to proxy 'http://127.0.0.1:3128/' failed with status code '407'.")));
            Assert.True(SendFailure.IsProxyAuthenticationRequired(new InvalidOperationException("outer", new HttpRequestException(HttpRequestError.ProxyTunnelError,
                "The proxy tunnel request to proxy 'http://127.0.0.1:3128/' failed with status code '407'."))));
            // A proxy's own status line, with the code first.
            Assert.True(SendFailure.IsProxyAuthenticationRequired(new HttpRequestException(HttpRequestError.ProxyTunnelError, "407 Proxy Authentication Required")));
        }

        [Fact]
        public void Other_failures_are_not_a_proxy_refusal()
        {
            Assert.False(SendFailure.IsProxyAuthenticationRequired(new HttpRequestException("proxy", null, HttpStatusCode.Unauthorized)));
            Assert.False(SendFailure.IsProxyAuthenticationRequired(new HttpRequestException("proxy", null, HttpStatusCode.Forbidden)));
            Assert.False(SendFailure.IsProxyAuthenticationRequired(new HttpRequestException("no status")));
            // A tunnel failure for another reason (502 from the proxy) is a network failure, not a credential one.
            Assert.False(SendFailure.IsProxyAuthenticationRequired(new HttpRequestException(HttpRequestError.ProxyTunnelError,
                "The proxy tunnel request to proxy 'http://127.0.0.1:3128/' failed with status code '502'.")));
            // "407" in a message of another kind is not the proxy's status.
            Assert.False(SendFailure.IsProxyAuthenticationRequired(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:407)")));
            Assert.False(SendFailure.IsProxyAuthenticationRequired(new IOException("407")));
            Assert.False(SendFailure.IsProxyAuthenticationRequired(new SocketException((int)SocketError.ConnectionRefused)));
            // A StatusCode property of another type is not an HTTP status.
            Assert.False(SendFailure.IsProxyAuthenticationRequired(new IntStatusException(407)));
        }

        [Fact]
        public void A_framework_407_comes_as_a_web_exception_with_the_proxys_response()
        {
            Assert.True(SendFailure.IsProxyAuthenticationRequired(new WebException("(407) Proxy Authentication Required.", null, WebExceptionStatus.ProtocolError,
                StubWebResponse(HttpStatusCode.ProxyAuthenticationRequired))));
            Assert.True(SendFailure.IsProxyAuthenticationRequired(new HttpRequestException("An error occurred while sending the request.",
                new WebException("(407) Proxy Authentication Required.", null, WebExceptionStatus.ProtocolError, StubWebResponse(HttpStatusCode.ProxyAuthenticationRequired)))));
            Assert.False(SendFailure.IsProxyAuthenticationRequired(new WebException("(502) Bad Gateway.", null, WebExceptionStatus.ProtocolError,
                StubWebResponse(HttpStatusCode.BadGateway))));
            Assert.False(SendFailure.IsProxyAuthenticationRequired(new WebException("failed", WebExceptionStatus.ConnectFailure)));
            // Later in the chain still counts.
            Assert.True(SendFailure.IsProxyAuthenticationRequired(new HttpRequestException("outer",
                new IOException("middle", new WebException("(407)", null, WebExceptionStatus.ProtocolError, StubWebResponse(HttpStatusCode.ProxyAuthenticationRequired))))));
        }

        private sealed class IntStatusException : Exception
        {
            internal IntStatusException(int status) : base("custom") => StatusCode = status;
            public int StatusCode { get; }
        }

// What .NET Framework hands back with a ProtocolError. Its public constructor is obsolete as an error on .NET Core,
        // so the one the handler uses (HttpResponseMessage, Uri, CookieContainer) is called by reflection.
        private static HttpWebResponse StubWebResponse(HttpStatusCode status) =>
            (HttpWebResponse)Activator.CreateInstance(typeof(HttpWebResponse), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance, null,
                new object?[] { new HttpResponseMessage(status), new Uri("http://127.0.0.1/"), null }, null)!;
    }
}
