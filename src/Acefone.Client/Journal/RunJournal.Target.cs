using System;
using System.Collections.Generic;

namespace Acefone.Client
{
    /// <summary>
    /// Whose the journal is (issue 24 item 2): the target line each writing run records, the refusal of a journal that
    /// went elsewhere, and the rows that act on a call the journal shows acted on with another destination or agent.
    /// </summary>
    public sealed partial class RunJournal
    {
        private Dictionary<string, List<JournalRecord>>? _byCall;

        /// <summary>Where the last run that recorded a target went; null for a journal written before target lines (or a new one).</summary>
        public JournalTarget? RecordedTarget => _history!.LastTarget;

        /// <summary>
        /// Checks that this run goes where the journal's runs went, before anything is sent, and records the target
        /// (unless read-only). A journal of another target throws <see cref="RunJournalException"/> JournalTargetMismatch,
        /// unless <paramref name="allowOtherTarget"/>; a journal with no target line (older) is taken as it is.
        /// </summary>
        public void UseTarget(JournalTarget target, bool allowOtherTarget)
        {
            if (target == null) throw new ArgumentNullException(nameof(target));
            JournalTarget? recorded = RecordedTarget;
            if (recorded != null && !recorded.Equals(target) && !allowOtherTarget)
                throw new RunJournalException("JournalTargetMismatch",
                    $"The journal '{Path}' belongs to runs against {recorded}, and this session goes to {target}. Its rows would be " +
                    "skipped as already sent although this target never saw them. Use a journal of its own for this target; if it " +
                    "really is the same account (a new console token, a login instead of a token), add -IgnoreJournalTarget. Nothing was sent.");
            if (_writer != null && !target.Equals(recorded))
                _writer.WriteOutcome(w => target.Write(w, _run));
        }

        /// <summary>
        /// The latest record of another row acting on the same call with the same operation but another destination or
        /// agent (the CSV was edited), when that row may have acted; null when there is none. The new row is still sent.
        /// </summary>
        public JournalRecord? FindOtherDestination(CallActionRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            Dictionary<string, List<JournalRecord>> byCall = _byCall ??= IndexByCall(_history!.Last.Values);
            if (!byCall.TryGetValue(CallKey(request.JournalOperation, request.CallId), out List<JournalRecord>? records)) return null;
            JournalRecord? found = null;
            foreach (JournalRecord record in records)
            {
                if (!record.BlocksResend) continue;
                if (string.Equals(record.AgentId, request.JournalAgentId, StringComparison.Ordinal) &&
                    string.Equals(record.Intercom, request.JournalIntercom, StringComparison.Ordinal)) continue;
                if (found == null || (record.Time ?? DateTimeOffset.MinValue) > (found.Time ?? DateTimeOffset.MinValue)) found = record;
            }
            return found;
        }

        private static Dictionary<string, List<JournalRecord>> IndexByCall(IEnumerable<JournalRecord> records)
        {
            var index = new Dictionary<string, List<JournalRecord>>(StringComparer.Ordinal);
            foreach (JournalRecord record in records)
            {
                string key = CallKey(record.Operation, record.CallId);
                if (!index.TryGetValue(key, out List<JournalRecord>? list)) index[key] = list = new List<JournalRecord>(1);
                list.Add(record);
            }
            return index;
        }

        private static string CallKey(string operation, string callId) => operation + "\u001f" + callId;
    }
}
