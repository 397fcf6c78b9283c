using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>
    /// Polls the live calls (GET /v1/live_calls) every -Interval through the session's rate limiter and writes one
    /// event per change: Started, Changed, Ended. Runs until Ctrl+C, -For, or a downstream command that stops it
    /// (Select-Object -First). A failed poll is a warning and the watch goes on; only AuthenticationFailed ends it.
    /// </summary>
    [Cmdlet(VerbsCommon.Watch, "AcefoneLiveCall")]
    [OutputType(typeof(AcefoneLiveCallEvent))]
    public sealed class WatchAcefoneLiveCallCommand : LiveCallFilterCmdlet
    {
        /// <summary>Time from one poll's start to the next (a TimeSpan, or seconds). At least 1 s; default 5 s.</summary>
        [Parameter]
        [SecondsTransformation]
        [ValidateMinimumTimeSpan(1)]
        public TimeSpan Interval { get; set; } = LiveCallWatchOptions.DefaultInterval;

        /// <summary>Ends the watch after this long (a TimeSpan, or seconds). Without it, the watch runs until stopped.</summary>
        [Parameter]
        [SecondsTransformation]
        [ValidateMinimumTimeSpan(0.001)]
        public TimeSpan? For { get; set; }

        /// <summary>Calls already live at the first poll are not written as Started.</summary>
        [Parameter]
        public SwitchParameter SkipExisting { get; set; }

        /// <summary>A call whose duration passes one of these between two polls is written as Changed, with Duration in Changes.</summary>
        [Parameter]
        [SecondsTransformation]
        [ValidateMinimumTimeSpan(1)]
        public TimeSpan[]? DurationThreshold { get; set; }

        protected override void EndProcessing()
        {
            AcefoneSession session = ResolveSession();
            var filter = Filter();
            var watch = new LiveCallWatch(session, new LiveCallWatchOptions
            {
                Interval = Interval,
                Filter = filter,
                SkipExisting = SkipExisting.IsPresent,
                DurationThresholds = DurationThreshold,
            });
            Stopwatch elapsed = Stopwatch.StartNew();
            TimeSpan? limit = For;

            while (true)
            {
                TimeSpan delay = watch.DelayBeforeNextPoll(DateTime.UtcNow);
                if (limit.HasValue && elapsed.Elapsed + delay >= limit.Value)
                {
                    // The next poll would fall after -For: wait out the rest, and send nothing more.
                    TimeSpan rest = limit.Value - elapsed.Elapsed;
                    if (rest > TimeSpan.Zero) Wait(Task.Delay(rest, StopToken));
                    break;
                }
                if (delay > TimeSpan.Zero) Wait(Task.Delay(delay, StopToken));

                LiveCallPoll poll;
                // A poll the rate limiter holds back past -For is dropped there: nothing is sent after the end.
                TimeSpan left = limit.HasValue ? limit.Value - elapsed.Elapsed : TimeSpan.MaxValue;
                if (left <= TimeSpan.Zero) break;
                using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(StopToken))
                {
                    if (limit.HasValue) deadline.CancelAfter(left);
                    try
                    {
                        poll = Wait(watch.PollAsync(Observer, deadline.Token));
                    }
                    catch (OperationCanceledException) when (deadline.IsCancellationRequested && !StopToken.IsCancellationRequested)
                    {
                        break;
                    }
                    catch (AcefoneException ex)
                    {
                        // Only AuthenticationFailed reaches here: no later poll could succeed.
                        ThrowTerminatingError(ErrorRecords.From(ex, filter));
                        return;
                    }
                    catch (ObjectDisposedException)
                    {
                        // Disconnect-Acefone (from another runspace) closed the session under the watch.
                        ThrowTerminatingError(ErrorRecords.NotConnectedRecord());
                        return;
                    }
                }
                WriteVerbose(poll.ToString());
                if (poll.Failure != null)
                {
                    WriteWarning(LiveCallWatch.DescribeFailure(poll));
                    continue;
                }
                if (poll.ResumedAfterFailures > 0) WriteWarning(LiveCallWatch.DescribeResume(poll));
                foreach (AcefoneLiveCallEvent e in poll.Events) WriteObject(e);
            }
            WriteInformation(watch.Summary(MyInvocation.MyCommand.Name, elapsed.Elapsed), new[] { "Acefone", "Summary" });
        }
    }
}
