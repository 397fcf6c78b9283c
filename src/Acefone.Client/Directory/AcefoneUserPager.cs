using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// Follows GET /v1/users from the first page to the last, the one loop every caller uses (Get-AcefoneUser,
    /// completion, GetUsersAsync). A listing that stops early is an error, never a short list: a cursor that does
    /// not move, has_more on page after empty page, or more pages than any account has.
    /// </summary>
    public sealed class AcefoneUserPager
    {
        /// <summary>Empty pages in a row that still say has_more before paging stops as looping.</summary>
        internal const int MaxEmptyPages = 3;

        private readonly AcefoneSession _session;
        private readonly int? _pageSize;
        private readonly ListingGuard _guard = new ListingGuard("List users (GET /v1/users)", "users", "GET /v1/users");
        private long? _next;
        private int _emptyInARow;
        private bool _done;

        internal AcefoneUserPager(AcefoneSession session, int? pageSize)
        {
            _session = session;
            _pageSize = pageSize;
        }

        /// <summary>Pages read so far.</summary>
        public int Pages { get; private set; }
        /// <summary>Users read so far.</summary>
        public long Users { get; private set; }
        /// <summary>The last_seen_id the next page starts after (null before the first page).</summary>
        public long? NextLastSeenId => _next;

        /// <summary>The next page, or null after the last one. Throws InvalidResponse when the API's paging cannot be followed to its end.</summary>
        public async Task<AcefoneUserPage?> NextAsync(IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default)
        {
            if (_done) return null;
            _guard.BeforePage();
            AcefoneUserPage page = await _session.GetUsersPageAsync(_next, _pageSize, observer, cancellationToken).ConfigureAwait(false);
            Pages++;
            Users += page.Users.Count;
            if (_guard.Add(IdsOf(page), null))
            {
                _done = true;
                throw _guard.Incomplete($"page {Pages} repeats users already listed");
            }
            _next = page.NextLastSeenId;
            if (_next == null)
            {
                _done = true;
                return page;
            }
            _emptyInARow = page.Users.Count == 0 ? _emptyInARow + 1 : 0;
            if (_emptyInARow >= MaxEmptyPages)
            {
                _done = true;
                throw _guard.Incomplete($"the API answered {_emptyInARow} empty pages in a row that each said has_more");
            }
            return page;
        }

        private static IEnumerable<string?> IdsOf(AcefoneUserPage page)
        {
            foreach (AcefoneUser user in page.Users) yield return user.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
