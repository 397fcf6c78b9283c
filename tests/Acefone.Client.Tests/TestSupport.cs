using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Acefone.Client;
using Acefone.Simulator;

namespace Acefone.Client.Tests
{
    /// <summary>Answers each request with whatever the test says, and remembers what it was sent.</summary>
    internal sealed class ScriptedHandler : HttpMessageHandler
    {
        private readonly Func<HttpRequestMessage, string?, int, HttpResponseMessage> _answer;
        private int _count;

        internal ScriptedHandler(Func<HttpRequestMessage, string?, int, HttpResponseMessage> answer) => _answer = answer;

        internal ConcurrentQueue<(HttpRequestMessage Request, string? Body)> Received { get; } = new ConcurrentQueue<(HttpRequestMessage, string?)>();
        internal int Count => Volatile.Read(ref _count);

        internal static ScriptedHandler Always(int status, string body, string contentType = "application/json") =>
            new ScriptedHandler((_, _, _) => Json(status, body, contentType));

        internal static HttpResponseMessage Json(int status, string body, string contentType = "application/json") =>
            new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, contentType) };

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string? body = request.Content == null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            int n = Interlocked.Increment(ref _count);
            Received.Enqueue((request, body));
            return _answer(request, body, n);
        }
    }

    internal static class Sessions
    {
        internal const string Token = "test-console-token-0123456789";

        internal static SecureString Secure(string value)
        {
            var secure = new SecureString();
            foreach (char c in value) secure.AppendChar(c);
            return secure;
        }

        internal static AcefoneSessionOptions Options(Uri? baseUri = null, int maxRetries = 2) => new AcefoneSessionOptions
        {
            BaseUri = baseUri ?? new Uri("http://127.0.0.1:9/"),
            MaxRetries = maxRetries,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            Timeout = TimeSpan.FromSeconds(10),
        };

        internal static AcefoneSession WithHandler(HttpMessageHandler handler, AcefoneSessionOptions? options = null, AcefoneCredential? credential = null, Func<DateTimeOffset>? clock = null) =>
            AcefoneSession.CreateForTest(options ?? Options(), credential ?? AcefoneCredential.FromAccessToken(Secure(Token)), handler, clock);

        internal static AcefoneSession ForSimulator(SimulatorHost simulator, bool login = false, Action<AcefoneSessionOptions>? configure = null)
        {
            AcefoneSessionOptions options = Options(simulator.BaseUri);
            configure?.Invoke(options);
            AcefoneCredential credential = login
                ? AcefoneCredential.FromLogin(SeedData.Email, Secure(SeedData.Password))
                : AcefoneCredential.FromAccessToken(Secure(SeedData.ConsoleToken));
            return AcefoneSession.Create(options, credential);
        }

        internal static CallOptionRequest Transfer(string callId, params string[] intercom) =>
            CallOptionRequest.Create(CallOperation.Transfer, callId, null, intercom);
    }
}
