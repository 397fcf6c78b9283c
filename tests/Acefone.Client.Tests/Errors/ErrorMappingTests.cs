using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    public class ErrorMappingTests
    {
        private static async Task<AcefoneException> Fail(ScriptedHandler handler, int maxRetries = 0)
        {
            using AcefoneSession session = Sessions.WithHandler(handler, Sessions.Options(maxRetries: maxRetries));
            return await Assert.ThrowsAnyAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004")));
        }

        [Theory]
        [InlineData(422, "{\"success\":false,\"message\":\"Invalid Call ID\"}", AcefoneErrorKind.CallNotActive)]
        [InlineData(422, "{\"message\":\"The call id field is required.\"}", AcefoneErrorKind.InvalidRequest)]
        [InlineData(400, "{\"message\":\"Invalid request body\"}", AcefoneErrorKind.InvalidRequest)]
        [InlineData(200, "{\"success\":false,\"message\":\"Agent is not available\"}", AcefoneErrorKind.Rejected)]
        [InlineData(200, "{\"success\":\"false\",\"message\":\"Agent is not available\"}", AcefoneErrorKind.Rejected)]
        [InlineData(403, "{\"message\":\"Forbidden\"}", AcefoneErrorKind.Forbidden)]
        [InlineData(404, "{\"message\":\"Not Found\"}", AcefoneErrorKind.NotFound)]
        [InlineData(407, "", AcefoneErrorKind.ProxyAuthenticationRequired)]
        [InlineData(429, "{\"success\":\"false\",\"message\":\"Too many requests.\"}", AcefoneErrorKind.RateLimited)]
        [InlineData(500, "<html>oops</html>", AcefoneErrorKind.ServerError)]
        [InlineData(503, "<html>503</html>", AcefoneErrorKind.ServerError)]
        [InlineData(401, "{\"message\":\"Unauthenticated.\"}", AcefoneErrorKind.AuthenticationFailed)]
        [InlineData(302, "", AcefoneErrorKind.InvalidResponse)]
        [InlineData(200, "<html>login page</html>", AcefoneErrorKind.InvalidResponse)]
        [InlineData(200, "", AcefoneErrorKind.InvalidResponse)]
        [InlineData(200, "{\"message\":\"no success field\"}", AcefoneErrorKind.InvalidResponse)]
        public async Task Maps_status_and_body_to_a_stable_kind(int status, string body, AcefoneErrorKind expected)
        {
            AcefoneException error = await Fail(ScriptedHandler.Always(status, body));
            Assert.Equal(expected, error.Kind);
            Assert.Equal(status, error.StatusCode);
            Assert.Equal(CallOperation.Transfer, error.Operation);
            Assert.Equal("1.2", error.CallId);
            Assert.Contains("Transfer call '1.2'", error.Message);
        }

        [Fact]
        public async Task Keeps_the_servers_message()
        {
            AcefoneException error = await Fail(ScriptedHandler.Always(422, "{\"success\":false,\"message\":\"Invalid Call ID\"}"));
            Assert.Equal("Invalid Call ID", error.ServerMessage);
            Assert.Contains("Invalid Call ID", error.ResponseBody);
        }

        [Fact]
        public async Task A_success_answer_becomes_a_typed_result()
        {
            using AcefoneSession session = Sessions.WithHandler(ScriptedHandler.Always(200, "{\"success\":\"true\",\"message\":\"Transfer request initiated\",\"extra\":1}"));
            CallOptionResult result = await session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004", "9876543210"));
            Assert.True(result.Success);
            Assert.Equal(200, result.StatusCode);
            Assert.Equal("9876543210", result.Intercom!.Split(',')[1]);
            Assert.Equal(DateTimeKind.Utc, result.Timestamp.Kind);
            Assert.Equal("Transfer request initiated", result.Message);
        }

        [Fact]
        public async Task A_503_is_resent_and_a_500_is_not()
        {
            var flaky = new ScriptedHandler((_, _, n) => n == 1 ? ScriptedHandler.Json(503, "<html>busy</html>", "text/html") : ScriptedHandler.Json(200, "{\"success\":true}"));
            using (AcefoneSession session = Sessions.WithHandler(flaky, Sessions.Options(maxRetries: 2)))
                Assert.True((await session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004"))).Success);
            Assert.Equal(2, flaky.Count);

            var broken = ScriptedHandler.Always(500, "{}");
            AcefoneException error = await Fail(broken, maxRetries: 3);
            Assert.Equal(AcefoneErrorKind.ServerError, error.Kind);
            Assert.Equal(1, broken.Count);
        }

        [Fact]
        public async Task A_429_is_waited_out_then_resent_with_Retry_After_honoured()
        {
            var limited = new ScriptedHandler((_, _, n) =>
            {
                if (n > 1) return ScriptedHandler.Json(200, "{\"success\":true}");
                HttpResponseMessage response = ScriptedHandler.Json(429, "{\"success\":\"false\",\"message\":\"Too many requests.\"}");
                response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromMilliseconds(1));
                return response;
            });
            using AcefoneSession session = Sessions.WithHandler(limited, Sessions.Options(maxRetries: 2));
            var observer = new RecordingObserver();
            Assert.True((await session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004"), observer)).Success);
            Assert.Equal(2, limited.Count);
            Assert.Equal(new int?[] { 429, 200 }, observer.Traces.Select(t => t.StatusCode).ToArray());
            Assert.Contains("Retry-After", observer.Traces[0].Note);
            Assert.NotNull(session.CurrentRequestsPerSecond);
        }

        [Fact]
        public async Task A_console_token_that_gets_401_fails_with_AuthenticationFailed_without_resending()
        {
            var handler = ScriptedHandler.Always(401, "{\"message\":\"Unauthenticated.\"}");
            AcefoneException error = await Fail(handler, maxRetries: 5);
            Assert.Equal(AcefoneErrorKind.AuthenticationFailed, error.Kind);
            Assert.Equal(1, handler.Count);
        }

        [Fact]
        public async Task Sends_authorization_bearer_or_raw_and_accepts_json()
        {
            var handler = ScriptedHandler.Always(200, "{\"success\":true}");
            using (AcefoneSession session = Sessions.WithHandler(handler))
                await session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004"));
            var raw = Sessions.Options();
            raw.AuthScheme = AcefoneAuthScheme.Raw;
            using (AcefoneSession session = Sessions.WithHandler(handler, raw))
                await session.InvokeCallOptionAsync(Sessions.Transfer("1.3", "8004"));
            var sent = handler.Received.ToArray();
            Assert.Equal("Bearer " + Sessions.Token, sent[0].Request.Headers.GetValues("Authorization").Single());
            Assert.Equal(Sessions.Token, sent[1].Request.Headers.GetValues("Authorization").Single());
            Assert.Equal("application/json", sent[0].Request.Content!.Headers.ContentType!.MediaType);
            Assert.Equal("http://127.0.0.1:9/v1/call/options", sent[0].Request.RequestUri!.AbsoluteUri);
        }

        [Fact]
        public async Task A_base_uri_with_a_path_prefix_keeps_it()
        {
            var handler = ScriptedHandler.Always(200, "{\"success\":true}");
            using AcefoneSession session = Sessions.WithHandler(handler, Sessions.Options(new Uri("http://127.0.0.1:9/gateway")));
            await session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004"));
            Assert.Equal("http://127.0.0.1:9/gateway/v1/call/options", handler.Received.Single().Request.RequestUri!.AbsoluteUri);
        }

        [Fact]
        public async Task Reading_is_capped_and_a_huge_answer_is_a_clear_error()
        {
            var options = Sessions.Options();
            options.MaxResponseBytes = 1024;
            var handler = ScriptedHandler.Always(200, "{\"success\":true,\"message\":\"" + new string('x', 5000) + "\"}");
            using AcefoneSession session = Sessions.WithHandler(handler, options);
            var error = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004")));
            Assert.Equal(AcefoneErrorKind.InvalidResponse, error.Kind);
            Assert.Contains("1024", error.Message);
        }
    }

    internal sealed class RecordingObserver : IAcefoneRequestObserver
    {
        private readonly object _gate = new object();
        internal System.Collections.Generic.List<AcefoneRequestTrace> Traces { get; } = new System.Collections.Generic.List<AcefoneRequestTrace>();
        internal System.Collections.Generic.List<string> Debug { get; } = new System.Collections.Generic.List<string>();

        public void OnAttempt(AcefoneRequestTrace trace)
        {
            lock (_gate) Traces.Add(trace);
        }

        public void OnDebug(string message)
        {
            lock (_gate) Debug.Add(message);
        }

        public bool WantsDebug => true;
    }
}
