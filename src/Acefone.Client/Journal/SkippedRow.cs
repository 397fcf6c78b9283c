using System;

namespace Acefone.Client
{
    /// <summary>
    /// How a row the run journal skips is reported: as a result object (Status AlreadySent) that says what the earlier
    /// run's outcome was and when, not as an error, so a restarted run under ErrorAction Stop goes on to the rows after it.
    /// </summary>
    internal static class SkippedRow
    {
        internal static EarlierOutcome Outcome(JournalRecord earlier)
        {
            switch (earlier.State)
            {
                case JournalState.Succeeded: return EarlierOutcome.Succeeded;
                case JournalState.Sending: return EarlierOutcome.SentWithoutAnswer;
                default: return EarlierOutcome.OutcomeUnknown;
            }
        }

        /// <summary>Only an earlier success is known; the other outcomes need a person to check the call.</summary>
        internal static bool Succeeded(JournalRecord earlier) => earlier.State == JournalState.Succeeded;

        /// <summary>When the journal recorded the row's last state, in UTC (a line without a readable time: the minimum).</summary>
        internal static DateTime Time(JournalRecord earlier) => earlier.Time?.UtcDateTime ?? DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);
    }
}
