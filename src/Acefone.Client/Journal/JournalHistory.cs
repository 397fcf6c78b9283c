using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Acefone.Client
{
    /// <summary>What earlier runs left in a journal: each row's last record, and what reading skipped over.</summary>
    internal sealed class JournalHistory
    {
        private JournalHistory()
        {
        }

        /// <summary>Each row's last record, by <see cref="CallActionRequest.DuplicateKey"/>.</summary>
        internal Dictionary<string, JournalRecord> Last { get; } = new Dictionary<string, JournalRecord>(StringComparer.Ordinal);

        /// <summary>A torn last line, lines that are not records.</summary>
        internal List<string> Warnings { get; } = new List<string>();

        /// <summary>Where the last run that recorded one went (its target line); null for a journal older than target lines.</summary>
        internal JournalTarget? LastTarget { get; private set; }

        /// <summary>Whether the stored bytes are empty or end with a newline (else the next append starts with one).</summary>
        internal bool EndsWithNewline { get; private set; } = true;

        /// <summary>Reads every line of <paramref name="content"/> (null: no journal yet); <paramref name="name"/> goes into the warnings.</summary>
        internal static JournalHistory Read(Stream? content, string name)
        {
            var history = new JournalHistory();
            if (content == null) return history;
            using (content)
            {
                if (content.Length == 0) return history;
                content.Seek(-1, SeekOrigin.End);
                history.EndsWithNewline = content.ReadByte() == '\n';
                content.Seek(0, SeekOrigin.Begin);
                using (var reader = new StreamReader(content, new UTF8Encoding(false), false, 65536, leaveOpen: true))
                {
                    long number = 0;
                    string? line;
                    while ((line = reader.ReadLine()) != null)
                    {
                        number++;
                        if (line.Trim().Length == 0) continue;
                        bool last = reader.Peek() < 0;
                        JournalRecord? record = JournalLines.Parse(line, out string? key);
                        if (record != null && key != null)
                            history.Last[key] = record;
                        else if (JournalTarget.Parse(line) is JournalTarget target)
                            history.LastTarget = target;
                        else if (last && !history.EndsWithNewline)
                            history.Warnings.Add($"The journal '{name}' ends with a torn line {number} (the run that wrote it was cut off); it was ignored.");
                        else
                            history.Warnings.Add($"Line {number} of the journal '{name}' is not a journal record; it was ignored.");
                    }
                }
            }
            return history;
        }
    }
}
