using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    public class RestRequestTests
    {
        [Theory]
        [InlineData("https://evil.example.com/v1/users")]
        [InlineData("http://127.0.0.1:9/v1/users")]
        [InlineData("//evil.example.com/v1/users")]
        [InlineData("\\\\evil\\share")]
        [InlineData("mailto:admin@example.com")]
        [InlineData("/v1/../../admin")]
        [InlineData("/v1/%2e%2e/admin")]
        [InlineData("/v1/users#x")]
        [InlineData("/v1/users list")]
        [InlineData("/v1/auth/refresh")]
        [InlineData("V1/Auth/login")]
        [InlineData("   ")]
        public void A_path_that_could_leave_the_session_or_touch_its_tokens_is_refused(string path)
        {
            var ex = Assert.Throws<AcefoneException>(() => new AcefoneRestRequest("GET", path));
            Assert.Equal(AcefoneErrorKind.InvalidInput, ex.Kind);
            Assert.Contains("Nothing was sent", ex.Message);
        }

        [Theory]
        [InlineData("/v1/users", "v1/users", null)]
        [InlineData("v1/user/314601", "v1/user/314601", null)]
        [InlineData("/v1/users?limit=5", "v1/users", "limit=5")]
        public void A_relative_path_is_split_from_its_query(string path, string relative, string? query)
        {
            var request = new AcefoneRestRequest("get", path);
            Assert.Equal("GET", request.Method);
            Assert.Equal(relative, request.RelativePath);
            Assert.Equal(query, request.QueryText);
        }

        [Fact]
        public void Only_GET_and_HEAD_may_be_resent_after_an_ambiguous_failure()
        {
            Assert.True(new AcefoneRestRequest("GET", "/v1/users").IsIdempotent);
            Assert.True(new AcefoneRestRequest("HEAD", "/v1/users").IsIdempotent);
            foreach (string method in new[] { "POST", "PUT", "PATCH", "DELETE" })
                Assert.False(new AcefoneRestRequest(method, "/v1/users").IsIdempotent);
            Assert.Throws<AcefoneException>(() => new AcefoneRestRequest("TRACE", "/v1/users"));
        }

        [Fact]
        public void The_query_is_encoded_lists_repeat_the_name_and_nulls_are_left_out()
        {
            var request = new AcefoneRestRequest("GET", "/v1/x?a=1");
            request.Query.Add(new KeyValuePair<string, object?>("agent number", "+91 98765&1"));
            request.Query.Add(new KeyValuePair<string, object?>("id", new object[] { 12, 13L }));
            request.Query.Add(new KeyValuePair<string, object?>("on", true));
            request.Query.Add(new KeyValuePair<string, object?>("skip", null));
            request.Query.Add(new KeyValuePair<string, object?>("at", new DateTime(2026, 11, 2, 9, 5, 7)));
            request.Query.Add(new KeyValuePair<string, object?>("ratio", 1.5));
            Assert.Equal("a=1&agent%20number=%2B91%2098765%261&id=12&id=13&on=true&at=2026-11-02%2009%3A05%3A07&ratio=1.5", request.QueryText);
        }

        [Fact]
        public void A_JSON_body_keeps_text_ids_as_text_and_nests()
        {
            var request = new AcefoneRestRequest("POST", "/v1/x");
            request.SetJsonBody(new Dictionary<string, object?> { ["agent_id"] = "0502842370001", ["n"] = 3, ["list"] = new[] { "a" }, ["inner"] = new Dictionary<string, object?> { ["ok"] = true } });
            Assert.Equal("{\"agent_id\":\"0502842370001\",\"n\":3,\"list\":[\"a\"],\"inner\":{\"ok\":true}}", request.BodyText);
        }

        [Fact]
        public void Numbers_in_an_answer_keep_their_digits()
        {
            var response = new AcefoneRestResponse(200, "application/json", System.Text.Encoding.UTF8.GetBytes("[1714657799.11930963, 42, 1e300]"), 32);
            var values = (object?[])response.ReadJson()!;
            Assert.Equal(1714657799.11930963m, values[0]);
            Assert.Equal(42L, values[1]);
            Assert.Equal(1e300, values[2]);
        }

        [Fact]
        public async Task An_absolute_URL_sends_nothing()
        {
            var handler = ScriptedHandler.Always(200, "{}");
            using AcefoneSession session = Sessions.WithHandler(handler);
            await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeRestAsync(new AcefoneRestRequest("GET", "https://evil.example.com/v1/users")));
            Assert.Equal(0, handler.Count);
        }

        [Fact]
        public async Task A_POST_is_resent_after_503_but_never_after_a_connection_lost_once_sent()
        {
            var handler = new ScriptedHandler((_, _, n) => n == 1 ? ScriptedHandler.Json(503, "<html/>", "text/html") : ScriptedHandler.Json(200, "{\"success\":true}"));
            using (AcefoneSession session = Sessions.WithHandler(handler))
            {
                AcefoneRestResponse answer = await session.InvokeRestAsync(new AcefoneRestRequest("POST", "/v1/click_to_call"));
                Assert.Equal(200, answer.StatusCode);
                Assert.Equal(2, handler.Count);
            }

            var dropping = new ScriptedHandler((_, _, _) => throw new IOException("connection reset after sending"));
            using (AcefoneSession session = Sessions.WithHandler(dropping))
            {
                var ex = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeRestAsync(new AcefoneRestRequest("POST", "/v1/click_to_call")));
                Assert.Equal(AcefoneErrorKind.OutcomeUnknown, ex.Kind);
                Assert.Equal(1, dropping.Count);
            }

            var droppingGet = new ScriptedHandler((_, _, n) => n == 1 ? throw new IOException("reset") : ScriptedHandler.Json(200, "[]"));
            using (AcefoneSession session = Sessions.WithHandler(droppingGet))
            {
                await session.InvokeRestAsync(new AcefoneRestRequest("GET", "/v1/live_calls"));
                Assert.Equal(2, droppingGet.Count);
            }
        }

        [Fact]
        public async Task A_failure_carries_the_HTTP_status()
        {
            using AcefoneSession session = Sessions.WithHandler(ScriptedHandler.Always(422, "{\"success\":false,\"message\":\"The agent number field is required.\"}"));
            var ex = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeRestAsync(new AcefoneRestRequest("POST", "/v1/click_to_call")));
            Assert.Equal(422, ex.StatusCode);
            Assert.Equal(AcefoneErrorKind.InvalidRequest, ex.Kind);
            Assert.Contains("agent number field", ex.Message);
        }

        [Fact]
        public async Task Cursor_paging_stops_when_the_cursor_repeats()
        {
            var handler = new ScriptedHandler((_, _, n) => ScriptedHandler.Json(200, "{\"has_more\":true,\"last_seen_id\":" + (n == 1 ? 10 : 20) + ",\"data\":[{\"id\":" + n + "}]}"));
            using AcefoneSession session = Sessions.WithHandler(handler);
            AcefoneRestPager pager = session.Page(new AcefoneRestRequest("GET", "/v1/users"));
            var pages = new List<AcefoneRestPage>();
            for (int i = 0; i < 10; i++)
            {
                AcefoneRestPage? page = await pager.NextAsync();
                if (page == null) break;
                pages.Add(page);
            }
            Assert.Equal(3, pages.Count);
            Assert.True(pages[2].IsLast);
            Assert.Contains("last_seen_id 20 again", pages[2].Warning);
            Assert.Equal(new[] { "", "last_seen_id=10", "last_seen_id=20" }, handler.Received.Select(r => r.Request.RequestUri!.Query.TrimStart('?')).ToArray());
        }

        [Fact]
        public async Task Page_paging_asks_for_the_next_page_until_a_short_one()
        {
            var handler = new ScriptedHandler((request, _, n) => ScriptedHandler.Json(200,
                "{\"count\":5,\"limit\":2,\"page\":" + n + ",\"results\":[" + string.Join(",", Enumerable.Range(1, n == 3 ? 1 : 2).Select(i => "{\"i\":" + i + "}")) + "]}"));
            using AcefoneSession session = Sessions.WithHandler(handler);
            var request = new AcefoneRestRequest("GET", "/v1/call/records");
            request.Query.Add(new KeyValuePair<string, object?>("limit", 2));
            AcefoneRestPager pager = session.Page(request);
            int items = 0;
            AcefoneRestPage? page;
            while ((page = await pager.NextAsync()) != null) items += page.Items.Count;
            Assert.Equal(5, items);
            Assert.Equal(new[] { "limit=2", "limit=2&page=2", "limit=2&page=3" }, handler.Received.Select(r => r.Request.RequestUri!.Query.TrimStart('?')).ToArray());
        }

        [Fact]
        public async Task Page_paging_stops_when_the_API_answers_another_page_than_asked()
        {
            var handler = ScriptedHandler.Always(200, "{\"page\":1,\"limit\":1,\"results\":[{\"i\":1}]}");
            using AcefoneSession session = Sessions.WithHandler(handler);
            AcefoneRestPager pager = session.Page(new AcefoneRestRequest("GET", "/v1/notes"));
            Assert.False((await pager.NextAsync())!.IsLast);
            AcefoneRestPage second = (await pager.NextAsync())!;
            Assert.True(second.IsLast);
            Assert.Contains("page 1 when page 2", second.Warning);
            Assert.Null(await pager.NextAsync());
        }
    }
}
