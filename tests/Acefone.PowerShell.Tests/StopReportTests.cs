using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Acefone.Simulator;
using Xunit;

namespace Acefone.PowerShell.Tests
{
    /// <summary>
    /// A run stopped part-way (PowerShell's Stop(), an upstream failure; Select-Object -First, which this SDK host lacks, is in tests/pester/Journal.Tests.ps1) names at the host every row
    /// it sent without a known outcome: each row the simulator processed is in the output, an error, or that report,
    /// and with -JournalPath the journal records those rows as unknown.
    /// </summary>
    public sealed class StopReportTests : IDisposable
    {
        private static readonly TimeSpan Backstop = TimeSpan.FromSeconds(90);
        private readonly string _journal = Path.Combine(Path.GetTempPath(), "acefone-stop-" + Guid.NewGuid().ToString("n") + ".jsonl");

        public void Dispose()
        {
            try { File.Delete(_journal); } catch (IOException) { }
        }

        private sealed class Outcome
        {
            internal HashSet<string> Output = new HashSet<string>();
            internal HashSet<string> Errors = new HashSet<string>();
            internal HashSet<string> Reported = new HashSet<string>();
            internal HashSet<string> ReportedNoAnswer = new HashSet<string>();
            internal HashSet<string> Processed = new HashSet<string>();
            internal List<string> Warnings = new List<string>();
            internal List<string> Lines = new List<string>();
            internal List<string> ErrorText = new List<string>();
        }

        /// <summary>Runs <paramref name="pipeline"/> (with $Rows, $Journal) in a runspace on a recording host; <paramref name="stop"/> decides when to call Stop().</summary>
        private async Task<Outcome> RunAsync(string pipeline, int rows, int latencyMs, Func<PSDataCollection<PSObject>, SimulatorState, bool>? stopWhen)
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            simulator.State.UpdateConfig(c => c with { LatencyMs = latencyMs });
            string[] ids = simulator.State.GenerateCalls(rows).ToArray();
            var host = new RecordingHost("AcefoneStopTestHost");
            using Runspace runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
            runspace.Open();
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript(@"param($ModulePath, $BaseUri, $Token, $Ids, $Journal)
                $ProgressPreference = 'SilentlyContinue'
                Import-Module $ModulePath
                Connect-Acefone -BaseUri $BaseUri -AccessToken $Token
                $Rows = foreach ($id in $Ids) { [pscustomobject]@{ call_id = $id; intercom = '8004' } }
                " + pipeline)
              .AddArgument(ModulePaths.Module).AddArgument(simulator.BaseUri).AddArgument(SeedData.ConsoleToken).AddArgument(ids).AddArgument(_journal);
            var output = new PSDataCollection<PSObject>();
            IAsyncResult running = ps.BeginInvoke<PSObject, PSObject>(null, output);
            if (stopWhen != null)
            {
                DateTime until = DateTime.UtcNow + Backstop;
                while (!stopWhen(output, simulator.State) && !running.IsCompleted && DateTime.UtcNow < until) await Task.Delay(10);
                Assert.False(running.IsCompleted, "the run ended before the test could stop it");
                ps.Stop();
            }
            Assert.True(running.AsyncWaitHandle.WaitOne(Backstop), "the run did not end");
            try { ps.EndInvoke(running); } catch (RuntimeException) { }   // stopped, or the upstream failure

            var outcome = new Outcome();
            foreach (PSObject item in output.ToList())
            {
                if (item?.Properties["CallId"]?.Value is string callId) outcome.Output.Add(callId);
            }
            foreach (ErrorRecord error in ps.Streams.Error)
            {
                outcome.ErrorText.Add(error.ToString());
                if (error.TargetObject is PSObject row && row.Properties["call_id"]?.Value is string callId) outcome.Errors.Add(callId);
            }
            lock (host.Warnings) outcome.Warnings.AddRange(host.Warnings);
            lock (host.Lines) outcome.Lines.AddRange(host.Lines);
            foreach (string line in outcome.Warnings.Where(w => w.Contains(" stopped: ")))
            {
                if (!line.Contains("no known outcome") && !line.Contains("could not be written")) continue;
                string list = line.Substring(line.LastIndexOf(": ", StringComparison.Ordinal) + 2);
                foreach (string entry in list.Split(new[] { ", " }, StringSplitOptions.RemoveEmptyEntries))
                {
                    string id = entry.Split(' ')[0];
                    outcome.Reported.Add(id);
                    if (line.Contains("no known outcome")) outcome.ReportedNoAnswer.Add(id);
                }
            }
            // The simulator may still be finishing cancelled requests: let them land before reading its log.
            DateTime settle = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (simulator.State.GetRequests("/v1/call/options").Any(r => !r.Completed) && DateTime.UtcNow < settle) await Task.Delay(50);
            foreach (RecordedRequest request in simulator.State.GetRequests("/v1/call/options").Where(r => r.Processed))
            {
                using JsonDocument body = JsonDocument.Parse(request.Body);
                outcome.Processed.Add(body.RootElement.GetProperty("call_id").GetString()!);
            }
            Assert.Equal(0, simulator.State.GetStats().DuplicateProcessed);
            return outcome;
        }

