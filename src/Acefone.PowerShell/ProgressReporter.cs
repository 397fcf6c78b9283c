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
        private long _lastWrite;
        private bool _written;

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

        internal void Report(long done, int inFlight, string? callId)
        {
            if (_record == null || _cmdlet == null) return;
            long now = Stopwatch.GetTimestamp();
            if (_written && now - _lastWrite < MinInterval) return;
            _lastWrite = now;
            _written = true;
            _record.StatusDescription = $"{done} rows done, {inFlight} in flight";
            if (callId != null) _record.CurrentOperation = $"Call {callId}";
            _cmdlet.WriteProgress(_record);
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
