using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Acefone.Simulator;
using Xunit;

namespace Acefone.PowerShell.Tests
{
    /// <summary>
    /// What a new user meets at a prompt and in a runbook: credential prompts only where someone can answer, the
    /// end-of-run summary shown like host output, failed rows that can be run again, honest progress and waits.
    /// </summary>
    public class NewUserTests
    {
        private sealed class Run
        {
            internal Collection<PSObject> Output = new Collection<PSObject>();
            internal List<ErrorRecord> Errors = new List<ErrorRecord>();
            internal List<InformationRecord> Information = new List<InformationRecord>();
            internal Exception? Terminating;
        }

        /// <summary>Runs <paramref name="script"/> with $ModulePath, $BaseUri, $Token and $Ids, in a runspace with <paramref name="host"/> (null: the default host, as in Azure Automation).</summary>
        private static Run Invoke(PSHost? host, SimulatorHost simulator, string script, IEnumerable<string>? ids = null, object[]? extra = null)
        {
            var state = InitialSessionState.CreateDefault2();
            using Runspace runspace = host == null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
            runspace.Open();
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript("param($ModulePath, $BaseUri, $Token, $Ids, $Login, $Password, $Extra)\nImport-Module $ModulePath\n" + script)
              .AddArgument(ModulePaths.Module).AddArgument(simulator.BaseUri).AddArgument(SeedData.ConsoleToken)
              .AddArgument((ids ?? Array.Empty<string>()).ToArray()).AddArgument(SeedData.Email).AddArgument(SeedData.Password).AddArgument(extra);
            var run = new Run();
            try
            {
                run.Output = ps.Invoke();
            }
            catch (RuntimeException ex)
            {
                run.Terminating = ex;
            }
            run.Errors.AddRange(ps.Streams.Error);
            run.Information.AddRange(ps.Streams.Information);
            return run;
        }

        private static string? Summary(IEnumerable<string> lines) => lines.FirstOrDefault(l => Regex.IsMatch(l, @"^\S+-Acefone\S*: \d+ rows?,"));

        // --- -Credential <user name> ---

        [Fact]
        public async Task A_user_name_for_Credential_prompts_for_the_password_in_an_interactive_host_and_connects()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            var host = new PromptingHost(SeedData.Password);
            Run run = Invoke(host, simulator, "Connect-Acefone -BaseUri $BaseUri -Credential $Login -PassThru | ForEach-Object LoginId");
            Assert.Null(run.Terminating);
            Assert.Empty(run.Errors);
            Assert.Equal(new[] { SeedData.Email }, host.CredentialPrompts);
            Assert.Equal(SeedData.Email, Assert.Single(run.Output).BaseObject);
            Assert.Single(simulator.State.GetRequests("/v1/auth/login"));
        }

