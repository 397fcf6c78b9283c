namespace Acefone.Client
{
    /// <summary>
    /// The one rule for lists paged by <c>page</c> and <c>limit</c> (/v1/call/records, and any such list through
    /// Invoke-AcefoneRestMethod -All): when a page is the last one.
    /// </summary>
    internal static class PageNumbering
    {
        /// <param name="items">Items on this page.</param>
        /// <param name="limit">The page size the API answered with, else the one asked for; null when neither is known.</param>
        /// <param name="page">This page's number, from 1.</param>
        /// <param name="count">The total the API gave, if it gave one.</param>
        /// <returns>True for an empty page, a short page, or a page that reaches the total.</returns>
        internal static bool IsLastPage(int items, int? limit, long page, int? count) =>
            items == 0
            || (limit.HasValue && items < limit.Value)
            || (count.HasValue && limit.HasValue && page * limit.Value >= count.Value);
    }
}
