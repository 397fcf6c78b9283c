using System;
using System.Collections.Generic;
using System.Globalization;

namespace Acefone.Client
{
    /// <summary>
    /// The one guard every pager (users, call records, the escape hatch's -All) runs its pages through, one guard per
    /// listing: at most <see cref="MaxPages"/> pages; a page that only repeats what was listed is no progress; and a
    /// listing whose answer states a total delivers that total or ends in an error that names the gap. A short page
    /// is not the end while the stated total is not reached: the API may cap the page size below the one asked for.
    /// </summary>
    internal sealed class ListingGuard
    {
        /// <summary>Pages one listing follows before deciding the API is looping.</summary>
        internal const int MaxPages = 10_000;

        private readonly string _subject;
        private readonly string _items;
        private readonly string? _request;
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);

        /// <param name="subject">What is listed, as errors start: "List call records 2026-12-01 00:00:00 to ...".</param>
        /// <param name="items">What an item is called in a message, plural: "records", "users", "items".</param>
        /// <param name="request">The method and path its errors name, e.g. "GET /v1/users".</param>
        internal ListingGuard(string subject, string items, string? request = null)
        {
            _subject = subject;
            _items = items;
            _request = request;
        }

        /// <summary>Pages counted so far.</summary>
        internal int Pages { get; private set; }
        /// <summary>Distinct items delivered so far (an item without a key always counts).</summary>
        internal long Delivered { get; private set; }
        /// <summary>The total the latest answer stated, if any.</summary>
        internal long? Total { get; private set; }
        /// <summary>Whether a stated total has been delivered.</summary>
        internal bool ReachedTotal => Total.HasValue && Delivered >= Total.Value;

        /// <summary>Before asking for a page: throws InvalidResponse once <see cref="MaxPages"/> pages were followed.</summary>
        internal void BeforePage()
        {
            if (Pages >= MaxPages) throw Incomplete($"still more after {MaxPages.ToString(CultureInfo.InvariantCulture)} pages");
        }

        /// <summary>
        /// Counts one page: <paramref name="keys"/> holds one key per item (null for an item that has none) and
        /// <paramref name="total"/> the total the answer states. Returns true when the page held items and none of
        /// them was new: a page the API repeated.
        /// </summary>
        internal bool Add(IEnumerable<string?> keys, long? total)
        {
            Pages++;
            if (total.HasValue) Total = total;
            int items = 0, fresh = 0;
            foreach (string? key in keys)
            {
                items++;
                if (key == null || _seen.Add(key)) fresh++;
            }
            Delivered += fresh;
            return items > 0 && fresh == 0;
        }

        /// <summary>The error for a listing that cannot go on: what happened, and how much of a stated total is missing.</summary>
        internal AcefoneException Incomplete(string why)
        {
            string delivered = Delivered.ToString(CultureInfo.InvariantCulture);
            string gap = Total.HasValue && Delivered < Total.Value
                ? $"{delivered} of the {Total.Value.ToString(CultureInfo.InvariantCulture)} {_items} the API counted were delivered, {(Total.Value - Delivered).ToString(CultureInfo.InvariantCulture)} missing"
                : $"{delivered} {_items} were delivered";
            return new AcefoneException(AcefoneErrorKind.InvalidResponse, $"{_subject}: {why}; {gap}, so the list is incomplete.") { Request = _request };
        }

        /// <summary>At a listing's end: the error naming the gap when a stated total was not delivered, else null.</summary>
        internal AcefoneException? Shortfall() =>
            Total.HasValue && Delivered < Total.Value ? Incomplete("the API's pages ended before its stated total") : null;
    }
}
