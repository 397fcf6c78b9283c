using System;
using System.Management.Automation;
using System.Threading;

namespace Acefone.PowerShell
{
    /// <summary>
    /// What every Acefone cmdlet shares, Connect-Acefone included (it makes sessions, so it has no -Session): waiting on
    /// engine work on the pipeline thread, Ctrl+C, and the engine's Verbose and Debug lines, which follow -Verbose and
    /// -Debug or else $VerbosePreference and $DebugPreference.
    /// </summary>
    public abstract class AcefoneEngineCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private PipelineObserver? _observer;

        protected CancellationToken StopToken => _stopping.Token;

        /// <summary>Reports import-time problems at first use. Overrides call base.BeginProcessing() first.</summary>
        protected override void BeginProcessing() => ImportProblems.ReportOnce(this);

        internal PipelineObserver Observer => _observer ??= new PipelineObserver(IsSwitchOn("Verbose", "VerbosePreference", StreamShown), IsSwitchOn("Debug", "DebugPreference", StreamShown));

        /// <summary>Writes what the engine logged from other threads. Pipeline thread only.</summary>
        protected internal void FlushLog() => _observer?.Flush(this);

        /// <summary>Runs engine work to completion on the pipeline thread; Ctrl+C cancels it.</summary>
        protected T Wait<T>(System.Threading.Tasks.Task<T> task)
        {
            try
            {
                try
                {
                    while (!task.Wait(200, StopToken)) FlushLog();
                }
                catch (AggregateException)
                {
                    // GetResult below rethrows the engine's own exception rather than the wrapper.
                }
                FlushLog();
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        protected void Wait(System.Threading.Tasks.Task task) => Wait(Wrap(task));

        /// <summary>
        /// Returns once one of <paramref name="tasks"/> has finished (the ordered work queue's wait), writing the
        /// engine's log and <paramref name="whileWaiting"/> meanwhile. Ctrl+C, or <paramref name="cancel"/>, ends the
        /// wait as a stopped pipeline. Pipeline thread only.
        /// </summary>
        internal void WaitAny(System.Threading.Tasks.Task[] tasks, CancellationToken cancel, Action? whileWaiting, int pollMilliseconds)
        {
            try
            {
                while (System.Threading.Tasks.Task.WaitAny(tasks, pollMilliseconds, cancel) < 0)
                {
                    FlushLog();
                    whileWaiting?.Invoke();
                }
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
        }

        private static async System.Threading.Tasks.Task<bool> Wrap(System.Threading.Tasks.Task task)
        {
            await task.ConfigureAwait(false);
            return true;
        }

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>The switch when it was given; otherwise what its preference variable says, read by <paramref name="preferenceSaysOn"/>.</summary>
        private protected bool IsSwitchOn(string switchName, string preferenceVariable, Func<object?, bool> preferenceSaysOn)
        {
            if (MyInvocation.BoundParameters.TryGetValue(switchName, out object? bound))
                return bound is SwitchParameter sw ? sw.IsPresent : LanguagePrimitives.IsTrue(bound);
            return preferenceSaysOn(SessionState.PSVariable.GetValue(preferenceVariable));
        }

        /// <summary>An ActionPreference ($VerbosePreference, $DebugPreference) that lets its stream through.</summary>
        private static bool StreamShown(object? preference) =>
            preference is ActionPreference action
                ? action != ActionPreference.SilentlyContinue && action != ActionPreference.Ignore
                : preference != null && !string.Equals(preference.ToString(), "SilentlyContinue", StringComparison.OrdinalIgnoreCase)
                  && !string.Equals(preference.ToString(), "Ignore", StringComparison.OrdinalIgnoreCase);

        public void Dispose()
        {
            Dispose(true);
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>PowerShell disposes every command when its pipeline ends, also when it ended early.</summary>
        protected virtual void Dispose(bool disposing)
        {
        }
    }
}
