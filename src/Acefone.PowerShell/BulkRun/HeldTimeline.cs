using System;
using System.Collections.Generic;

namespace Acefone.PowerShell
{
    /// <summary>
    /// Wall-clock time during which at least one request was held (e.g. by the rate limiter): the union of the
    /// intervals, not their sum, so four requests waiting the same second count one second. Thread-safe; the
    /// intervals are kept merged, so waits that overlap (the usual case under a limiter) cost no memory.
    /// </summary>
    internal sealed class HeldTimeline
    {
        // Sorted by start, pairwise disjoint.
        private readonly List<KeyValuePair<long, long>> _spans = new List<KeyValuePair<long, long>>();
        private long _count;

        /// <summary>One hold from <paramref name="start"/> to <paramref name="end"/>, in any unit of ticks.</summary>
        internal void Add(long start, long end)
        {
            if (end <= start) return;
            lock (_spans)
            {
                _count++;
                int i = 0;
                while (i < _spans.Count && _spans[i].Value < start) i++;
                // Everything from i on that overlaps or touches [start, end] merges into it.
                while (i < _spans.Count && _spans[i].Key <= end)
                {
                    start = Math.Min(start, _spans[i].Key);
                    end = Math.Max(end, _spans[i].Value);
                    _spans.RemoveAt(i);
                }
                _spans.Insert(i, new KeyValuePair<long, long>(start, end));
            }
        }

        /// <summary>The length of the union, in the ticks given to <see cref="Add"/>.</summary>
        internal long Total
        {
            get
            {
                lock (_spans)
                {
                    long total = 0;
                    foreach (var span in _spans) total += span.Value - span.Key;
                    return total;
                }
            }
        }

        /// <summary>How many holds were added.</summary>
        internal long Count
        {
            get { lock (_spans) return _count; }
        }
    }
}
