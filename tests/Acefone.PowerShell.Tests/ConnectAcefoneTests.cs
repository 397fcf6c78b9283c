using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;
using Acefone.PowerShell.Commands;
using Acefone.Simulator;
using Xunit;

namespace Acefone.PowerShell.Tests
{
    /// <summary>
    /// Connect-Acefone's login waits as every other cmdlet waits (AcefoneEngineCmdlet): Debug lines follow
    /// $DebugPreference as well as -Debug, and a fault that is not the engine's own arrives as an ErrorRecord with a
    /// stable ErrorId, not as an AggregateException.
    /// </summary>
    public class ConnectAcefoneTests
    {
        private sealed class Run
        {
            internal List<PSObject> Output = new List<PSObject>();
            internal List<string> Debug = new List<string>();
            internal List<ErrorRecord> Errors = new List<ErrorRecord>();
        }

        private static async Task<Run> RunAsync(string script, string loginId = SeedData.LoginId)
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            using Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = runspace;
            var password = new System.Security.SecureString();
            foreach (char c in SeedData.Password) password.AppendChar(c);
            ps.AddScript(@"param($ModulePath, $BaseUri, $Credential)
                Import-Module $ModulePath
                " + script)
              .AddArgument(ModulePaths.Module).AddArgument(simulator.BaseUri).AddArgument(new PSCredential(loginId, password));
            var run = new Run();
            run.Output.AddRange(ps.Invoke());
            run.Debug.AddRange(ps.Streams.Debug.Select(d => d.Message));
            run.Errors.AddRange(ps.Streams.Error);
            return run;
        }

        [Fact]
        public async Task DebugPreference_Continue_without_Debug_shows_the_logins_debug_lines_as_other_cmdlets_show_theirs()
        {
            Run run = await RunAsync(@"
                $DebugPreference = 'Continue'
                Connect-Acefone -BaseUri $BaseUri -Credential $Credential
                $null = Get-AcefoneDepartment");
            Assert.Empty(run.Errors);
            // The engine's lines, not only the cmdlet's own "Credential source" line.
            Assert.Contains(run.Debug, line => line.Contains("v1/auth/login") && line.Contains("body:"));
            Assert.Contains(run.Debug, line => line.Contains("v1/departments") && line.Contains("answer 200"));
            Assert.DoesNotContain(run.Debug, line => line.Contains(SeedData.Password));
        }

        [Fact]
        public async Task Debug_false_still_hides_the_debug_lines()
        {
            Run run = await RunAsync(@"
                $DebugPreference = 'Continue'
                Connect-Acefone -BaseUri $BaseUri -Credential $Credential -Debug:$false");
            Assert.Empty(run.Errors);
            Assert.DoesNotContain(run.Debug, line => line.Contains("v1/auth/login"));
        }

        [Fact]
        public async Task A_fault_that_is_not_the_engines_arrives_as_an_UnexpectedError_record_not_an_AggregateException()
        {
            string loginId = "fault-" + Guid.NewGuid().ToString("n");
            var faults = ConnectAcefoneCommand.LoginForTest ??= new ConcurrentDictionary<string, Exception>();
            faults[loginId] = new InvalidOperationException("a fault in the module");
            try
            {
                Run run = await RunAsync(@"
                    try { Connect-Acefone -BaseUri $BaseUri -Credential $Credential -ErrorAction Stop } catch { $_ }
                    Get-AcefoneSession", loginId);
                ErrorRecord record = Assert.IsType<ErrorRecord>(run.Output.First().BaseObject);
                Assert.IsNotType<AggregateException>(record.Exception);
                Assert.IsType<InvalidOperationException>(record.Exception);
                Assert.Equal("a fault in the module", record.Exception.Message);
                Assert.StartsWith(ErrorRecords.UnexpectedError + ",", record.FullyQualifiedErrorId);
                Assert.Equal(loginId, record.TargetObject);
                // The failed session was not made the default.
                Assert.Single(run.Output);
            }
            finally
            {
                faults.TryRemove(loginId, out _);
            }
        }
    }
}
