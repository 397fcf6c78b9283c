using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using System.Threading;

namespace Acefone.Client
{
    /// <summary>Stands in for an inner exception whose text held a secret: its type and redacted message, nothing else.</summary>
    public sealed class AcefoneRedactedException : Exception
    {
        internal AcefoneRedactedException(string originalType, string message, Exception? inner)
            : base(message, inner)
        {
            OriginalType = originalType;
        }

        /// <summary>The full name of the exception this replaces.</summary>
        public string OriginalType { get; }
    }
}
