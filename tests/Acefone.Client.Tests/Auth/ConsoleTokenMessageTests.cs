using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>A refused console token says what happened (nothing was renewed) and what to do.</summary>
    public class ConsoleTokenMessageTests
    {
        [Fact]
        public async Task A_refused_console_token_says_to_issue_a_new_one_and_check_the_scheme_not_that_a_fresh_one_failed()
        {
            var handler = ScriptedHandler.Always(401, "{\"message\":\"Unauthenticated.\"}");
            using AcefoneSession session = Sessions.WithHandler(handler);
            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004")));
            Assert.Equal(AcefoneErrorKind.AuthenticationFailed, error.Kind);
            Assert.Equal(1, handler.Count);
            Assert.DoesNotContain("fresh one", error.Message);
            Assert.Contains("cannot be renewed", error.Message);
            Assert.Contains("API Connect", error.Message);
            Assert.Contains("-AuthScheme", error.Message);
        }
    }
}
