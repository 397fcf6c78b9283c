using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;
using Acefone.Simulator;
using Xunit;

namespace Acefone.PowerShell.Tests
{
    /// <summary>What a confirmation prompt shows: the exact body, even though unseen ShouldProcess texts leave it out.</summary>
    public class ConfirmationTests
    {
        private static async Task<(RecordingHost Host, int Results, int Sent)> TransferAsync(string confirmPreference)
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            string id = simulator.State.GenerateCalls(1)[0];
            var host = new RecordingHost("AcefoneInteractiveTestHost", confirmAnswer: "&No");
            using Runspace runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
            runspace.Open();
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript(@"param($ModulePath, $BaseUri, $Token, $Id, $Preference)
                Import-Module $ModulePath
                Connect-Acefone -BaseUri $BaseUri -AccessToken $Token
                $ConfirmPreference = $Preference
                Invoke-AcefoneTransfer -CallId $Id -Intercom 8004")
              .AddArgument(ModulePaths.Module).AddArgument(simulator.BaseUri).AddArgument(SeedData.ConsoleToken).AddArgument(id).AddArgument(confirmPreference);
            var output = ps.Invoke();
            Assert.False(ps.HadErrors, string.Join("; ", ps.Streams.Error.Select(e => e.ToString())));
            return (host, output.Count, simulator.State.GetRequests("/v1/call/options").Count);
        }

        [Fact]
        public async Task A_ConfirmPreference_at_Medium_asks_with_the_exact_body_and_No_sends_nothing()
        {
            var (host, results, sent) = await TransferAsync("Medium");
            string prompt = Assert.Single(host.Confirmations);
            Assert.Matches(@"\{""type"":4,""call_id"":""[^""]+"",""intercom"":""8004""\}", prompt);
            Assert.Equal(0, results);
            Assert.Equal(0, sent);
        }

        [Fact]
        public async Task The_default_ConfirmPreference_does_not_ask_and_sends_once()
        {
            var (host, results, sent) = await TransferAsync("High");
            Assert.Empty(host.Confirmations);
            Assert.Equal(1, results);
            Assert.Equal(1, sent);
        }
    }
}
