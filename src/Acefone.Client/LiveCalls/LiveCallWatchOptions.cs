using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>How a <see cref="LiveCallWatch"/> polls.</summary>
    public sealed class LiveCallWatchOptions
    {
        public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);
        public static readonly TimeSpan DefaultMaxBackoff = TimeSpan.FromMinutes(1);

        /// <summary>Time from the start of one poll to the start of the next.</summary>
        public TimeSpan Interval { get; set; } = DefaultInterval;
        /// <summary>The server-side filters, as for <see cref="AcefoneSession.GetLiveCallsAsync"/>.</summary>
        public LiveCallFilter? Filter { get; set; }
        /// <summary>Calls already live at the first poll are not reported Started.</summary>
        public bool SkipExisting { get; set; }
        /// <summary>Durations whose passing is reported as a Changed event with "Duration" in Changes.</summary>
        public IReadOnlyList<TimeSpan>? DurationThresholds { get; set; }
        /// <summary>The longest wait after failed polls (the wait doubles per failure, from the interval).</summary>
        public TimeSpan MaxBackoff { get; set; } = DefaultMaxBackoff;
    }
}
