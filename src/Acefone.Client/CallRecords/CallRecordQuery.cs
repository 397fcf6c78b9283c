using System;

namespace Acefone.Client
{
    /// <summary>What Get-AcefoneCallRecord asks for. From and To are required; the rest narrows the listing.</summary>
    public sealed class CallRecordQuery
    {
        public const int DefaultPageSize = 100;

        public CallRecordQuery(DateTime from, DateTime to)
        {
            From = from;
            To = to;
        }

        /// <summary>Inclusive. Kind Utc or Local is converted to the account's time zone; Unspecified is read as the account's own wall-clock time.</summary>
        public DateTime From { get; }
        public DateTime To { get; }
        /// <summary>The account's time zone; null for the region's default (<see cref="AccountTimeZone.ForSession"/>).</summary>
        public TimeZoneInfo? TimeZone { get; set; }
        public string? AgentNumber { get; set; }
        public string? Department { get; set; }
        public CallDirection? Direction { get; set; }
        public CallRecordStatus? Status { get; set; }
        public string? CallId { get; set; }
        public string? DidNumber { get; set; }
        public TimeSpan? MinimumDuration { get; set; }
        public int PageSize { get; set; } = DefaultPageSize;
        /// <summary>Each chunk of the range is listed on its own, so records added meanwhile shift pages of one chunk only.</summary>
        public TimeSpan ChunkLength { get; set; } = TimeSpan.FromDays(1);
    }
}
