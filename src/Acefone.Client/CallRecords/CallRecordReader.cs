using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// Lists GET /v1/call/records chunk by chunk (a day by default) and page by page, one page per
    /// <see cref="NextAsync"/>, so memory stays flat however many records there are. A record seen twice (a page
    /// shifted by a record added meanwhile, or a record on a chunk boundary, which both chunks include) is given once;
    /// when a chunk's count changed while it was listed, the chunk is listed again so no record is missed.
    /// </summary>
    public sealed class CallRecordReader
    {
        /// <summary>Pages per chunk before the reader decides the API is looping (the one paging guard's cap).</summary>
        public const int MaxPagesPerChunk = ListingGuard.MaxPages;
        private const int MaxRelists = 2;

        private readonly AcefoneSession _session;
        private readonly CallRecordQuery _query;
        private readonly TimeZoneInfo _zone;
        private readonly DateTime _from;
        private readonly DateTime _to;
        private HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private HashSet<string> _previousChunk = new HashSet<string>(StringComparer.Ordinal);
        private DateTime _chunkStart;
        private DateTime _chunkEnd;
        private int _page;
        private int? _firstCount;
        private int? _lastCount;
        private int _relists;
        private bool _done;
        private ListingGuard? _guard;
        private AcefoneException? _gap;

        internal CallRecordReader(AcefoneSession session, CallRecordQuery query)
        {
            if (query.PageSize < 1) throw new ArgumentOutOfRangeException(nameof(query), "PageSize must be at least 1.");
            if (query.ChunkLength < TimeSpan.FromMinutes(1)) throw new ArgumentOutOfRangeException(nameof(query), "ChunkLength must be at least a minute.");
            _session = session;
            _query = query;
            _zone = query.TimeZone ?? AccountTimeZone.ForSession(session);
            _from = Truncate(AccountTimeZone.ToAccountTime(query.From, _zone));
            _to = Truncate(AccountTimeZone.ToAccountTime(query.To, _zone));
            if (_to < _from)
                throw new AcefoneException(AcefoneErrorKind.InvalidInput,
                    $"-To ({AccountTimeZone.Format(_to)}) is before -From ({AccountTimeZone.Format(_from)}) in the account's time zone; nothing was sent.");
            _chunkStart = _from;
            _chunkEnd = ChunkEndFor(_from);
        }

        public TimeZoneInfo TimeZone => _zone;
        /// <summary>The range as sent, in the account's time zone.</summary>
        public DateTime From => _from;
        public DateTime To => _to;

        /// <summary>The next page, or null when the range is done.</summary>
        public async Task<CallRecordBatch?> NextAsync(IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default)
        {
            if (_gap != null)
            {
                // The chunk that fell short was written first; the listing ends here, in an error naming the gap.
                AcefoneException gap = _gap;
                _gap = null;
                _done = true;
                throw gap;
            }
            if (_done) return null;
            if (_page == 0 || _guard == null)
                _guard = new ListingGuard($"List call records {AccountTimeZone.Format(_chunkStart)} to {AccountTimeZone.Format(_chunkEnd)} (GET /v1/call/records)", "records");
            _guard.BeforePage();
            _page++;
            string query = BuildQuery(_chunkStart, _chunkEnd, _page);
            string subject = $"List call records {AccountTimeZone.Format(_chunkStart)} to {AccountTimeZone.Format(_chunkEnd)}, page {_page} (GET /v1/call/records)";
            var (items, count, limit, _) = await _session.GetJsonAsync("v1/call/records", query, subject,
                root => CallRecordJson.ReadPage(root, _zone), observer, cancellationToken).ConfigureAwait(false);

            var records = new List<AcefoneCallRecord>(items.Count);
            var errors = new List<AcefoneException>();
            int duplicates = 0;
            foreach (object item in items)
            {
                if (item is AcefoneException error)
                {
                    errors.Add(Named(error, subject));
                    continue;
                }
                var record = (AcefoneCallRecord)item;
                string key = Key(record);
                if (_previousChunk.Contains(key) || !_seen.Add(key))
                {
                    duplicates++;
                    continue;
                }
                records.Add(record);
            }
            var batch = new CallRecordBatch(records, errors, duplicates, _chunkStart, _chunkEnd, _page);

            bool repeated = _guard.Add(KeysOf(items), count);
            if (_page == 1) _firstCount = count;
            _lastCount = count;
            bool chunkDone;
            if (count.HasValue && _firstCount == _lastCount)
            {
                // A stated total decides the end: a short page is not it (the API may cap the page size below the
                // one asked for, and page numbers then follow its size), and a repeated page is a gap, not progress.
                if (repeated)
                {
                    _done = true;
                    throw _guard.Incomplete($"page {_page} repeats records already listed");
                }
                chunkDone = items.Count == 0 || _guard.ReachedTotal;
                if (chunkDone) _gap = _guard.Shortfall();
            }
            else
            {
                // No total, or one that moved while the chunk was listed (FinishChunk lists it again).
                chunkDone = repeated || PageNumbering.IsLastPage(items.Count, limit ?? _query.PageSize, _page, count);
            }
            if (chunkDone) FinishChunk();
            return batch;
        }

        private void FinishChunk()
        {
            // Records added or removed while this chunk was listed moved its pages: list it again (what was written stays deduplicated).
            if (_firstCount.HasValue && _lastCount.HasValue && _firstCount != _lastCount && _relists < MaxRelists)
            {
                _relists++;
                _page = 0;
                _firstCount = _lastCount = null;
                return;
            }
            _relists = 0;
            _page = 0;
            _firstCount = _lastCount = null;
            if (_chunkEnd >= _to)
            {
                _done = true;
                return;
            }
            // The next chunk starts at this one's last second (both include it): a record there is given once.
            _previousChunk = _seen;
            _seen = new HashSet<string>(StringComparer.Ordinal);
            _chunkStart = _chunkEnd;
            _chunkEnd = ChunkEndFor(_chunkStart);
        }

        private DateTime ChunkEndFor(DateTime start)
        {
            DateTime end = _to - start > _query.ChunkLength ? start + _query.ChunkLength : _to;
            return end > _to ? _to : end;
        }

        internal string BuildQuery(DateTime from, DateTime to, int page)
        {
            var text = new StringBuilder();
            void Add(string name, string? value)
            {
                if (string.IsNullOrWhiteSpace(value)) return;
                if (text.Length > 0) text.Append('&');
                text.Append(name).Append('=').Append(Uri.EscapeDataString(value!.Trim()));
            }
            Add("from_date", AccountTimeZone.Format(from));
            Add("to_date", AccountTimeZone.Format(to));
            Add("page", page.ToString(CultureInfo.InvariantCulture));
            Add("limit", _query.PageSize.ToString(CultureInfo.InvariantCulture));
            Add("call_id", _query.CallId);
            Add("agents", _query.AgentNumber);
            Add("department", _query.Department);
            if (_query.Direction.HasValue) Add("direction", _query.Direction.Value == CallDirection.Inbound ? "inbound" : "outbound");
            if (_query.Status.HasValue) Add("call_type", _query.Status.Value == CallRecordStatus.Answered ? "c" : "m");
            Add("did_numbers", _query.DidNumber);
            if (_query.MinimumDuration.HasValue)
            {
                Add("duration", ((long)_query.MinimumDuration.Value.TotalSeconds).ToString(CultureInfo.InvariantCulture));
                Add("operator", ">=");
            }
            return text.ToString();
        }

        private static IEnumerable<string?> KeysOf(List<object> items)
        {
            foreach (object item in items) yield return item is AcefoneCallRecord record ? Key(record) : null;
        }

        private static string Key(AcefoneCallRecord record) => record.CallId + "\n" + (record.Uuid ?? string.Empty);

        private static DateTime Truncate(DateTime time) => new DateTime(time.Ticks - time.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Unspecified);

        private static AcefoneException Named(AcefoneException error, string subject) =>
            new AcefoneException(error.Kind, $"{subject}: {error.Message}", error.InnerException)
            {
                CallId = error.CallId,
                Request = "GET /v1/call/records",
            };
    }
}
