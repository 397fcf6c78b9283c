using System;
using System.Collections.Generic;
using System.Linq;
using Acefone.Client;
using Xunit;

namespace Acefone.PowerShell.Tests
{
    /// <summary>The bulk runs' counters and summary line, with the clock and the request counts injected.</summary>
    public class RunSummaryTests
    {
        private static RunSummary NewSummary(RequestCounts? requests = null, double elapsedSeconds = 12.34) =>
            new RunSummary(() => requests ?? new RequestCounts(0, 0, TimeSpan.Zero, 0), () => TimeSpan.FromSeconds(elapsedSeconds));

        private static void AssertAddsUp(RunSummary summary)
        {
            Assert.Equal(summary.Rows, summary.Succeeded + summary.Failed + summary.AlreadySent + summary.Declined);
            Assert.Equal(summary.Failed, summary.Failures.Values.Sum());
            Assert.Equal(summary.Seen, summary.Rows + summary.Open + summary.Stopped);
            Assert.Equal(summary.Stopped, summary.StoppedWithoutAnswer + summary.StoppedUnwritten + summary.StoppedNotSent);
            Assert.Equal(summary.Done, summary.Succeeded + summary.Failed);
            Assert.True(summary.Open >= 0, "no row ends twice");
            Assert.True(summary.Sent <= summary.Seen, "only rows seen are sent");
        }

