using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;
using Acefone.Simulator;
using Xunit;

namespace Acefone.PowerShell.Tests
{
    /// <summary>
    /// Issue 24 item 7: Connect-Acefone against a login that never answers says it is waiting, sends the login at
    /// most twice, and ends with a clear NetworkError within about twice -TimeoutSec (asserted loosely: the rule is
    /// the attempt count).
    /// </summary>
    public class ConnectTimeoutTests
    {
        [Fact]
        public async Task A_login_that_never_answers_is_tried_twice_and_ends_in_a_NetworkError_that_Verbose_announced()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            simulator.State.Containment = new ContainmentFaults { LoginNeverAnswers = true };
            using Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = runspace;
            var password = new System.Security.SecureString();
            foreach (char c in SeedData.Password) password.AppendChar(c);
            ps.AddScript(@"param($ModulePath, $BaseUri, $Credential)
                Import-Module $ModulePath
                Connect-Acefone -BaseUri $BaseUri -Credential $Credential -TimeoutSec 2 -MaxRetries 5 -Verbose")
              .AddArgument(ModulePaths.Module).AddArgument(simulator.BaseUri).AddArgument(new PSCredential(SeedData.Email, password));

            var clock = Stopwatch.StartNew();
            ps.Invoke();
            clock.Stop();

            ErrorRecord error = Assert.Single(ps.Streams.Error);
            Assert.StartsWith("NetworkError", error.FullyQualifiedErrorId);
            Assert.Contains("no answer within 2 s", error.ToString());
            Assert.Contains(ps.Streams.Verbose, v => v.Message.Contains("waiting up to 2 s"));
            Assert.Equal(2, simulator.State.GetRequests("/v1/auth/login").Count);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(40), $"took {clock.Elapsed}");
        }
    }
}
