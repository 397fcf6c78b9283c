using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;
using Acefone.Simulator;
using Xunit;

namespace Acefone.PowerShell.Tests
{
    public class ProgressTests
    {
        private sealed class Run
        {
            internal List<ProgressRecord> Progress = new List<ProgressRecord>();
            internal int Results;
            internal TimeSpan Elapsed;
        }

        private static async Task<Run> TransferAsync(RecordingHost? host, string preference, int rows, int latencyMs)
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            simulator.State.UpdateConfig(c => c with { LatencyMs = latencyMs });
            IReadOnlyList<string> ids = simulator.State.GenerateCalls(rows);
            var state = InitialSessionState.CreateDefault2();
            using Runspace runspace = host == null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
            runspace.Open();
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript(@"param($ModulePath, $BaseUri, $Token, $Ids, $Preference)
                $ProgressPreference = $Preference
                Import-Module $ModulePath
                Connect-Acefone -BaseUri $BaseUri -AccessToken $Token
                $Ids | ForEach-Object { [pscustomobject]@{ call_id = $_; intercom = '8004' } } | Invoke-AcefoneTransfer -ThrottleLimit 2")
              .AddArgument(ModulePaths.Module).AddArgument(simulator.BaseUri).AddArgument(SeedData.ConsoleToken).AddArgument(ids.ToArray()).AddArgument(preference);
            var clock = Stopwatch.StartNew();
            var output = ps.Invoke();
            clock.Stop();
            Assert.False(ps.HadErrors, string.Join("; ", ps.Streams.Error.Select(e => e.ToString())));
            var run = new Run { Results = output.Count, Elapsed = clock.Elapsed };
            run.Progress.AddRange(host?.Progress ?? ps.Streams.Progress.ToList());
            return run;
        }

        [Fact]
        public async Task An_interactive_host_sees_throttled_progress_that_ends_completed()
        {
            var host = new RecordingHost("AcefoneInteractiveTestHost");
            Run run = await TransferAsync(host, "Continue", 60, 20);
            Assert.Equal(60, run.Results);
            List<ProgressRecord> progress = run.Progress.Where(p => p.Activity == "Invoke-AcefoneTransfer").ToList();
            Assert.NotEmpty(progress);
            Assert.Equal(ProgressRecordType.Completed, progress.Last().RecordType);
            Assert.Contains(progress, p => p.StatusDescription.Contains("rows done") && p.CurrentOperation != null && p.CurrentOperation.StartsWith("Call "));
            // At most about four a second, plus the final Completed record: an upper bound, not a timing.
            Assert.InRange(progress.Count, 1, (int)Math.Ceiling(run.Elapsed.TotalSeconds * 4) + 2);
            Assert.True(progress.Count < 60, "progress must not be written once per row");
        }

        [Fact]
        public async Task Nothing_when_ProgressPreference_is_SilentlyContinue()
        {
            var host = new RecordingHost("AcefoneInteractiveTestHost");
            Run run = await TransferAsync(host, "SilentlyContinue", 30, 20);
            Assert.Equal(30, run.Results);
            Assert.DoesNotContain(run.Progress, p => p.Activity == "Invoke-AcefoneTransfer");
        }

        [Fact]
        public async Task Nothing_in_a_hosted_runspace_with_the_default_host_as_in_Azure_Automation()
        {
            Run run = await TransferAsync(null, "Continue", 30, 20);
            Assert.Equal(30, run.Results);
            Assert.DoesNotContain(run.Progress, p => p.Activity == "Invoke-AcefoneTransfer");
        }

        [Theory]
        [InlineData("Continue", "ConsoleHost", new string[0], true)]
        [InlineData("SilentlyContinue", "ConsoleHost", new string[0], false)]
        [InlineData("Ignore", "ConsoleHost", new string[0], false)]
        [InlineData("Continue", "Default Host", new string[0], false)]
        [InlineData("Continue", "ServerRemoteHost", new string[0], false)]
        [InlineData("Continue", "ConsoleHost", new[] { "pwsh", "-NonInteractive", "-File", "x.ps1" }, false)]
        [InlineData("Continue", "ConsoleHost", new[] { "pwsh", "-noni" }, false)]
        [InlineData("Continue", "ConsoleHost", new[] { "pwsh", "-NoProfile" }, true)]
        public void ShouldShow_follows_the_preference_and_the_host(string preference, string hostName, string[] commandLine, bool expected)
        {
            Assert.Equal(expected, ProgressReporter.ShouldShow(preference, hostName, commandLine));
        }
    }
}
