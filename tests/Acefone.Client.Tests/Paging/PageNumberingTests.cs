using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>The one last-page rule of page+limit lists, shared by Get-AcefoneCallRecord and Invoke-AcefoneRestMethod -All.</summary>
    public class PageNumberingTests
    {
        [Theory]
        [InlineData(0, 50, 1, null, true)]     // an empty page
        [InlineData(0, null, 3, null, true)]
        [InlineData(49, 50, 1, null, true)]    // a short page
        [InlineData(50, 50, 1, null, false)]   // a full page, no total: ask for the next
        [InlineData(50, 50, 2, 100, true)]     // a full page that reaches the total
        [InlineData(50, 50, 2, 101, false)]
        [InlineData(50, 50, 3, 100, true)]     // past the total (the list shrank meanwhile)
        [InlineData(50, null, 1, 10, false)]   // no page size known: the total alone cannot say
        [InlineData(1, 1, 2_000_000_000, 2_147_483_647, false)]   // page * limit is computed in 64 bits
        [InlineData(1, 2, 2_000_000_000, 2_147_483_647, true)]
        public void A_page_is_the_last_when_empty_short_or_at_the_total(int items, int? limit, int page, int? count, bool last)
        {
            Assert.Equal(last, PageNumbering.IsLastPage(items, limit, page, count));
        }
    }
}
