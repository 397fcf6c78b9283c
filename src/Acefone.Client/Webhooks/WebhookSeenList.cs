using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;

namespace Acefone.Client
{
    /// <summary>
    /// A file of delivery keys already acted on, one per line, so a runbook started twice by one delivery acts once.
    /// Checking and adding a key happen under an exclusive handle on the file: two jobs started by the same delivery
    /// at the same moment cannot both see it as new.
    /// </summary>
    public static class WebhookSeenList
    {
        private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

        /// <summary>
        /// Adds <paramref name="key"/> to the file and returns true, or returns false when the file already holds it.
        /// With <paramref name="readOnly"/> (-WhatIf) only checks. Throws <see cref="RunJournalException"/> when the file cannot be used.
        /// </summary>
        public static bool TryAdd(string path, string key, bool readOnly = false)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("A seen-list path is required.", nameof(path));
            if (string.IsNullOrEmpty(key) || key.IndexOfAny(new[] { '\r', '\n' }) >= 0) throw new ArgumentException("A delivery key is one line of text.", nameof(key));
            string full = Path.GetFullPath(path);
            if (readOnly)
            {
                if (!File.Exists(full)) return true;
                return !Contains(ReadLines(full), key);
            }
            using (FileStream file = OpenExclusive(full))
            {
                var lines = new List<string>();
                using (var reader = new StreamReader(file, new UTF8Encoding(false), false, 4096, leaveOpen: true))
                {
                    string? line;
                    while ((line = reader.ReadLine()) != null) lines.Add(line);
                }
                if (Contains(lines, key)) return false;
                file.Seek(0, SeekOrigin.End);
                bool needsNewline = file.Length > 0 && !EndsWithNewline(file);
                byte[] bytes = Encoding.UTF8.GetBytes((needsNewline ? "\n" : string.Empty) + key + "\n");
                file.Seek(0, SeekOrigin.End);
                file.Write(bytes, 0, bytes.Length);
                file.Flush(flushToDisk: true);
                return true;
            }
        }

        private static bool Contains(IEnumerable<string> lines, string key)
        {
            foreach (string line in lines)
            {
                if (string.Equals(line.Trim(), key, StringComparison.Ordinal)) return true;
            }
            return false;
        }

        private static bool EndsWithNewline(FileStream file)
        {
            file.Seek(-1, SeekOrigin.End);
            return file.ReadByte() == '\n';
        }

        private static IEnumerable<string> ReadLines(string path)
        {
            try
            {
                return File.ReadAllLines(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new RunJournalException("SeenListUnavailable", $"The seen list '{path}' cannot be read: {ex.Message}", ex);
            }
        }

        private static FileStream OpenExclusive(string path)
        {
            string? folder = Path.GetDirectoryName(path);
            if (folder != null && !Directory.Exists(folder))
                throw new RunJournalException("SeenListUnavailable", $"The seen list's folder '{folder}' does not exist.");
            DateTime giveUp = DateTime.UtcNow + LockWait;
            while (true)
            {
                try
                {
                    return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (UnauthorizedAccessException ex)
                {
                    throw new RunJournalException("SeenListUnavailable", $"The seen list '{path}' cannot be opened: {ex.Message}", ex);
                }
                catch (IOException ex) when (!(ex is FileNotFoundException) && !(ex is DirectoryNotFoundException))
                {
                    // Another job holds it for the moment it takes to check and add one key.
                    if (DateTime.UtcNow > giveUp)
                        throw new RunJournalException("SeenListLocked", $"The seen list '{path}' stayed in use by another run for {LockWait.TotalSeconds:0} seconds.", ex);
                    Thread.Sleep(50);
                }
            }
        }
    }
}
