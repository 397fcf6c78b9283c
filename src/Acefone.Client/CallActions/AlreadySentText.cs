namespace Acefone.Client
{
    /// <summary>The Message of a row the run journal skipped: short, so the default table's Message column shows it whole (the time is in Timestamp).</summary>
    internal static class AlreadySentText
    {
        internal static string Message(EarlierOutcome outcome)
        {
            switch (outcome)
            {
                case EarlierOutcome.Succeeded: return "AlreadySent: succeeded earlier";
                case EarlierOutcome.SentWithoutAnswer: return "AlreadySent: sent, no answer";
                default: return "AlreadySent: outcome unknown";
            }
        }
    }
}
