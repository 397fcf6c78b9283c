using System.Collections.Generic;

namespace Acefone.Client
{
    /// <summary>One page of GET /v1/users.</summary>
    public sealed class AcefoneUserPage
    {
        internal AcefoneUserPage(IReadOnlyList<AcefoneUser> users, bool hasMore, long? lastSeenId)
        {
            Users = users;
            HasMore = hasMore;
            LastSeenId = lastSeenId;
        }

        public IReadOnlyList<AcefoneUser> Users { get; }
        public bool HasMore { get; }
        /// <summary>The top-level <c>last_seen_id</c>: pass it back to get the next page.</summary>
        public long? LastSeenId { get; }

        /// <summary>What to ask for next, or null when this was the last page.</summary>
        public long? NextLastSeenId => HasMore ? LastSeenId : null;
    }
}
