using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// Issue 24 item 6: where the answer decides whether a row may be sent again, only the documented outcomes count.
    /// An unreadable or contradictory outcome is InvalidResponse that may have acted (never Rejected, which invites a
    /// resend), and the request is not sent again.
    /// </summary>
    public class StrictOutcomeTests
    {
        [Theory]
        [InlineData("{\"success\":-1,\"message\":\"Transfer request initiated\"}")]
        [InlineData("{\"success\":2,\"message\":\"Transfer request initiated\"}")]
        [InlineData("{\"success\":1.0}")]
        [InlineData("{\"success\":\"yes\"}")]
        [InlineData("{\"success\":false,\"message\":\"Agent is not available\",\"success\":true}")]
        [InlineData("{\"success\":true,\"message\":\"Transfer request initiated\",\"success\":false}")]
        [InlineData("{\"Success\":\"false\",\"success\":1}")]
        public async Task A_call_option_whose_outcome_cannot_be_read_may_have_acted(string body)
        {
            var handler = ScriptedHandler.Always(200, body);
            using AcefoneSession session = Sessions.WithHandler(handler);

            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004")));

            Assert.Equal(AcefoneErrorKind.InvalidResponse, error.Kind);
            Assert.True(error.MayHaveActed);
            Assert.Equal(1, handler.Count);
        }

        [Theory]
        [InlineData("{\"success\":false,\"success\":true}")]
        [InlineData("{\"success\":2}")]
        public async Task A_hangup_whose_outcome_cannot_be_read_may_have_acted(string body)
        {
            var handler = ScriptedHandler.Always(200, body);
            using AcefoneSession session = Sessions.WithHandler(handler);

            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.HangupCallAsync(CallHangupRequest.Create("1.2")));

            Assert.Equal(AcefoneErrorKind.InvalidResponse, error.Kind);
            Assert.True(error.MayHaveActed);
            Assert.Equal(1, handler.Count);
        }

        [Theory]
        [InlineData("{\"success\":1}")]
        [InlineData("{\"success\":\"1\"}")]
        [InlineData("{\"success\":\"true\",\"success\":true}")]
        public async Task The_documented_true_forms_are_success(string body)
        {
            using AcefoneSession session = Sessions.WithHandler(ScriptedHandler.Always(200, body));

            CallOptionResult result = await session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004"));

            Assert.True(result.Success);
        }

        [Theory]
        [InlineData("{\"success\":0}")]
        [InlineData("{\"success\":\"false\",\"success\":false}")]
        public async Task The_documented_false_forms_are_rejected(string body)
        {
            using AcefoneSession session = Sessions.WithHandler(ScriptedHandler.Always(200, body));

            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004")));

            Assert.Equal(AcefoneErrorKind.Rejected, error.Kind);
        }
    }
}