        [Fact]
        public void Counters_add_up_in_every_path_a_row_can_end_by()
        {
            var random = new Random(16);
            RunSummary summary = NewSummary();
            var kinds = (AcefoneErrorKind[])Enum.GetValues(typeof(AcefoneErrorKind));
            var expected = new Dictionary<string, long>();
            long succeeded = 0, declined = 0, skipped = 0, stillOpen = 0, noAnswer = 0, unwritten = 0, notSent = 0;
            for (int i = 0; i < 2000; i++)
            {
                long row = summary.RowSeen();
                Assert.Equal(i + 1, row);
                switch (random.Next(9))
                {
                    case 6:
                        // Left behind by a stop: sent with no answer, answered but not written, or refused and never sent.
                        summary.RowSent();
                        summary.RowStopped(sent: true, answered: false);
                        noAnswer++;
                        break;
                    case 7:
                        summary.RowSent();
                        summary.RowStopped(sent: true, answered: true);
                        unwritten++;
                        break;
                    case 8:
                        summary.RowStopped(sent: false, answered: false);
                        notSent++;
                        break;
                    case 0:
                        summary.RowSent();
                        summary.RowSucceeded();
                        succeeded++;
                        break;
                    case 1:
                        AcefoneErrorKind kind = kinds[random.Next(kinds.Length)];
                        if (random.Next(2) == 0) summary.RowSent();
                        summary.RowFailed(kind);
                        if (kind == AcefoneErrorKind.AlreadySent) skipped++;
                        else expected[kind.ToString()] = (expected.TryGetValue(kind.ToString(), out long n) ? n : 0) + 1;
                        break;
                    case 2:
                        summary.RowSent();
                        summary.RowFailed(ErrorRecords.UnexpectedError);
                        expected[ErrorRecords.UnexpectedError] = (expected.TryGetValue(ErrorRecords.UnexpectedError, out long u) ? u : 0) + 1;
                        break;
                    case 3:
                        summary.RowDeclined();
                        declined++;
                        break;
                    case 4:
                        summary.RowFailed(AcefoneErrorKind.AlreadySent);
                        skipped++;
                        break;
                    default:
                        // Sent and still in flight when the run is stopped: it never ends here (the stop report names it).
                        summary.RowSent();
                        stillOpen++;
                        break;
                }
                AssertAddsUp(summary);
            }
            Assert.Equal(succeeded, summary.Succeeded);
            Assert.Equal(declined, summary.Declined);
            Assert.Equal(skipped, summary.AlreadySent);
            Assert.Equal(stillOpen, summary.Open);
            Assert.Equal(noAnswer, summary.StoppedWithoutAnswer);
            Assert.Equal(unwritten, summary.StoppedUnwritten);
            Assert.Equal(notSent, summary.StoppedNotSent);
            Assert.True(noAnswer > 0 && unwritten > 0 && notSent > 0 && stillOpen > 0, "every path was taken");
            Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), summary.Failures.Select(f => new KeyValuePair<string, long>(f.Key, f.Value)));
            Assert.Equal(expected.TryGetValue("InvalidInput", out long invalid) ? invalid : 0, summary.InvalidInput);
        }

        [Fact]
        public void The_line_lists_failures_by_ErrorId_in_ordinal_order_with_the_requests_and_elapsed_time()
        {
            RunSummary summary = NewSummary(new RequestCounts(9, 2, TimeSpan.FromSeconds(1.26), 3));
            for (int i = 0; i < 6; i++) summary.RowSeen();
            summary.RowSucceeded();
            summary.RowSucceeded();
            summary.RowFailed(AcefoneErrorKind.InvalidInput);
            summary.RowFailed(AcefoneErrorKind.CallNotActive);
            summary.RowFailed(AcefoneErrorKind.CallNotActive);
            summary.RowDeclined();
            Assert.Equal("Invoke-AcefoneTransfer: 6 rows, 9 requests, 2 succeeded, 3 failed (CallNotActive 2, InvalidInput 1), 2 retried, " +
                         "1.3 s waiting on the rate limit (3 requests held), 12.3 s elapsed.", summary.Text("Invoke-AcefoneTransfer"));
        }

        [Fact]
        public void No_failures_and_no_hold_leave_their_parentheses_out_and_one_hold_is_singular()
        {
            RunSummary summary = NewSummary(new RequestCounts(2, 0, TimeSpan.Zero, 0), 0.04);
            summary.RowSucceeded();
            summary.RowSucceeded();
            Assert.Equal("Stop-AcefoneCall: 2 rows, 2 requests, 2 succeeded, 0 failed, 0 retried, 0.0 s waiting on the rate limit, 0.0 s elapsed.",
                summary.Text("Stop-AcefoneCall"));
            RunSummary held = NewSummary(new RequestCounts(2, 0, TimeSpan.FromSeconds(0.5), 1), 1);
            Assert.Contains("0.5 s waiting on the rate limit (1 request held), 1.0 s elapsed.", held.Text("X"));
        }

        [Fact]
        public void A_stopped_run_names_what_stopped_it_and_after_which_row()
        {
            RunSummary summary = NewSummary();
            summary.RowSucceeded();
            summary.RowFailed(AcefoneErrorKind.AuthenticationFailed);
            Assert.EndsWith(", 12.3 s elapsed. Stopped by AuthenticationFailed after row 2: no further row was sent.",
                summary.Text("Invoke-AcefoneTransfer", "AuthenticationFailed"));
        }

        [Fact]
        public void Rows_already_sent_are_skips_not_failures_and_the_journal_part_counts_them()
        {
            RunSummary summary = NewSummary();
            summary.RowFailed(AcefoneErrorKind.AlreadySent);
            summary.RowFailed(RunSummary.AlreadySentId);
            summary.RowSucceeded();
            Assert.Equal(0, summary.Failed);
            Assert.Equal(2, summary.AlreadySent);
            Assert.DoesNotContain("Journal", summary.Text("X"));
            summary.UseJournal("/tmp/run.jsonl", readOnly: false);
            Assert.EndsWith("elapsed. Journal '/tmp/run.jsonl': 2 rows skipped as already sent (2 succeeded earlier, 0 with no known outcome).", summary.Text("X"));
            summary.UseJournal("/tmp/run.jsonl", readOnly: true);
            Assert.EndsWith("elapsed. Journal '/tmp/run.jsonl' (read only: -WhatIf): 2 rows skipped as already sent (2 succeeded earlier, 0 with no known outcome).", summary.Text("X"));
            Assert.Contains("3 rows, 0 requests, 1 succeeded, 0 failed,", summary.Text("X"));
        }

        [Fact]
        public void Skipped_rows_with_no_known_earlier_outcome_are_counted_apart_and_are_not_failures()
        {
            RunSummary summary = NewSummary();
            summary.UseJournal("/tmp/run.jsonl", readOnly: false);
            summary.RowAlreadySent(succeeded: true);
            summary.RowAlreadySent(succeeded: false);
            summary.RowAlreadySent(succeeded: false);
            summary.RowSucceeded();
            Assert.Equal(3, summary.AlreadySent);
            Assert.Equal(2, summary.AlreadySentUnknown);
            Assert.Equal(0, summary.Failed);
            Assert.Equal(4, summary.Rows);
            Assert.Contains("4 rows, 0 requests, 1 succeeded, 0 failed,", summary.Text("X"));
            Assert.EndsWith("Journal '/tmp/run.jsonl': 3 rows skipped as already sent (1 succeeded earlier, 2 with no known outcome).", summary.Text("X"));
        }

        [Fact]
        public void The_request_counts_and_the_clock_are_read_when_the_line_is_written()
        {
            long requests = 0;
            double seconds = 0;
            var summary = new RunSummary(() => new RequestCounts(requests, 0, TimeSpan.Zero, 0), () => TimeSpan.FromSeconds(seconds));
            requests = 5;
            seconds = 3;
            Assert.Contains("0 rows, 5 requests,", summary.Text("X"));
            Assert.Contains("3.0 s elapsed.", summary.Text("X"));
        }

        [Fact]
        public void Rows_left_by_a_stop_are_not_rows_of_the_summary_line()
        {
            RunSummary summary = NewSummary();
            for (int i = 0; i < 4; i++) summary.RowSeen();
            summary.RowSucceeded();
            summary.RowStopped(sent: true, answered: false);
            summary.RowStopped(sent: true, answered: true);
            summary.RowStopped(sent: false, answered: true);   // never sent: its "answer" is our own refusal
            Assert.Equal(0, summary.Open);
            Assert.Equal(1, summary.StoppedNotSent);
            Assert.Contains(": 1 rows, 0 requests, 1 succeeded, 0 failed,", summary.Text("X"));
        }

        [Fact]
        public void A_failure_has_an_ErrorId()
        {
            RunSummary summary = NewSummary();
            Assert.Throws<ArgumentException>(() => summary.RowFailed(""));
            Assert.Equal(0, summary.Rows);
        }
    }
}

