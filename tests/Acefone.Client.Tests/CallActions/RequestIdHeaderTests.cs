using System.Net.Http;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>A result's RequestId: the body's request_id, else the answer's X-Request-Id header.</summary>
    public class RequestIdHeaderTests
    {
        private static ScriptedHandler Answer(string body, string? header) => new ScriptedHandler((_, _, _) =>
        {
            HttpResponseMessage answer = ScriptedHandler.Json(200, body);
            if (header != null) answer.Headers.TryAddWithoutValidation("X-Request-Id", header);
            return answer;
        });

        [Fact]
        public async Task A_hangup_whose_body_has_no_request_id_takes_the_header()
        {
            using AcefoneSession session = Sessions.WithHandler(Answer("{\"success\":true,\"message\":\"Call hung up\"}", " req-7f3a "));
            CallHangupResult result = await session.HangupCallAsync(CallHangupRequest.Create("1.2"));
            Assert.Equal("req-7f3a", result.RequestId);
        }

        [Fact]
        public async Task A_call_option_prefers_the_bodys_request_id_and_falls_back_to_the_header()
        {
            using (AcefoneSession session = Sessions.WithHandler(Answer("{\"success\":true,\"message\":\"Transfer request initiated\",\"request_id\":\"body-1\"}", "header-1")))
                Assert.Equal("body-1", (await session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004"))).RequestId);
            using (AcefoneSession session = Sessions.WithHandler(Answer("{\"success\":true,\"message\":\"Transfer request initiated\"}", "header-2")))
                Assert.Equal("header-2", (await session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004"))).RequestId);
            using (AcefoneSession session = Sessions.WithHandler(Answer("{\"success\":true,\"message\":\"Transfer request initiated\"}", null)))
                Assert.Null((await session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004"))).RequestId);
            using (AcefoneSession session = Sessions.WithHandler(Answer("{\"success\":true,\"message\":\"Transfer request initiated\"}", "   ")))
                Assert.Null((await session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004"))).RequestId);
        }
    }
}
