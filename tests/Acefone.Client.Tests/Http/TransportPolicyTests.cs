using System;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    public class TransportPolicyTests
    {
        [Theory]
        [InlineData("https://api.acefone.in/")]
        [InlineData("http://127.0.0.1:8080/")]
        [InlineData("http://127.10.20.30/")]
        [InlineData("http://localhost:5000/")]
        [InlineData("http://[::1]:5000/")]
        public void Allows_https_and_loopback_http(string uri)
        {
            TransportPolicy.EnsureAllowed(new Uri(uri));
        }

        [Theory]
        [InlineData("http://api.acefone.in/")]
        [InlineData("http://10.0.0.5/")]
        [InlineData("http://192.168.1.10/")]
        [InlineData("http://127.0.0.1.nip.example/")]
        [InlineData("http://localhost.example.com/")]
        [InlineData("ftp://127.0.0.1/")]
        [InlineData("https://user:pass@api.acefone.in/")]
        [InlineData("https://api.acefone.in/?token=abc")]
        public void Refuses_everything_else_by_its_text(string uri)
        {
            var error = Assert.Throws<AcefoneException>(() => TransportPolicy.EnsureAllowed(new Uri(uri)));
            Assert.Equal(AcefoneErrorKind.InsecureBaseUri, error.Kind);
        }

        [Fact]
        public void A_session_to_a_non_loopback_http_host_is_refused_before_any_request()
        {
            var handler = ScriptedHandler.Always(200, "{\"success\":true}");
            var options = new AcefoneSessionOptions { BaseUri = new Uri("http://api.acefone.in/") };
            var error = Assert.Throws<AcefoneException>(() => Sessions.WithHandler(handler, options));
            Assert.Equal(AcefoneErrorKind.InsecureBaseUri, error.Kind);
            Assert.Equal(0, handler.Count);
        }

        [Fact]
        public void The_handler_never_follows_redirects_and_leaves_certificate_validation_alone()
        {
            using var handler = HttpHandlerFactory.CreateHandler(new AcefoneSessionOptions());
            Assert.False(handler.AllowAutoRedirect);
            Assert.Null(handler.ServerCertificateCustomValidationCallback);
        }
    }
}
