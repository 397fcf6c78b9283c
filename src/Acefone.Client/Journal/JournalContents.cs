using System.Collections.Generic;

namespace Acefone.Client
{
    /// <summary>What <see cref="JournalReader"/> found: one record per row, in the order rows first appear, and what it skipped.</summary>
    public sealed class JournalContents
    {
        internal JournalContents(IReadOnlyList<JournalRecord> rows, IReadOnlyList<string> warnings, IReadOnlyList<JournalTarget> targets)
        {
            Rows = rows;
            Warnings = warnings;
            Targets = targets;
        }

        /// <summary>Each target the journal recorded, in order; the last is whose it is now (journals older than target lines have none).</summary>
        public IReadOnlyList<JournalTarget> Targets { get; }

        /// <summary>Each row's last record: its state now.</summary>
        public IReadOnlyList<JournalRecord> Rows { get; }

        /// <summary>A torn last line, lines that are not records.</summary>
        public IReadOnlyList<string> Warnings { get; }
    }
}
