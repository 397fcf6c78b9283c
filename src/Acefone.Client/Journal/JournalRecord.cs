using System;

namespace Acefone.Client
{
    /// <summary>One journal line as read back.</summary>
    public sealed class JournalRecord
    {
        internal JournalRecord(JournalState state, string operation, string callId, string? agentId, string? intercom, long row,
            DateTimeOffset? time, string? errorId, int? status, string? message)
        {
            State = state;
            Operation = operation;
            CallId = callId;
            AgentId = agentId;
            Intercom = intercom;
            Row = row;
            Time = time;
            ErrorId = errorId;
            Status = status;
            Message = message;
        }

        public JournalState State { get; }
        public string Operation { get; }
        public string CallId { get; }
        public string? AgentId { get; }
        public string? Intercom { get; }
        public long Row { get; }
        public DateTimeOffset? Time { get; }
        public string? ErrorId { get; }
        public int? Status { get; }
        public string? Message { get; }

        /// <summary>Whether a re-run must not send this row again.</summary>
        public bool BlocksResend => State != JournalState.Failed;
    }
}
