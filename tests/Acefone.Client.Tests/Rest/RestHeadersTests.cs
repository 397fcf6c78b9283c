using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>-Headers, the answer's headers and -SkipHttpErrorCheck as the engine carries them (Invoke-AcefoneRestMethod).</summary>
    public class RestHeadersTests
    {
        [Theory]
        [InlineData("Authorization")]
        [InlineData("authorization")]
        [InlineData("Proxy-Authorization")]
        [InlineData("Host")]
        [InlineData("Content-Length")]
        [InlineData("Content-Type")]
        [InlineData("Transfer-Encoding")]
        [InlineData("X-Bad Name")]
        [InlineData("X-Bad:Name")]
        [InlineData("")]
        public void A_header_the_session_or_HTTP_owns_is_refused_naming_it_and_never_its_value(string name)
        {
            var request = new AcefoneRestRequest("GET", "/v1/users");
            var ex = Assert.Throws<AcefoneException>(() => request.AddHeader(name, "Bearer s3cret-value-42"));
            Assert.Equal(AcefoneErrorKind.InvalidInput, ex.Kind);
            Assert.Contains("Nothing was sent", ex.Message);
            Assert.DoesNotContain("s3cret", ex.Message);
            if (name.Trim().Length > 0 && name.IndexOf(' ') < 0 && name.IndexOf(':') < 0) Assert.Contains(name, ex.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Empty(request.Headers);
        }

        [Theory]
        [InlineData("a\r\nX-Injected: 1")]
        [InlineData("a\nb")]
        [InlineData("a\0b")]
        public void A_value_that_would_start_another_header_is_refused_without_showing_it(string value)
        {
            var request = new AcefoneRestRequest("GET", "/v1/users");
            var ex = Assert.Throws<AcefoneException>(() => request.AddHeader("X-Trace", value));
            Assert.Equal(AcefoneErrorKind.InvalidInput, ex.Kind);
            Assert.Contains("X-Trace", ex.Message);
            Assert.DoesNotContain("Injected", ex.Message);
        }

        [Fact]
        public void Describing_the_headers_names_them_once_and_never_shows_values()
        {
            var request = new AcefoneRestRequest("POST", "/v1/x");
            Assert.Null(request.DescribeHeaders());
            request.AddHeader("X-Api-Key", "k-123456");
            request.AddHeader("Accept-Language", "en");
            request.AddHeader("x-api-key", "k-7890");
            Assert.Equal("X-Api-Key, Accept-Language", request.DescribeHeaders());
        }

        [Fact]
        public async Task Added_headers_reach_the_wire_beside_the_sessions_own_token()
        {
            var handler = ScriptedHandler.Always(200, "{}");
            using AcefoneSession session = Sessions.WithHandler(handler);
            var request = new AcefoneRestRequest("POST", "/v1/click_to_call");
            request.SetJsonBody(new Dictionary<string, object?> { ["async"] = 1 });
            request.AddHeader("X-Trace", "t-1");
            request.AddHeader("X-Trace", "t-2");
            request.AddHeader("Content-Language", "en");
            request.AddHeader("Accept", "application/vnd.acefone+json");
            await session.InvokeRestAsync(request);

            HttpRequestMessage sent = handler.Received.Single().Request;
            Assert.Equal(new[] { "t-1", "t-2" }, sent.Headers.GetValues("X-Trace"));
            Assert.Equal("en", sent.Content!.Headers.ContentLanguage.Single());
            Assert.Equal("application/vnd.acefone+json", string.Join(",", sent.Headers.GetValues("Accept")));
            Assert.Equal("Bearer " + Sessions.Token, sent.Headers.Authorization!.ToString());
        }

        [Fact]
        public async Task A_body_header_on_a_request_without_a_body_is_refused_and_nothing_is_sent()
        {
            var handler = ScriptedHandler.Always(200, "{}");
            using AcefoneSession session = Sessions.WithHandler(handler);
            var request = new AcefoneRestRequest("GET", "/v1/users");
            request.AddHeader("Content-Language", "en");
            var ex = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeRestAsync(request));
            Assert.Contains("Content-Language", ex.Message);
            Assert.Equal(0, handler.Count);
        }

        [Fact]
        public async Task The_answers_headers_come_back_by_name_in_any_case()
        {
            var handler = new ScriptedHandler((_, _, _) =>
            {
                HttpResponseMessage answer = ScriptedHandler.Json(200, "{\"ok\":true}");
                answer.Headers.TryAddWithoutValidation("X-RateLimit-Remaining", "2");
                answer.Headers.TryAddWithoutValidation("Link", new[] { "<a>", "<b>" });
                return answer;
            });
            using AcefoneSession session = Sessions.WithHandler(handler);
            AcefoneRestResponse response = await session.InvokeRestAsync(new AcefoneRestRequest("GET", "/v1/users"));
            Assert.Equal(new[] { "2" }, response.Headers["x-ratelimit-remaining"]);
            Assert.Equal(new[] { "<a>", "<b>" }, response.Headers["LINK"]);
            Assert.StartsWith("application/json", response.Headers["Content-Type"].Single());
        }

        [Fact]
        public async Task SkipHttpErrorCheck_returns_an_error_answer_and_EnsureSuccessStatus_throws_the_same_error()
        {
            var handler = ScriptedHandler.Always(422, "{\"success\":false,\"message\":\"The agent number field is required.\"}");
            using AcefoneSession session = Sessions.WithHandler(handler);

            var thrown = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeRestAsync(new AcefoneRestRequest("POST", "/v1/click_to_call")));

            AcefoneRestResponse response = await session.InvokeRestAsync(new AcefoneRestRequest("POST", "/v1/click_to_call") { SkipHttpErrorCheck = true });
            Assert.Equal(422, response.StatusCode);
            Assert.False(response.IsSuccessStatus);
            Assert.Contains("agent number field", response.Text);
            var later = Assert.Throws<AcefoneException>(() => response.EnsureSuccessStatus());
            Assert.Equal(thrown.Kind, later.Kind);
            Assert.Equal(422, later.StatusCode);
            Assert.Equal(thrown.Message, later.Message);
            // Resending follows the method's rules either way: a 422 POST went out once each time.
            Assert.Equal(2, handler.Count);
        }

        [Fact]
        public async Task EnsureSuccessStatus_does_nothing_for_a_2xx_answer()
        {
            using AcefoneSession session = Sessions.WithHandler(ScriptedHandler.Always(201, "{}"));
            AcefoneRestResponse response = await session.InvokeRestAsync(new AcefoneRestRequest("POST", "/v1/x") { SkipHttpErrorCheck = true });
            response.EnsureSuccessStatus();
            Assert.True(response.IsSuccessStatus);
        }

        [Fact]
        public async Task Every_page_is_asked_for_with_the_first_pages_headers_and_a_failed_page_is_an_error()
        {
            var handler = new ScriptedHandler((_, _, n) => n switch
            {
                1 => ScriptedHandler.Json(200, "{\"has_more\":true,\"last_seen_id\":10,\"data\":[{\"id\":1}]}"),
                2 => ScriptedHandler.Json(200, "{\"has_more\":true,\"last_seen_id\":20,\"data\":[{\"id\":2}]}"),
                _ => ScriptedHandler.Json(404, "{\"message\":\"gone\"}"),
            });
            using AcefoneSession session = Sessions.WithHandler(handler);
            var template = new AcefoneRestRequest("GET", "/v1/users") { SkipHttpErrorCheck = true };
            template.AddHeader("X-Tenant", "north");
            AcefoneRestPager pager = session.Page(template);
            AcefoneRestPage first = (await pager.NextAsync())!;
            AcefoneRestPage second = (await pager.NextAsync())!;
            Assert.Equal(200, second.Response!.StatusCode);
            var failed = await Assert.ThrowsAsync<AcefoneException>(() => pager.NextAsync());
            Assert.Equal(404, failed.StatusCode);
            Assert.All(handler.Received, r => Assert.Equal("north", r.Request.Headers.GetValues("X-Tenant").Single()));
            Assert.Equal(3, handler.Count);
            Assert.NotNull(first.Response);
        }

        [Fact]
        public async Task Debug_never_shows_a_header_value_the_answer_echoes()
        {
            var handler = ScriptedHandler.Always(400, "{\"message\":\"bad key k-9f8e7d6c\"}");
            using AcefoneSession session = Sessions.WithHandler(handler);
            var observer = new RecordingObserver();
            var request = new AcefoneRestRequest("GET", "/v1/users") { SkipHttpErrorCheck = true };
            request.AddHeader("X-Api-Key", "k-9f8e7d6c");
            await session.InvokeRestAsync(request, observer);
            Assert.Contains(observer.Debug, line => line.Contains("bad key ***"));
            Assert.DoesNotContain(observer.Debug, line => line.Contains("k-9f8e7d6c"));
        }
    }
}
