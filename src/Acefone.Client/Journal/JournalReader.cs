using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Acefone.Client
{
    /// <summary>
    /// Reads a run journal for a person (Get-AcefoneJournal): every row's last record, keyed as a re-run keys them, so
    /// what it shows is what a re-run would skip. Never takes the writer's lock and never writes: it can read a journal
    /// while a run writes it.
    /// </summary>
    public static class JournalReader
    {
        /// <summary>Reads a journal file; throws <see cref="RunJournalException"/> (JournalUnavailable) when it cannot be read.</summary>
        public static JournalContents ReadFile(string path)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("A journal path is required.", nameof(path));
            using (var store = new FileJournalStore(System.IO.Path.GetFullPath(path))) return Read(store);
        }

        /// <summary>Reads what <paramref name="store"/> holds, without its writer's lock (a run may be writing it).</summary>
        internal static JournalContents Read(IJournalStore store)
        {
            Stream? content = store.OpenRead();
            if (content == null) throw new RunJournalException("JournalUnavailable", $"The journal '{store.Name}' does not exist.");
            using (content) return Read(content, store.Name);
        }

        /// <summary>Reads journal lines from <paramref name="stream"/>; <paramref name="name"/> names it in warnings.</summary>
        public static JournalContents Read(Stream stream, string name)
        {
            if (stream == null) throw new ArgumentNullException(nameof(stream));
            var rows = new List<JournalRecord>();
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var warnings = new List<string>();
            var targets = new List<JournalTarget>();
            using (var reader = new StreamReader(stream, new UTF8Encoding(false), false, 65536, leaveOpen: true))
            {
                long number = 0;
                string? line;
                string? pending = null;
                long pendingNumber = 0;
                // One line behind, so the last line is known as last (a torn one is the writer cut off, not damage).
                while ((line = reader.ReadLine()) != null)
                {
                    number++;
                    if (pending != null) Take(pending, pendingNumber, last: false);
                    pending = line;
                    pendingNumber = number;
                }
                if (pending != null) Take(pending, pendingNumber, last: true);
            }
            return new JournalContents(rows, warnings, targets);

            void Take(string text, long lineNumber, bool last)
            {
                if (text.Trim().Length == 0) return;
                JournalRecord? record = JournalLines.Parse(text, out string? key);
                if (record != null && key != null)
                {
                    if (index.TryGetValue(key, out int at)) rows[at] = record;
                    else
                    {
                        index[key] = rows.Count;
                        rows.Add(record);
                    }
                }
                else if (JournalTarget.Parse(text) is JournalTarget target)
                {
                    targets.Add(target);
                }
                else
                {
                    warnings.Add(last
                        ? $"The last line ({lineNumber}) of the journal '{name}' is not a whole record (a run cut off while writing it, or damage); it was ignored."
                        : $"Line {lineNumber} of the journal '{name}' is not a journal record; it was ignored.");
                }
            }
        }
    }
}
