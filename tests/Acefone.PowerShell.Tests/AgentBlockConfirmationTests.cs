using System.Threading.Tasks;
using Xunit;

namespace Acefone.PowerShell.Tests
{
    /// <summary>Blocking takes an agent off the queue: it asks at a prompt by default, never with -Confirm:$false.</summary>
    public class AgentBlockConfirmationTests
    {
        private static Task<(RecordingHost Host, int Results, int Sent)> BlockAsync(string extra) =>
            AnsweredNoRun.RunAsync("Block-AcefoneAgent -AgentId 0502842370005 " + extra, "/v1/agent/0502842370005/block");

        [Fact]
        public async Task Blocking_asks_at_the_default_ConfirmPreference_and_No_sends_nothing()
        {
            var (host, results, sent) = await BlockAsync(string.Empty);
            string prompt = Assert.Single(host.Confirmations);
            Assert.Contains("v1/agent/0502842370005/block", prompt);
            Assert.Equal(0, results);
            Assert.Equal(0, sent);
        }

        [Fact]
        public async Task Confirm_false_never_asks_and_blocks_once()
        {
            var (host, results, sent) = await BlockAsync("-Confirm:$false");
            Assert.Empty(host.Confirmations);
            Assert.Equal(1, results);
            Assert.Equal(1, sent);
        }
    }
}