namespace Acefone.PowerShell.Tests
{
    using System.IO;
    using System.Management.Automation;
    using System.Management.Automation.Runspaces;
    using System.Text.RegularExpressions;
    using System.Threading.Tasks;
    using Acefone.Simulator;

    /// <summary>Through the cmdlet: every row of a mixed run is counted once, whatever path it ends by and whatever the -ThrottleLimit.</summary>
    public class RunSummaryThroughTheCmdletTests
    {
        private static readonly Regex Line = new Regex(@"^Invoke-AcefoneTransfer: (\d+) rows, (\d+) requests, (\d+) succeeded, (\d+) failed(?: \(([^)]*)\))?.*?(?:: (\d+) rows skipped as already sent \(\d+ succeeded earlier, \d+ with no known outcome\)\.)?$");

        [Theory]
        [InlineData(1)]
        [InlineData(4)]
        public async Task A_mixed_run_counts_each_row_once(int throttleLimit)
        {
            string journal = Path.Combine(Path.GetTempPath(), "acefone-summary-" + Guid.NewGuid().ToString("n") + ".jsonl");
            try
            {
                await using SimulatorHost simulator = await SimulatorHost.StartAsync();
                string[] ids = simulator.State.GenerateCalls(12).ToArray();
                using Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
                runspace.Open();
                using var ps = System.Management.Automation.PowerShell.Create();
                ps.Runspace = runspace;
                // 2 rows sent by an earlier run with the journal; then 12 live rows (those 2 among them), an empty call id,
                // an exact duplicate, and a call that is not live.
                ps.AddScript(@"param($ModulePath, $BaseUri, $Token, $Ids, $Journal, $Throttle)
                    $ProgressPreference = 'SilentlyContinue'
                    Import-Module $ModulePath
                    Connect-Acefone -BaseUri $BaseUri -AccessToken $Token
                    $Ids[0..1] | ForEach-Object { [pscustomobject]@{ call_id = $_; intercom = '8004' } } | Invoke-AcefoneTransfer -JournalPath $Journal -InformationAction Ignore | Out-Null
                    $rows = @($Ids | ForEach-Object { [pscustomobject]@{ call_id = $_; intercom = '8004' } })
                    $rows += [pscustomobject]@{ call_id = ''; intercom = '8004' }
                    $rows += [pscustomobject]@{ call_id = $Ids[5]; intercom = '8004' }
                    $rows += [pscustomobject]@{ call_id = '999999.12345'; intercom = '8004' }
                    $rows | Invoke-AcefoneTransfer -JournalPath $Journal -ThrottleLimit $Throttle -ErrorAction SilentlyContinue -InformationVariable info | Out-Null
                    $info | Where-Object { $_.Tags -contains 'Summary' } | ForEach-Object { $_.MessageData.ToString() }")
                  .AddArgument(ModulePaths.Module).AddArgument(simulator.BaseUri).AddArgument(SeedData.ConsoleToken).AddArgument(ids)
                  .AddArgument(journal).AddArgument(throttleLimit);
                string summary = Assert.Single(ps.Invoke()).ToString();
                Match m = Line.Match(summary);
                Assert.True(m.Success, summary);
                long rows = long.Parse(m.Groups[1].Value), succeeded = long.Parse(m.Groups[3].Value), failed = long.Parse(m.Groups[4].Value);
                long skipped = m.Groups[6].Success ? long.Parse(m.Groups[6].Value) : -1;
                Assert.Equal(15, rows);
                Assert.Equal(10, succeeded);
                Assert.Equal(2, skipped);
                Assert.Equal(3, failed);
                Assert.Equal(rows, succeeded + failed + skipped);
                long byKind = m.Groups[5].Value.Split(", ").Sum(part => long.Parse(part.Substring(part.LastIndexOf(' ') + 1)));
                Assert.Equal(failed, byKind);
                Assert.Contains("InvalidInput 2", m.Groups[5].Value);
            }
            finally
            {
                try { File.Delete(journal); } catch (IOException) { }
            }
        }
    }
}
