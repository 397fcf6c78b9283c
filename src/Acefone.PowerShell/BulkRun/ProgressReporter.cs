using System;
using System.Diagnostics;
using System.Management.Automation;

namespace Acefone.PowerShell
{
    /// <summary>Write-Progress for bulk runs: at most four updates a second, and none where nobody can see it.</summary>
    internal sealed class ProgressReporter
    {
        private static readonly long MinInterval = Stopwatch.Frequency / 4;
        private readonly Cmdlet? _cmdlet;
        private readonly ProgressRecord? _record;
        private readonly Stopwatch _started = Stopwatch.StartNew();
        private long _lastWrite;
        private bool _written;

        /// <summary>How many rows the run has, when that is known before it starts (an array piped in); enables percent and ETA.</summary>
        internal long? Total { get; set; }

        internal ProgressReporter(PSCmdlet cmdlet, string activity, bool enabled)
        {
            if (!enabled) return;
            _cmdlet = cmdlet;
            _record = new ProgressRecord(Math.Abs(activity.GetHashCode() % 100000) + 1, activity, "Starting");
        }

        internal static ProgressReporter Disabled(PSCmdlet cmdlet) => new ProgressReporter(cmdlet, "none", false);

        /// <summary>Progress only where a person watches: not with $ProgressPreference SilentlyContinue, nor in hosted or non-interactive runspaces (Automation, -NonInteractive).</summary>
        internal static bool ShouldShow(object? progressPreference, string? hostName, string[] commandLine)
        {
            string preference = progressPreference?.ToString() ?? "Continue";
            if (preference.Equals("SilentlyContinue", StringComparison.OrdinalIgnoreCase) || preference.Equals("Ignore", StringComparison.OrdinalIgnoreCase))
                return false;
            if (hostName == null || hostName == "Default Host" || hostName == "ServerRemoteHost") return false;
            foreach (string argument in commandLine)
            {
                if (argument.Length >= 4 && "-noninteractive".StartsWith(argument, StringComparison.OrdinalIgnoreCase) && argument.StartsWith("-noni", StringComparison.OrdinalIgnoreCase))
                    return false;
            }
            return true;
        }

        /// <param name="done">Rows written so far, failures included.</param>
        /// <param name="failed">Of those, how many failed.</param>
        /// <param name="inFlight">Requests sent and not yet answered.</param>
        /// <param name="callId">The call just sent, if any.</param>
        internal void Report(long done, long failed, int inFlight, string? callId)
        {
            if (_record == null || _cmdlet == null) return;
            long now = Stopwatch.GetTimestamp();
            if (_written && now - _lastWrite < MinInterval) return;
            _lastWrite = now;
            _written = true;
            _record.StatusDescription = Describe(done, failed, inFlight, Total, _started.Elapsed, out int percent, out int secondsRemaining);
            _record.PercentComplete = percent;
            _record.SecondsRemaining = secondsRemaining;
            if (callId != null) _record.CurrentOperation = $"Call {callId}";
            _cmdlet.WriteProgress(_record);
        }

        /// <summary>The status line, and percent and seconds remaining (-1: unknown) when the total is known.</summary>
        internal static string Describe(long done, long failed, int inFlight, long? total, TimeSpan elapsed, out int percent, out int secondsRemaining)
        {
            percent = -1;
            secondsRemaining = -1;
            string failures = failed > 0 ? $" ({failed} failed)" : string.Empty;
            if (total is long all && all > 0)
            {
                percent = (int)Math.Min(100, done * 100 / all);
                // The rate so far, over what is left: a rough ETA, and none before the first row is done.
                if (done > 0 && done < all) secondsRemaining = (int)Math.Ceiling(elapsed.TotalSeconds / done * (all - done));
                return $"{done} of {Counted.Rows(all)} done{failures}, {inFlight} in flight";
            }
            return $"{Counted.Rows(done)} done{failures}, {inFlight} in flight";
        }

        /// <summary>For downloads: files done, in flight, and bytes received.</summary>
        internal void ReportFiles(long done, int inFlight, long bytes)
        {
            if (_record == null || _cmdlet == null) return;
            long now = Stopwatch.GetTimestamp();
            if (_written && now - _lastWrite < MinInterval) return;
            _lastWrite = now;
            _written = true;
            _record.StatusDescription = $"{done} files done, {inFlight} in flight, {bytes / (1024.0 * 1024.0):0.0} MB received";
            _cmdlet.WriteProgress(_record);
        }

        internal void Complete()
        {
            if (_record == null || _cmdlet == null || !_written) return;
            _record.RecordType = ProgressRecordType.Completed;
            _cmdlet.WriteProgress(_record);
            _written = false;
        }
    }
}
