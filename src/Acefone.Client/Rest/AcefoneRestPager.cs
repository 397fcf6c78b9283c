using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// Follows a list endpoint's paging, one page at a time so a caller can write each page as it arrives. It stops on
    /// an empty page, a short page, a cursor it has already followed, or after <see cref="MaxPages"/>: never an endless loop.
    /// A page-numbered listing whose answer states a total (count) follows it instead of short pages, through the one
    /// paging guard: it delivers that total or ends in an error naming the gap.
    /// </summary>
    public sealed class AcefoneRestPager
    {
        public const int MaxPages = ListingGuard.MaxPages;
        private static readonly string[] ListNames = { "data", "results", "items", "records" };

        private readonly AcefoneSession _session;
        private readonly AcefoneRestRequest _template;
        private readonly HashSet<string> _cursors = new HashSet<string>(StringComparer.Ordinal);
        private string? _cursor;
        private int? _page;
        private int _pages;
        private bool _done;
        private ListingGuard? _guard;
        private AcefoneException? _gap;

        internal AcefoneRestPager(AcefoneSession session, AcefoneRestRequest template)
        {
            _session = session;
            _template = template;
        }

        /// <summary>The next page, or null after the last one.</summary>
        public async Task<AcefoneRestPage?> NextAsync(IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default)
        {
            if (_gap != null)
            {
                // The last page was handed out first; the listing ends here, in an error naming the gap.
                AcefoneException gap = _gap;
                _gap = null;
                throw gap;
            }
            if (_done) return null;
            AcefoneRestRequest request = NextRequest();
            AcefoneRestResponse response = await _session.InvokeRestAsync(request, observer, cancellationToken).ConfigureAwait(false);
            // A failed page is never read as a page, whatever the template says about error answers.
            response.EnsureSuccessStatus();
            _pages++;
            object? root = response.IsEmpty ? null : response.ReadJson();
            AcefoneRestPage page = Decide(root, RequestedLimit(request));
            page.Response = response;
            _done = page.IsLast;
            return page;
        }

        private AcefoneRestRequest NextRequest()
        {
            if (_pages == 0) return _template;
            var request = new AcefoneRestRequest(_template.Method, _template.Path);
            string replaced = _cursor != null ? "last_seen_id" : "page";
            foreach (KeyValuePair<string, object?> parameter in _template.Query)
            {
                if (!string.Equals(parameter.Key, replaced, StringComparison.OrdinalIgnoreCase)) request.Query.Add(parameter);
            }
            request.Query.Add(new KeyValuePair<string, object?>(replaced, _cursor ?? (object?)_page));
            if (_template.Body != null) request.SetTextBody(_template.BodyText!, _template.BodyContentType ?? "application/json");
            // Every page is asked for as the first was: the same headers (an API version, a tenant), checked already.
            foreach (KeyValuePair<string, string> header in _template.Headers) request.AddHeader(header.Key, header.Value);
            return request;
        }

        private static int? RequestedLimit(AcefoneRestRequest request)
        {
            foreach (KeyValuePair<string, object?> parameter in request.Query)
            {
                if (string.Equals(parameter.Key, "limit", StringComparison.OrdinalIgnoreCase) && parameter.Value != null &&
                    int.TryParse(RestPath.Format(parameter.Value), NumberStyles.Integer, CultureInfo.InvariantCulture, out int limit)) return limit;
            }
            return null;
        }

        /// <summary>Pure: what this page holds and what to ask for next. Internal for tests.</summary>
        internal AcefoneRestPage Decide(object? root, int? requestedLimit)
        {
            int number = _pages;
            if (root is object?[] array) return new AcefoneRestPage(array, RestPagingStyle.None, number, true, null);
            if (!(root is JsonObjectValue obj)) return new AcefoneRestPage(root == null ? Array.Empty<object?>() : new[] { root }, RestPagingStyle.None, number, true, null);

            var fields = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, object?> property in obj) if (!fields.ContainsKey(property.Key)) fields[property.Key] = property.Value;
            object?[]? items = null;
            foreach (string name in ListNames)
            {
                if (fields.TryGetValue(name, out object? list) && list is object?[] found)
                {
                    items = found;
                    break;
                }
            }
            if (items == null) return new AcefoneRestPage(new object?[] { obj }, RestPagingStyle.None, number, true, null);

            if (fields.ContainsKey("has_more") && fields.ContainsKey("last_seen_id"))
            {
                bool more = AsBool(fields["has_more"]);
                string? cursor = fields["last_seen_id"] == null ? null : RestPath.Format(fields["last_seen_id"]!);
                if (!more || items.Length == 0 || string.IsNullOrEmpty(cursor)) return new AcefoneRestPage(items, RestPagingStyle.Cursor, number, true, null);
                if (!_cursors.Add(cursor!) || cursor == _cursor)
                    return new AcefoneRestPage(items, RestPagingStyle.Cursor, number, true,
                        $"The API answered has_more with last_seen_id {cursor} again; paging stopped after page {number} so it cannot loop.");
                _cursor = cursor;
                return Limit(new AcefoneRestPage(items, RestPagingStyle.Cursor, number, false, null));
            }

            if (fields.ContainsKey("page") || (fields.ContainsKey("limit") && fields.ContainsKey("count")))
            {
                int current = AsInt(fields.TryGetValue("page", out object? p) ? p : null) ?? _page ?? 1;
                int? limit = AsInt(fields.TryGetValue("limit", out object? l) ? l : null) ?? requestedLimit;
                int? count = AsInt(fields.TryGetValue("count", out object? c) ? c : null);
                bool last = PageNumbering.IsLastPage(items.Length, limit, current, count)
                    || (_page.HasValue && current != _page.Value);
                if (_page.HasValue && current != _page.Value)
                    return new AcefoneRestPage(items, RestPagingStyle.Page, number, true,
                        $"The API answered page {current} when page {_page.Value} was asked for; paging stopped so it cannot loop.");
                if (count.HasValue)
                {
                    // A stated total decides the end, not a short page (the API may cap the page size below -Query's
                    // limit); a page that repeats earlier items is a gap, not progress.
                    ListingGuard guard = _guard ??= new ListingGuard($"{_template.Method} {_template.Path} (-All)", "items");
                    if (guard.Add(KeysOf(items), count))
                    {
                        _done = true;
                        throw guard.Incomplete($"page {current} repeats items already listed");
                    }
                    last = items.Length == 0 || guard.ReachedTotal;
                    if (last) _gap = guard.Shortfall();
                }
                _page = current + 1;
                return Limit(new AcefoneRestPage(items, RestPagingStyle.Page, number, last, null));
            }
            return new AcefoneRestPage(items, RestPagingStyle.None, number, true, null);
        }

        private static readonly string[] IdNames = { "id", "call_id", "uuid" };

        /// <summary>An item's identity, for telling a repeated page: its id field; null (always new) when it has none.</summary>
        private static IEnumerable<string?> KeysOf(object?[] items)
        {
            foreach (object? item in items)
            {
                string? key = null;
                if (item is JsonObjectValue obj)
                {
                    foreach (KeyValuePair<string, object?> property in obj)
                    {
                        if (property.Value == null || Array.IndexOf(IdNames, property.Key.ToLowerInvariant()) < 0) continue;
                        key = property.Key.ToLowerInvariant() + "=" + RestPath.Format(property.Value);
                        break;
                    }
                }
                yield return key;
            }
        }

        private AcefoneRestPage Limit(AcefoneRestPage page)
        {
            if (page.IsLast || _pages < MaxPages) return page;
            return new AcefoneRestPage(page.Items, page.Style, page.Number, true, $"Still more after {MaxPages} pages; paging stopped.");
        }

        private static bool AsBool(object? value) =>
            value is bool flag ? flag : value is long number ? number != 0 : value is string text && (text == "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase));

        private static int? AsInt(object? value)
        {
            if (value == null) return null;
            return int.TryParse(RestPath.Format(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out int number) ? number : (int?)null;
        }
    }
}
