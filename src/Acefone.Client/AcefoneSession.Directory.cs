using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>The read side (live calls, users, departments) and hangup: finding what to act on.</summary>
    public sealed partial class AcefoneSession
    {
        /// <summary>The most pages <see cref="GetUsersAsync"/> follows before deciding the API is looping.</summary>
        internal const int MaxUserPages = 10_000;

        /// <summary>GET /v1/live_calls with the given filters (URL-encoded). An empty list when nothing is live.</summary>
        public Task<IReadOnlyList<AcefoneLiveCall>> GetLiveCallsAsync(LiveCallFilter? filter = null, IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default)
        {
            var query = new QueryBuilder();
            if (filter != null)
            {
                query.Add("agent_number", filter.AgentNumber);
                query.Add("extension", filter.Extension);
                query.Add("did_number", filter.DidNumber);
                query.Add("call_id", filter.CallId);
            }
            return GetJsonAsync("v1/live_calls", query.Text, "List live calls (GET /v1/live_calls)", DirectoryJson.ReadLiveCalls, observer, cancellationToken);
        }

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

        /// <summary>Every user, page after page (for callers that want the whole list at once, such as completion).</summary>
        public async Task<IReadOnlyList<AcefoneUser>> GetUsersAsync(int? pageSize = null, IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default)
        {
            var users = new List<AcefoneUser>();
            long? next = null;
            for (int pages = 0; pages < MaxUserPages; pages++)
            {
                AcefoneUserPage page = await GetUsersPageAsync(next, pageSize, observer, cancellationToken).ConfigureAwait(false);
                users.AddRange(page.Users);
                next = page.NextLastSeenId;
                if (next == null) return users;
            }
            throw new AcefoneException(AcefoneErrorKind.InvalidResponse, $"List users (GET /v1/users): still has_more after {MaxUserPages} pages; paging stopped.")
            {
                Request = "GET /v1/users",
            };
        }

        /// <summary>GET /v1/departments, each with its agents.</summary>
        public Task<IReadOnlyList<AcefoneDepartment>> GetDepartmentsAsync(IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default) =>
            GetJsonAsync("v1/departments", null, "List departments (GET /v1/departments)", DirectoryJson.ReadDepartments, observer, cancellationToken);

        /// <summary>POST /v1/call/hangup. Returns the accepted result or throws <see cref="AcefoneException"/> (CallNotActive when the call has ended).</summary>
        public async Task<CallHangupResult> HangupCallAsync(CallHangupRequest request, IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var apiRequest = new ApiRequest(HttpMethod.Post, request.ApiPath, request.Json)
            {
                Subject = request.Describe(),
                CallId = request.CallId,
            };
            (ApiResponse response, StatusEnvelope envelope) = await PostForStatusAsync(apiRequest, observer, cancellationToken).ConfigureAwait(false);
            return new CallHangupResult(request.CallId, true, envelope.Message, response.StatusCode, DateTime.UtcNow);
        }

        /// <summary>Builds a query string of the given (non-blank) values, each URL-encoded.</summary>
        private sealed class QueryBuilder
        {
            private readonly StringBuilder _text = new StringBuilder();

            internal void Add(string name, string? value)
            {
                if (string.IsNullOrWhiteSpace(value)) return;
                if (_text.Length > 0) _text.Append('&');
                _text.Append(name).Append('=').Append(Uri.EscapeDataString(value!.Trim()));
            }

            /// <summary>Null when no filter was given, so no '?' is sent.</summary>
            internal string? Text => _text.Length == 0 ? null : _text.ToString();
        }
    }
}
