using System;

namespace Acefone.Client
{
    /// <summary>A Blob service answer that is not success: its status and x-ms-error-code, and what it meant. Never holds a secret.</summary>
    internal sealed class BlobJournalException : Exception
    {
        internal BlobJournalException(int status, string? errorCode, string message, Exception? inner = null)
            : base(message, inner)
        {
            Status = status;
            ErrorCode = errorCode;
        }

        /// <summary>The HTTP status; 0 when no answer came (a timeout, a dropped connection).</summary>
        internal int Status { get; }

        /// <summary>The service's x-ms-error-code (LeaseAlreadyPresent, AppendPositionConditionNotMet, ...).</summary>
        internal string? ErrorCode { get; }

        /// <summary>Worth another attempt: no answer, 408, 500, 502, 503, 504.</summary>
        internal bool Transient => Status == 0 || Status == 408 || Status == 500 || Status == 502 || Status == 503 || Status == 504;
    }
}
