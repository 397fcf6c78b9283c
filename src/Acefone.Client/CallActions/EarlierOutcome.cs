namespace Acefone.Client
{
    /// <summary>What the run journal knows of a row an earlier run sent: why a re-run skips it.</summary>
    public enum EarlierOutcome
    {
        /// <summary>The API accepted it.</summary>
        Succeeded,
        /// <summary>It may have acted: no answer, an unreadable answer, a 5xx other than 503, or cut off by a stop.</summary>
        OutcomeUnknown,
        /// <summary>Its sending line is the last: that run was stopped or killed before the answer. It may have acted.</summary>
        SentWithoutAnswer,
    }
}
