using System;

namespace Acefone.Client
{
    /// <summary>A record's start and end with their offsets, and whether the account's clock left the offset undecided.</summary>
    internal readonly struct RecordTimes
    {
        internal RecordTimes(DateTimeOffset started, DateTimeOffset? ended, bool ambiguous)
        {
            Started = started;
            Ended = ended;
            Ambiguous = ambiguous;
        }

        internal DateTimeOffset Started { get; }
        internal DateTimeOffset? Ended { get; }
        /// <summary>A wall-clock time fell in the hour the clocks went back and nothing in the record told which it was.</summary>
        internal bool Ambiguous { get; }
    }
}
