namespace Acefone.Client
{
    /// <summary>What this run did with a row that has a result object.</summary>
    public enum CallActionStatus
    {
        /// <summary>Sent now, and the API accepted it.</summary>
        Sent,
        /// <summary>Not sent: the run journal shows an earlier run sent it (see EarlierOutcome).</summary>
        AlreadySent,
    }
}
