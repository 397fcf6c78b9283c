using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Acefone.Client;
using Acefone.Simulator;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// A session meeting odd answers (issue 12's "also contain" items): unreadable answers to state-changing requests,
    /// a BOM, a bad live-call entry, response caps, a throttled login, a token no header can hold.
    /// </summary>
    public class OddAnswerTests
    {
        [Fact]
        public async Task A_BOM_before_valid_JSON_is_read()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(1);
            simulator.State.Containment = new ContainmentFaults { CallOptionsAnswer = ProcessedAnswer.Bom };
            using AcefoneSession session = Sessions.ForSimulator(simulator);

            CallOptionResult result = await session.InvokeCallOptionAsync(Sessions.Transfer(calls[0], "8004"));

            Assert.True(result.Success);
            Assert.Equal("Transfer request initiated", result.Message);
        }

        [Fact]
        public async Task A_204_to_a_call_option_is_InvalidResponse_that_may_have_acted()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(1);
            simulator.State.Containment = new ContainmentFaults { CallOptionsAnswer = ProcessedAnswer.NoContent };
            using AcefoneSession session = Sessions.ForSimulator(simulator);

            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Sessions.Transfer(calls[0], "8004")));

            Assert.Equal(AcefoneErrorKind.InvalidResponse, error.Kind);
            Assert.True(error.MayHaveActed);
            Assert.Contains("may have acted", error.Message);
            Assert.Single(simulator.State.GetRequests("/v1/call/options"));
        }

        [Fact]
        public async Task An_HTML_200_to_a_call_option_may_have_acted_but_one_to_a_listing_did_not()
        {
            var handler = ScriptedHandler.Always(200, "<html><body>Something went wrong</body></html>", "text/html");
            using AcefoneSession session = Sessions.WithHandler(handler);

            AcefoneException option = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004")));
            AcefoneException listing = await Assert.ThrowsAsync<AcefoneException>(() => session.GetLiveCallsAsync());

            Assert.Equal(AcefoneErrorKind.InvalidResponse, option.Kind);
            Assert.True(option.MayHaveActed);
            Assert.Equal(AcefoneErrorKind.InvalidResponse, listing.Kind);
            Assert.False(listing.MayHaveActed);
        }

        [Fact]
        public async Task One_live_call_with_a_null_call_id_leaves_the_others_listed()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            simulator.State.Containment = new ContainmentFaults { NullCallIdAt = 2 };
            using AcefoneSession session = Sessions.ForSimulator(simulator);

            AcefoneLiveCallList calls = await session.GetLiveCallsAsync();

            Assert.Equal(simulator.State.LiveCallCount - 1, calls.Count);
            AcefoneException skipped = Assert.Single(calls.Skipped);
            Assert.Equal(AcefoneErrorKind.InvalidResponse, skipped.Kind);
            Assert.Equal("GET /v1/live_calls", skipped.Request);
            Assert.Contains("live call 2 ", skipped.Message);
        }

        private static ScriptedHandler LiveCallsOf(int bytes)
        {
            var json = new StringBuilder("[");
            int i = 0;
            while (json.Length < bytes)
                json.Append(i++ == 0 ? string.Empty : ",").Append("{\"call_id\":\"1714657799.").Append(i).Append("\",\"agent_name\":\"").Append('x', 500).Append("\"}");
            json.Append(']');
            string body = json.ToString();
            return new ScriptedHandler((_, _, _) => ScriptedHandler.Json(200, body));
        }

        [Fact]
        public async Task A_listing_over_the_status_cap_is_read_and_the_session_option_sets_the_cap()
        {
            using (AcefoneSession session = Sessions.WithHandler(LiveCallsOf(5 * 1024 * 1024)))
                Assert.True((await session.GetLiveCallsAsync()).Count > 8000);

            AcefoneSessionOptions options = Sessions.Options();
            options.MaxResponseBytes = 1024 * 1024;
            using (AcefoneSession capped = Sessions.WithHandler(LiveCallsOf(2 * 1024 * 1024), options))
            {
                AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => capped.GetLiveCallsAsync());
                Assert.Equal(AcefoneErrorKind.InvalidResponse, error.Kind);
                Assert.Contains("1048576", error.Message);
            }
        }

        [Fact]
        public async Task A_status_answer_keeps_a_small_cap()
        {
            var handler = ScriptedHandler.Always(200, "{\"success\":true,\"message\":\"" + new string('x', 5 * 1024 * 1024) + "\"}");
            using AcefoneSession session = Sessions.WithHandler(handler);
            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004")));
            Assert.Equal(AcefoneErrorKind.InvalidResponse, error.Kind);
            Assert.True(error.MayHaveActed);
        }

        private static AcefoneCredential Login() => AcefoneCredential.FromLogin("admin@example.com", Sessions.Secure("Simulat0r!Pass"));

        [Fact]
        public async Task A_login_throttled_with_a_Retry_After_header_waits_once_then_succeeds()
        {
            var handler = new ScriptedHandler((_, _, n) =>
            {
                if (n == 1)
                {
                    var throttled = ScriptedHandler.Json(429, "{\"success\":false,\"message\":\"Too many login attempts.\"}");
                    throttled.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromMilliseconds(200));
                    return throttled;
                }
                return ScriptedHandler.Json(200, "{\"success\":true,\"access_token\":\"login-token-0123456789\",\"expires_in\":3600}");
            });
            using AcefoneSession session = Sessions.WithHandler(handler, credential: Login());
            var observer = new RecordingObserver();

            await session.ConnectAsync(observer);

            Assert.Equal(2, handler.Count);
            Assert.Contains(observer.Traces, t => t.StatusCode == 429 && (t.Note ?? "").Contains("as the API asked"));
        }

        [Fact]
        public async Task A_login_token_no_header_can_hold_is_InvalidResponse_and_never_sent()
        {
            var handler = new ScriptedHandler((_, _, _) => ScriptedHandler.Json(200, "{\"success\":true,\"access_token\":\"login\u200Btoken-0123456789\",\"expires_in\":3600}"));
            using AcefoneSession session = Sessions.WithHandler(handler, credential: Login());

            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.ConnectAsync());

            Assert.Equal(AcefoneErrorKind.InvalidResponse, error.Kind);
            Assert.Contains("position 6", error.Message);
            Assert.Equal(1, handler.Count);
        }

        [Fact]
        public void The_redactor_masks_every_form_of_the_sessions_secrets()
        {
            var secrets = new SessionSecrets();
            secrets.SetPassword("p@ss \"word\"/1");
            const string jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwianRpIjoiYWJjZGVmZ2hpamtsbW5vcCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU";
            secrets.AddToken(jwt);
            secrets.AddToken("plain-console-token-1234");

            string text = secrets.Redact("pw p@ss \"word\"/1 json p@ss \\\"word\\\"/1 url " + Uri.EscapeDataString("p@ss \"word\"/1") +
                " sig " + jwt.Split('.')[2] + " old plain-console-token-1234 hdr Authorization=Bearer some-other-token-value");

            Assert.DoesNotContain("word", text);
            Assert.DoesNotContain("c2lnbmF0dXJl", text);
            Assert.DoesNotContain("plain-console", text);
            Assert.DoesNotContain("some-other-token", text);
        }
    }
}
