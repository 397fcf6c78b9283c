using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Acefone.Client;
using Acefone.Simulator;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>The read-side session methods and hangup, against canned answers and against the simulator.</summary>
    public sealed class DirectorySessionTests
    {
        /// <summary>Answers each request from a queue of canned answers and keeps what was asked.</summary>
        private sealed class CannedHandler : HttpMessageHandler
        {
            private readonly Queue<(HttpStatusCode Status, string Body, string ContentType)> _answers = new Queue<(HttpStatusCode, string, string)>();

            internal List<(HttpMethod Method, string PathAndQuery, string? Body)> Requests { get; } = new List<(HttpMethod, string, string?)>();

            internal CannedHandler Answer(HttpStatusCode status, string body, string contentType = "application/json")
            {
                _answers.Enqueue((status, body, contentType));
                return this;
            }

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                string? body = request.Content == null ? null : await request.Content.ReadAsStringAsync().ConfigureAwait(false);
                lock (Requests) Requests.Add((request.Method, request.RequestUri!.PathAndQuery, body));
                var (status, text, type) = _answers.Dequeue();
                return new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8, type) };
            }
        }

        private static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (char c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        private static AcefoneSession Session(HttpMessageHandler handler, Uri? baseUri = null) =>
            AcefoneSession.CreateForTest(new AcefoneSessionOptions { BaseUri = baseUri ?? new Uri("http://127.0.0.1:9/"), MaxRetries = 0 },
                AcefoneCredential.FromAccessToken(Secure("test-token-not-secret")), handler, null);

        private static AcefoneSession Session(SimulatorHost sim) =>
            AcefoneSession.Create(new AcefoneSessionOptions { BaseUri = sim.BaseUri, MaxRetries = 0 }, AcefoneCredential.FromAccessToken(Secure(SeedData.ConsoleToken)));

        [Fact]
        public async Task GetLiveCalls_sends_each_filter_URL_encoded_and_no_query_without_filters()
        {
            var handler = new CannedHandler().Answer(HttpStatusCode.OK, "[]").Answer(HttpStatusCode.OK, "[]");
            using AcefoneSession session = Session(handler);
            Assert.Empty(await session.GetLiveCallsAsync());
            Assert.Empty(await session.GetLiveCallsAsync(new LiveCallFilter { AgentNumber = "+91 98&x=1", Extension = "1004", DidNumber = " ", CallId = "CAGE011-T8/1.2" }));
            Assert.Equal("/v1/live_calls", handler.Requests[0].PathAndQuery);
            Assert.Equal("/v1/live_calls?agent_number=%2B91%2098%26x%3D1&extension=1004&call_id=CAGE011-T8%2F1.2", handler.Requests[1].PathAndQuery);
            Assert.All(handler.Requests, r => Assert.Equal(HttpMethod.Get, r.Method));
        }

        [Theory]
        [InlineData("<html><body>Bad gateway</body></html>", "text/html")]
        [InlineData("{\"call_id\":", "application/json")]
        [InlineData("", "application/json")]
        public async Task GetLiveCalls_an_unreadable_answer_is_InvalidResponse_naming_the_request(string body, string contentType)
        {
            var handler = new CannedHandler().Answer(HttpStatusCode.OK, body, contentType);
            using AcefoneSession session = Session(handler);
            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.GetLiveCallsAsync());
            Assert.Equal(AcefoneErrorKind.InvalidResponse, error.Kind);
            Assert.Equal("GET /v1/live_calls", error.Request);
            Assert.StartsWith("List live calls (GET /v1/live_calls):", error.Message);
        }

        [Fact]
        public async Task A_403_on_a_read_route_says_the_route_may_not_exist_for_the_region()
        {
            var handler = new CannedHandler().Answer(HttpStatusCode.Forbidden, "{\"message\":\"Forbidden\"}");
            using AcefoneSession session = Session(handler);
            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.GetDepartmentsAsync());
            Assert.Equal(AcefoneErrorKind.Forbidden, error.Kind);
            Assert.Contains("-Region", error.Message);
            Assert.Contains("route may not exist", error.Message);
            Assert.Contains("GET /v1/departments", error.Message);
        }

        [Fact]
        public async Task A_success_false_answer_carries_the_API_message()
        {
            var handler = new CannedHandler().Answer(HttpStatusCode.OK, "{\"success\":false,\"message\":\"User not found\"}");
            using AcefoneSession session = Session(handler);
            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.GetUsersPageAsync());
            Assert.Equal(AcefoneErrorKind.NotFound, error.Kind);
            Assert.Equal("User not found", error.ServerMessage);
            Assert.Contains("The API said: 'User not found'", error.Message);
        }

        [Fact]
        public async Task GetUsersPage_passes_last_seen_id_and_limit()
        {
            var handler = new CannedHandler().Answer(HttpStatusCode.OK, "{\"has_more\":false,\"last_seen_id\":7,\"data\":[]}");
            using AcefoneSession session = Session(handler);
            AcefoneUserPage page = await session.GetUsersPageAsync(314700, 25);
            Assert.Equal("/v1/users?last_seen_id=314700&limit=25", handler.Requests.Single().PathAndQuery);
            Assert.Null(page.NextLastSeenId);
        }

        [Fact]
        public async Task GetUsersPage_refuses_a_has_more_that_does_not_move_forward()
        {
            var handler = new CannedHandler().Answer(HttpStatusCode.OK, "{\"has_more\":true,\"last_seen_id\":100,\"data\":[{\"id\":100}]}");
            using AcefoneSession session = Session(handler);
            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.GetUsersPageAsync(100));
            Assert.Equal(AcefoneErrorKind.InvalidResponse, error.Kind);
            Assert.Contains("cannot loop", error.Message);
        }

        [Fact]
        public async Task GetUsers_follows_every_page_of_the_simulator()
        {
            await using SimulatorHost sim = await SimulatorHost.StartAsync();
            using AcefoneSession session = Session(sim);
            IReadOnlyList<AcefoneUser> users = await session.GetUsersAsync(pageSize: 100);
            Assert.Equal(SeedData.UserCount, users.Count);
            Assert.Equal(users.Count, users.Select(u => u.UserId).Distinct().Count());
            Assert.Null(users.Single(u => u.UserId == SeedData.UserId(SeedData.UserWithoutAgentIndex)).AgentId);
            Assert.Equal("0502842370001", users[0].AgentId);
            var queries = sim.State.GetRequests("/v1/users").Select(r => r.Query).ToArray();
            Assert.Equal(new[] { "limit=100", "last_seen_id=314700&limit=100", "last_seen_id=314800&limit=100" }, queries);
        }

        [Fact]
        public async Task Hangup_posts_the_call_id_and_ends_the_call()
        {
            await using SimulatorHost sim = await SimulatorHost.StartAsync();
            using AcefoneSession session = Session(sim);
            string callId = SeedData.CallIds[0];
            CallHangupResult result = await session.HangupCallAsync(CallHangupRequest.Create(" " + callId + " "));
            Assert.True(result.Success);
            Assert.Equal(callId, result.CallId);
            Assert.Equal(200, result.StatusCode);
            Assert.Equal("Call hangup successfully", result.Message);
            Assert.False(sim.State.IsLive(callId));
            Assert.Equal("{\"call_id\":\"" + callId + "\"}", sim.State.GetRequests("/v1/call/hangup").Single().Body);
        }

        [Fact]
        public async Task Hangup_of_an_ended_call_is_CallNotActive()
        {
            await using SimulatorHost sim = await SimulatorHost.StartAsync();
            using AcefoneSession session = Session(sim);
            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.HangupCallAsync(CallHangupRequest.Create("1700000000.1")));
            Assert.Equal(AcefoneErrorKind.CallNotActive, error.Kind);
            Assert.Equal("1700000000.1", error.CallId);
            Assert.Equal(422, error.StatusCode);
        }

        [Fact]
        public async Task Hangup_is_never_resent_after_the_connection_drops_once_sent()
        {
            await using SimulatorHost sim = await SimulatorHost.StartAsync();
            sim.State.UpdateConfig(c => c with { DropAfterProcessingEveryNth = 1 });
            using AcefoneSession session = AcefoneSession.Create(new AcefoneSessionOptions { BaseUri = sim.BaseUri, MaxRetries = 3 },
                AcefoneCredential.FromAccessToken(Secure(SeedData.ConsoleToken)));
            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.HangupCallAsync(CallHangupRequest.Create(SeedData.CallIds[1])));
            Assert.Equal(AcefoneErrorKind.OutcomeUnknown, error.Kind);
            Assert.Single(sim.State.GetRequests("/v1/call/hangup"));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("  ")]
        [InlineData("1.2\n3")]
        public void HangupRequest_refuses_a_blank_or_broken_call_id(string? callId)
        {
            AcefoneInputException error = Assert.Throws<AcefoneInputException>(() => CallHangupRequest.Create(callId));
            Assert.Equal(InputField.CallId, error.Field);
        }

        [Fact]
        public void HangupRequest_previews_the_body_it_sends()
        {
            CallHangupRequest request = CallHangupRequest.Create("1714657799.11930961");
            Assert.Equal("{\"call_id\":\"1714657799.11930961\"}", AcefoneSession.PreviewBody(request));
            Assert.Equal("Hang up call '1714657799.11930961'", request.Describe());
            Assert.Equal("v1/call/hangup", request.ApiPath);
            Assert.NotEqual(request.DuplicateKey, CallOptionRequest.Create(CallOperation.Transfer, "1714657799.11930961", null, new[] { "8004" }).DuplicateKey);
        }
    }
}
