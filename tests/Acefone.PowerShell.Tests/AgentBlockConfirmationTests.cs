using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;
using Acefone.Simulator;
using Xunit;

namespace Acefone.PowerShell.Tests
{
    /// <summary>Blocking takes an agent off the queue: it asks at a prompt by default, never with -Confirm:$false.</summary>
    public class AgentBlockConfirmationTests
    {
        private static async Task<(RecordingHost Host, int Results, int Sent)> BlockAsync(string extra)
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            var host = new RecordingHost("AcefoneInteractiveTestHost", confirmAnswer: "&No");
            using Runspace runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
            runspace.Open();
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript(@"param($ModulePath, $BaseUri, $Token)
                Import-Module $ModulePath
                Connect-Acefone -BaseUri $BaseUri -AccessToken $Token
                Block-AcefoneAgent -AgentId 0502842370005 " + extra)
              .AddArgument(ModulePaths.Module).AddArgument(simulator.BaseUri).AddArgument(SeedData.ConsoleToken);
            var output = ps.Invoke();
            Assert.False(ps.HadErrors, string.Join("; ", ps.Streams.Error.Select(e => e.ToString())));
            return (host, output.Count, simulator.State.GetRequests("/v1/agent/0502842370005/block").Count);
        }

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