        private static void AssertEveryProcessedRowAccountedFor(Outcome outcome)
        {
            var accounted = new HashSet<string>(outcome.Output.Concat(outcome.Errors).Concat(outcome.Reported));
            string[] missing = outcome.Processed.Where(id => !accounted.Contains(id)).ToArray();
            Assert.True(missing.Length == 0, $"processed by the API but nowhere in output, errors or the stop report: {string.Join(", ", missing)}; warnings: {string.Join(" | ", outcome.Warnings)}");
        }

        private Dictionary<string, string> JournalStates()
        {
            var last = new Dictionary<string, string>();
            foreach (string line in File.ReadAllLines(_journal).Where(l => l.Length > 0))
            {
                using JsonDocument record = JsonDocument.Parse(line);
                // Row lines only: the run's target line (base URI, account) has no callId.
                if (!record.RootElement.TryGetProperty("callId", out JsonElement callId)) continue;
                last[callId.GetString()!] = record.RootElement.GetProperty("state").GetString()!;
            }
            return last;
        }

        [Fact]
        public async Task Stop_reports_the_rows_in_flight_and_the_journal_records_them_as_unknown()
        {
            Outcome outcome = await RunAsync("$Rows | Invoke-AcefoneTransfer -ThrottleLimit 8 -JournalPath $Journal", 300, 150,
                (output, state) => output.Count >= 10);
            Assert.NotEmpty(outcome.ReportedNoAnswer);
            AssertEveryProcessedRowAccountedFor(outcome);
            Dictionary<string, string> journal = JournalStates();
            foreach (string id in outcome.ReportedNoAnswer) Assert.Equal("unknown", journal[id]);
            foreach (string id in outcome.Output) Assert.Equal("succeeded", journal[id]);
            Assert.Contains(outcome.Warnings, w => w.Contains(_journal));
            // The run let its journal go: the next run can write it.
            using var again = Acefone.Client.RunJournal.Open(_journal, readOnly: false);
        }

        [Fact]
        public async Task Stop_without_a_journal_still_reports_at_the_host()
        {
            Outcome outcome = await RunAsync("$Rows | Invoke-AcefoneTransfer -ThrottleLimit 8", 300, 150,
                (output, state) => output.Count >= 5);
            Assert.NotEmpty(outcome.ReportedNoAnswer);
            AssertEveryProcessedRowAccountedFor(outcome);
        }

        [Fact]
        public async Task Ctrl_C_ends_with_the_summary_line_of_what_went_through_before_the_stop()
        {
            Outcome outcome = await RunAsync("$Rows | Invoke-AcefoneTransfer -ThrottleLimit 4", 300, 150,
                (output, state) => output.Count >= 5);
            string summary = Assert.Single(outcome.Lines, l => l.StartsWith("Invoke-AcefoneTransfer: ", StringComparison.Ordinal));
            Match counts = Regex.Match(summary, @"^Invoke-AcefoneTransfer: (\d+) rows?, \d+ requests?, (\d+) succeeded, 0 failed.* Stopped by Ctrl\+C after row \1: no further row was sent\.$");
            Assert.True(counts.Success, summary);
            // It counts the rows written before the stop (and the one being written when it came, if any).
            int succeeded = int.Parse(counts.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(succeeded, outcome.Output.Count, outcome.Output.Count + 1);
            Assert.True(outcome.Output.Count >= 5);
        }

        [Fact]
        public async Task An_upstream_failure_reports_the_rows_left_in_flight()
        {
            Outcome outcome = await RunAsync(
                "& { $i = 0; foreach ($row in $Rows) { $row; if (++$i -eq 40) { throw 'the CSV reader failed' } } } | Invoke-AcefoneTransfer -ThrottleLimit 8 -JournalPath $Journal",
                100, 1000, null);   // answers slower than a loaded machine's producer, so rows are in flight when it throws
            Assert.NotEmpty(outcome.ReportedNoAnswer);
            AssertEveryProcessedRowAccountedFor(outcome);
            Dictionary<string, string> journal = JournalStates();
            foreach (string id in outcome.ReportedNoAnswer) Assert.Equal("unknown", journal[id]);
        }
    }
}