        [Fact]
        public async Task A_user_name_for_Credential_in_a_non_interactive_host_is_a_clear_error_and_never_a_prompt()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            Run run = Invoke(null, simulator, "Connect-Acefone -BaseUri $BaseUri -Credential $Login");
            Exception error = run.Terminating ?? run.Errors.Select(e => e.Exception).FirstOrDefault() ?? throw new Xunit.Sdk.XunitException("no error");
            Assert.Contains("cannot ask for one", error.Message);
            Assert.Contains("PSCredential", error.Message);
            Assert.Empty(simulator.State.GetRequests("/v1/auth/login"));
        }

        [Fact]
        public async Task A_PSCredential_still_binds_as_it_is_without_a_prompt()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            Run run = Invoke(null, simulator, @"$secure = [securestring]::new(); foreach ($c in $Password.ToCharArray()) { $secure.AppendChar($c) }
                $c = [pscredential]::new($Login, $secure)
                (Connect-Acefone -BaseUri $BaseUri -Credential $c -PassThru).LoginId");
            Assert.Null(run.Terminating);
            Assert.Equal(SeedData.Email, Assert.Single(run.Output).BaseObject);
        }

        // --- the end-of-run summary ---

        private const string Bulk = @"Connect-Acefone -BaseUri $BaseUri -AccessToken $Token
            $rows = $Ids | ForEach-Object { [pscustomobject]@{ call_id = $_; intercom = '8004' } }
            ";

        [Fact]
        public async Task The_summary_is_shown_at_an_interactive_prompt_by_default()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            var host = new PromptingHost();
            Run run = Invoke(host, simulator, Bulk + "$rows | Invoke-AcefoneTransfer", simulator.State.GenerateCalls(3));
            Assert.Equal(3, run.Output.Count);
            Assert.StartsWith("Invoke-AcefoneTransfer: 3 rows, 3 requests, 3 succeeded, 0 failed", Summary(host.Printed));
        }

        [Theory]
        [InlineData("$rows | Invoke-AcefoneTransfer -InformationAction Ignore")]
        [InlineData("$rows | Invoke-AcefoneTransfer 6>$null")]
        public async Task InformationAction_Ignore_or_6_to_null_silences_the_summary(string command)
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            var host = new PromptingHost();
            Run run = Invoke(host, simulator, Bulk + command, simulator.State.GenerateCalls(3));
            Assert.Equal(3, run.Output.Count);
            Assert.Null(Summary(host.Printed));
        }

        [Fact]
        public async Task A_runbook_still_captures_the_summary_in_its_information_stream_with_its_tags()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            Run run = Invoke(null, simulator, Bulk + "$rows | Invoke-AcefoneTransfer", simulator.State.GenerateCalls(3));
            Assert.Equal(3, run.Output.Count);
            InformationRecord summary = Assert.Single(run.Information, i => i.Tags.Contains("Summary"));
            Assert.StartsWith("Invoke-AcefoneTransfer: 3 rows", summary.MessageData.ToString());
            Assert.Contains("Acefone", summary.Tags);
            Assert.Contains("PSHOST", summary.Tags);
        }

        [Fact]
        public async Task A_run_ended_by_AuthenticationFailed_still_shows_its_summary()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            var host = new PromptingHost();
            Run run = Invoke(host, simulator, @"Connect-Acefone -BaseUri $BaseUri -AccessToken 'not-a-valid-token'
                $Ids | ForEach-Object { [pscustomobject]@{ call_id = $_; intercom = '8004' } } | Invoke-AcefoneTransfer", simulator.State.GenerateCalls(3));
            // In a script a cmdlet's terminating error ends its statement and lands in the error stream.
            ErrorRecord error = run.Terminating is IContainsErrorRecord thrown ? thrown.ErrorRecord : Assert.Single(run.Errors);
            Assert.StartsWith("AuthenticationFailed,", error.FullyQualifiedErrorId);
            Assert.Empty(run.Output);
            string? summary = Summary(host.Printed);
            Assert.True(summary != null, string.Join(" | ", host.Printed));
            Assert.Contains("AuthenticationFailed 1", summary);
            Assert.Contains("Stopped by AuthenticationFailed after row 1", summary);
        }

        // --- TargetObject that re-binds ---

        private static Dictionary<string, object?> Shape(object? target) =>
            Assert.IsType<PSObject>(target).Properties.ToDictionary(p => p.Name, p => (object?)p.Value);

        [Fact]
        public async Task An_API_failure_has_the_row_as_given_as_its_target_from_a_prompt_and_from_a_CSV_and_runs_again()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            const string ended = "1714657799.77777777";
            Run run = Invoke(null, simulator, $@"Connect-Acefone -BaseUri $BaseUri -AccessToken $Token
                Invoke-AcefoneTransfer -CallId {ended} -Intercom 9876543210, 8004 -ErrorAction SilentlyContinue -ErrorVariable +prompt
                [pscustomobject]@{{ call_id = '{ended}'; intercom = '9876543210,8004'; note = 'as Import-Csv reads it' }} | Invoke-AcefoneTransfer -ErrorAction SilentlyContinue -ErrorVariable +csv
                Start-AcefoneMonitor -CallId {ended} -AgentId 0502842370001 -ErrorAction SilentlyContinue -ErrorVariable +monitor
                $prompt[0].TargetObject; $csv[0].TargetObject; $monitor[0].TargetObject
                @($prompt) + @($csv) + @($monitor) | ForEach-Object FullyQualifiedErrorId");
            Assert.True(run.Terminating == null, run.Terminating?.Message);
            Assert.Equal(6, run.Output.Count);
            Assert.All(run.Output.Skip(3), id => Assert.StartsWith("CallNotActive,", (string)id.BaseObject));
            // A prompt's target has the parameter names; a piped row is its own target, with the user's own columns.
            Assert.Equal(new Dictionary<string, object?> { ["CallId"] = ended, ["Intercom"] = "9876543210,8004" }, Shape(run.Output[0]));
            Assert.Equal(new Dictionary<string, object?> { ["call_id"] = ended, ["intercom"] = "9876543210,8004", ["note"] = "as Import-Csv reads it" }, Shape(run.Output[1]));
            Assert.Equal(new Dictionary<string, object?> { ["CallId"] = ended, ["AgentId"] = "0502842370001" }, Shape(run.Output[2]));

            // Once the call is live, the targets piped back send exactly what the failed requests sent.
            var sent = simulator.State.GetRequests("/v1/call/options").Select(r => r.Body).ToList();
            simulator.State.AddCall(new LiveCall { CallId = ended });
            Run again = Invoke(null, simulator, @"Connect-Acefone -BaseUri $BaseUri -AccessToken $Token
                $Extra[0] | Invoke-AcefoneTransfer
                $Extra[1] | Start-AcefoneMonitor", extra: new object[] { run.Output[0], run.Output[2] });
            Assert.Empty(again.Errors);
            Assert.Equal(2, again.Output.Count);
            var resent = simulator.State.GetRequests("/v1/call/options").Select(r => r.Body).Skip(3).ToList();
            Assert.Equal(new[] { sent[0], sent[2] }, resent);
        }

        // --- progress ---

        [Fact]
        public async Task Progress_counts_only_requests_in_flight_and_with_an_array_piped_in_shows_percent()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            simulator.State.UpdateConfig(c => c with { LatencyMs = 30 });
            var host = new PromptingHost();
            Run run = Invoke(host, simulator, Bulk + "$rows | Invoke-AcefoneTransfer -ThrottleLimit 2", simulator.State.GenerateCalls(40));
            Assert.Equal(40, run.Output.Count);
            List<ProgressRecord> progress = host.Progress.Where(p => p.Activity == "Invoke-AcefoneTransfer" && p.RecordType == ProgressRecordType.Processing).ToList();
            Assert.NotEmpty(progress);
            foreach (ProgressRecord record in progress)
            {
                Match m = Regex.Match(record.StatusDescription, @"^(\d+) of 40 rows done, (\d+) in flight$");
                Assert.True(m.Success, record.StatusDescription);
                Assert.InRange(int.Parse(m.Groups[2].Value), 0, 2);
                Assert.Equal(int.Parse(m.Groups[1].Value) * 100 / 40, record.PercentComplete);
            }
        }

        [Fact]
        public async Task Progress_from_a_command_has_no_total_and_counts_failures()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            simulator.State.UpdateConfig(c => c with { LatencyMs = 30 });
            var host = new PromptingHost();
            Run run = Invoke(host, simulator, @"Connect-Acefone -BaseUri $BaseUri -AccessToken $Token
                $Ids | ForEach-Object { [pscustomobject]@{ call_id = $_; intercom = '8004' } } | Invoke-AcefoneTransfer -ThrottleLimit 3 -ErrorAction SilentlyContinue",
                simulator.State.GenerateCalls(30).Select((id, i) => i % 5 == 0 ? "1700000000." + i : id));
            Assert.Equal(24, run.Output.Count);
            List<ProgressRecord> progress = host.Progress.Where(p => p.Activity == "Invoke-AcefoneTransfer" && p.RecordType == ProgressRecordType.Processing).ToList();
            Assert.NotEmpty(progress);
            Assert.All(progress, p => Assert.Matches(@"^(1 row|\d+ rows) done( \(\d+ failed\))?, [0-3] in flight$", p.StatusDescription));
            Assert.All(progress, p => Assert.Equal(-1, p.PercentComplete));
        }

        // --- rate-limit wait ---

        [Fact]
        public async Task The_rate_limit_wait_is_wall_clock_time_so_parallel_waits_never_exceed_the_elapsed_time()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            Run run = Invoke(null, simulator, @"Connect-Acefone -BaseUri $BaseUri -AccessToken $Token -MaxRequestsPerSecond 20
                $Ids | ForEach-Object { [pscustomobject]@{ call_id = $_; intercom = '8004' } } | Invoke-AcefoneTransfer -ThrottleLimit 8", simulator.State.GenerateCalls(30));
            Assert.Equal(30, run.Output.Count);
            string summary = Assert.Single(run.Information, i => i.Tags.Contains("Summary")).MessageData.ToString()!;
            Match m = Regex.Match(summary, @"([\d.]+) s waiting on the rate limit \((\d+) requests? held\), ([\d.]+) s elapsed");
            Assert.True(m.Success, summary);
            double waited = double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            double elapsed = double.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(int.Parse(m.Groups[2].Value), 1, 30);
            // A sum over 8 parallel waiters is several times the run's length; the time with one held cannot be.
            Assert.True(waited <= elapsed + 0.1, summary);
            Assert.True(waited > 0, summary);
        }
    }
}
