using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>The directory: users (paged) and departments, the people and numbers a call can go to.</summary>
    public sealed partial class AcefoneSession
    {
        /// <summary>
        /// One page of GET /v1/users: the users after <paramref name="lastSeenId"/> (null for the first page), at most
        /// <paramref name="limit"/> of them (the API's default when null). Follow <see cref="AcefoneUserPage.NextLastSeenId"/> to the end.
        /// </summary>
        public async Task<AcefoneUserPage> GetUsersPageAsync(long? lastSeenId = null, int? limit = null, IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default)
        {
            if (limit.HasValue && limit.Value < 1) throw new ArgumentOutOfRangeException(nameof(limit), "A page holds at least one user.");
            var query = new QueryBuilder();
            query.Add("last_seen_id", lastSeenId?.ToString(CultureInfo.InvariantCulture));
            query.Add("limit", limit?.ToString(CultureInfo.InvariantCulture));
            string subject = lastSeenId.HasValue
                ? $"List users after id {lastSeenId.Value.ToString(CultureInfo.InvariantCulture)} (GET /v1/users)"
                : "List users (GET /v1/users)";
            AcefoneUserPage page = await GetJsonAsync("v1/users", query.Text, subject, DirectoryJson.ReadUserPage, observer, cancellationToken).ConfigureAwait(false);
            // A page that says "more" without moving forward would have the caller ask for the same page for ever.
            if (page.HasMore && lastSeenId.HasValue && page.LastSeenId <= lastSeenId)
                throw new AcefoneException(AcefoneErrorKind.InvalidResponse,
                    $"{subject}: the API says has_more but its last_seen_id ({page.LastSeenId}) does not move past the one asked for ({lastSeenId}); paging stopped so it cannot loop.")
                {
                    Request = "GET /v1/users",
                };
            return page;
        }

        /// <summary>Follows the users listing page by page; see <see cref="AcefoneUserPager"/>.</summary>
        public AcefoneUserPager PageUsers(int? pageSize = null)
        {
            if (pageSize.HasValue && pageSize.Value < 1) throw new ArgumentOutOfRangeException(nameof(pageSize), "A page holds at least one user.");
            return new AcefoneUserPager(this, pageSize);
        }

        /// <summary>Every user, page after page (for callers that want the whole list at once, such as completion).</summary>
        public async Task<IReadOnlyList<AcefoneUser>> GetUsersAsync(int? pageSize = null, IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default)
        {
            var users = new List<AcefoneUser>();
            AcefoneUserPager pager = PageUsers(pageSize);
            AcefoneUserPage? page;
            while ((page = await pager.NextAsync(observer, cancellationToken).ConfigureAwait(false)) != null) users.AddRange(page.Users);
            return users;
        }

        /// <summary>GET /v1/departments, each with its agents.</summary>
        public Task<IReadOnlyList<AcefoneDepartment>> GetDepartmentsAsync(IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default) =>
            GetJsonAsync("v1/departments", null, "List departments (GET /v1/departments)", DirectoryJson.ReadDepartments, observer, cancellationToken);
    }
}
