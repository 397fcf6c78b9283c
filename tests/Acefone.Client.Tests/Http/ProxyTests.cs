using System;
using System.Linq;
using System.Net;
using System.Security;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>The proxy settings reach the handler, and a proxy that wants credentials gives one clear, unretried error.</summary>
    public class ProxyTests
    {
        private static SecureString Secret(string text)
        {
            var secret = new SecureString();
            foreach (char c in text) secret.AppendChar(c);
            return secret;
        }

        private static AcefoneSession SessionVia(Uri baseUri, Uri proxy, NetworkCredential? proxyCredential = null) =>
            AcefoneSession.Create(
                new AcefoneSessionOptions { BaseUri = baseUri, Proxy = proxy, ProxyCredential = proxyCredential, MaxRetries = 3, RetryBaseDelay = TimeSpan.FromMilliseconds(1) },
                AcefoneCredential.FromAccessToken(Secret("token-for-proxy-tests")));

        private static CallOptionRequest Monitor() => CallOptionRequest.Create(CallOperation.Monitor, "1714657799.1", "0502842370001");

        [Fact]
        public async Task A_407_to_a_plain_http_request_is_ProxyAuthenticationRequired_and_not_resent()
        {
            using var proxy = new FakeProxy(_ => FakeProxy.Challenge);
            using AcefoneSession session = SessionVia(new Uri("http://127.0.0.1:9/"), proxy.Uri);

            var error = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Monitor()));

            Assert.Equal(AcefoneErrorKind.ProxyAuthenticationRequired, error.Kind);
            Assert.Equal(407, error.StatusCode);
            Assert.Contains("-ProxyCredential", error.Message);
            string head = Assert.Single(proxy.Requests);
            // The request went to the proxy in absolute form: the proxy was used, not a direct connection.
            Assert.StartsWith("POST http://127.0.0.1:9/v1/call/options HTTP/1.1", head);
        }

        [Fact]
        public async Task A_407_to_the_CONNECT_of_an_https_tunnel_is_ProxyAuthenticationRequired_and_not_resent()
        {
            using var proxy = new FakeProxy(_ => FakeProxy.Challenge);
            using AcefoneSession session = SessionVia(new Uri("https://127.0.0.1:9/"), proxy.Uri);

            var error = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Monitor()));

            Assert.Equal(AcefoneErrorKind.ProxyAuthenticationRequired, error.Kind);
            Assert.Equal(1, error.Attempts);
            string head = Assert.Single(proxy.Requests);
            Assert.StartsWith("CONNECT 127.0.0.1:9 HTTP/1.1", head);
        }

        [Fact]
        public async Task The_proxy_credential_answers_the_challenge_and_never_appears_in_the_session()
        {
            string expected = "Proxy-Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("corp\\svc-acefone:Pr0xy!Secret"));
            using var proxy = new FakeProxy(head => head.Split(new[] { "\r\n" }, StringSplitOptions.None).Contains(expected)
                ? FakeProxy.Json("{\"success\":true,\"message\":\"Monitor request initiated\"}")
                : FakeProxy.Challenge);
            using AcefoneSession session = SessionVia(new Uri("http://127.0.0.1:9/"), proxy.Uri, new NetworkCredential("corp\\svc-acefone", "Pr0xy!Secret"));

            CallOptionResult result = await session.InvokeCallOptionAsync(Monitor());

            Assert.True(result.Success);
            Assert.Equal(2, proxy.Requests.Count);
            Assert.Equal(proxy.Uri, session.Proxy);
            Assert.DoesNotContain("Pr0xy!Secret", session.ToString());
        }

        [Fact]
        public void Without_a_proxy_the_handler_uses_the_system_proxy()
        {
            using var handler = HttpHandlerFactory.CreateHandler(new AcefoneSessionOptions());
            Assert.True(handler.UseProxy);
            Assert.Null(handler.Proxy);
        }

        [Fact]
        public void A_given_proxy_keeps_its_credentials_on_the_handler_only()
        {
            var credential = new NetworkCredential("svc", "pw");
            using var handler = HttpHandlerFactory.CreateHandler(new AcefoneSessionOptions { Proxy = new Uri("http://127.0.0.1:3128/"), ProxyCredential = credential });
            var proxy = Assert.IsType<WebProxy>(handler.Proxy);
            Assert.Equal(new Uri("http://127.0.0.1:3128/"), proxy.Address);
            Assert.Same(credential, proxy.Credentials);
            Assert.False(proxy.UseDefaultCredentials);
        }
    }
}
