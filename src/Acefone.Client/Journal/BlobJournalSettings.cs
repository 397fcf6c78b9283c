using System;

namespace Acefone.Client
{
    /// <summary>The blob journal's limits and timings. <see cref="Default"/> is what runs use; tests set shorter ones.</summary>
    internal sealed class BlobJournalSettings
    {
        internal static BlobJournalSettings Default { get; set; } = new BlobJournalSettings();

        /// <summary>The lease's length, 15 to 60 s: how long a restarted job waits for a dead run's lease.</summary>
        internal int LeaseSeconds { get; set; } = 60;

        /// <summary>How long to wait for a held lease before JournalLocked: a little over the longest lease.</summary>
        internal TimeSpan LeaseWait { get; set; } = TimeSpan.FromSeconds(70);

        /// <summary>Appends one blob takes before the journal continues in the next (the service's limit is 50,000).</summary>
        internal int MaxAppendsPerBlob { get; set; } = 50000;

        /// <summary>How long one storage request may take.</summary>
        internal TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Attempts of one append when no answer came or the service was briefly unavailable (5xx, 408).</summary>
        internal int AppendAttempts { get; set; } = 3;

        /// <summary>Reads an environment variable (IDENTITY_ENDPOINT, IDENTITY_HEADER).</summary>
        internal Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;
    }
}
