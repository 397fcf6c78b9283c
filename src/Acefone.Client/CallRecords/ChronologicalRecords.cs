using System;
using System.Collections.Generic;
using System.Linq;

namespace Acefone.Client
{
    /// <summary>
    /// Puts a call-record listing in start-time order. The API pages each chunk (a day) in its own order (newest
    /// first, as seen), while <see cref="CallRecordReader"/> walks the chunks oldest first: holding one chunk and sorting
    /// it makes the whole listing oldest first, at the cost of one chunk's records in memory (never more: a chunk is
    /// given out when the next one starts). Chunks never overlap in what they give (the reader deduplicates the
    /// second they share), so sorted chunks in sequence are sorted as a whole.
    /// </summary>
    public sealed class ChronologicalRecords
    {
        private readonly List<AcefoneCallRecord> _held = new List<AcefoneCallRecord>();
        private DateTime? _chunkStart;

        /// <summary>How many records are held (the chunk being listed).</summary>
        public int Held => _held.Count;

        /// <summary>Takes a page; returns the previous chunk, sorted, when this page starts a new one (else nothing).</summary>
        public IReadOnlyList<AcefoneCallRecord> Add(CallRecordBatch batch)
        {
            if (batch == null) throw new ArgumentNullException(nameof(batch));
            IReadOnlyList<AcefoneCallRecord> ready = _chunkStart.HasValue && batch.ChunkStart != _chunkStart.Value
                ? Flush()
                : Array.Empty<AcefoneCallRecord>();
            _chunkStart = batch.ChunkStart;
            _held.AddRange(batch.Records);
            return ready;
        }

        /// <summary>The held chunk, sorted (at the end of the listing, or before an error ends it).</summary>
        public IReadOnlyList<AcefoneCallRecord> Flush()
        {
            if (_held.Count == 0) return Array.Empty<AcefoneCallRecord>();
            // OrderBy is stable: records that started in the same second keep the API's order.
            AcefoneCallRecord[] sorted = _held.OrderBy(record => record.StartedAt.UtcTicks).ToArray();
            _held.Clear();
            return sorted;
        }
    }
}
