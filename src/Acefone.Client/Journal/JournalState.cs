namespace Acefone.Client
{
    /// <summary>What a journal line says about a row. The names are written in camelCase and are stable.</summary>
    public enum JournalState
    {
        /// <summary>Written before the request leaves: it may have acted even if no later line says so.</summary>
        Sending,
        Succeeded,
        /// <summary>The API certainly did not act (refused, 429/503 after every retry, nothing sent): a re-run sends it again.</summary>
        Failed,
        /// <summary>It may have acted: no answer, an unreadable answer, a 5xx other than 503, or cut off by a stop.</summary>
        Unknown,
    }
}
