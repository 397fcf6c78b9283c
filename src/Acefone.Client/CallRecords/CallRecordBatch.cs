using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>One page's worth: the records not seen before, and one error per record that could not be read.</summary>
    public sealed class CallRecordBatch
    {
        internal CallRecordBatch(IReadOnlyList<AcefoneCallRecord> records, IReadOnlyList<AcefoneException> errors, int duplicates, DateTime chunkStart, DateTime chunkEnd, int page)
        {
            Records = records;
            Errors = errors;
            Duplicates = duplicates;
            ChunkStart = chunkStart;
            ChunkEnd = chunkEnd;
            Page = page;
        }

        public IReadOnlyList<AcefoneCallRecord> Records { get; }
        public IReadOnlyList<AcefoneException> Errors { get; }
        /// <summary>Records of this page already written from an earlier page or chunk (pages shift while records are added).</summary>
        public int Duplicates { get; }
        /// <summary>The chunk this page belongs to, in account time.</summary>
        public DateTime ChunkStart { get; }
        public DateTime ChunkEnd { get; }
        public int Page { get; }
    }
}
