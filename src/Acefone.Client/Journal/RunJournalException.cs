using System;
using System.IO;

namespace Acefone.Client
{
    /// <summary>Why a journal cannot be used; the cmdlets turn it into a terminating error with <see cref="ErrorId"/>.</summary>
    public sealed class RunJournalException : IOException
    {
        internal RunJournalException(string errorId, string message, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
        }

        /// <summary>JournalLocked, JournalUnavailable or JournalWriteFailed.</summary>
        public string ErrorId { get; }
    }
}
