using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using System.Web;
using Acefone.Simulator;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// The one paging guard (Paging/ListingGuard.cs) and the pagers that use it: a listing whose answer states a total
    /// delivers it (whatever page size the API really uses) or ends in an error naming the gap; a repeated page is a gap.
    /// </summary>
    public class ListingGuardTests
    {
        [Fact]
        public void Counts_distinct_items_and_tells_a_repeated_page()
        {
            var guard = new ListingGuard("List things", "things");
            Assert.False(guard.Add(new[] { "a", "b" }, 5));
            Assert.False(guard.Add(new[] { "b", "c" }, 5));
            Assert.True(guard.Add(new[] { "a", "c" }, 5));
            Assert.False(guard.Add(new string?[] { null, null }, null));   // items without a key always count
            Assert.False(guard.Add(Array.Empty<string>(), null));          // an empty page is not a repeat
            Assert.Equal(5, guard.Pages);
            Assert.Equal(5, guard.Delivered);
            Assert.Equal(5, guard.Total);
            Assert.True(guard.ReachedTotal);
            Assert.Null(guard.Shortfall());
        }

        [Fact]
        public void A_shortfall_names_the_gap_and_the_cap_holds_at_ten_thousand_pages()
        {
            var guard = new ListingGuard("List things (GET /v1/things)", "things", "GET /v1/things");
            guard.Add(new[] { "a", "b" }, 50);
            AcefoneException gap = guard.Shortfall()!;
            Assert.Equal(AcefoneErrorKind.InvalidResponse, gap.Kind);
            Assert.Equal("GET /v1/things", gap.Request);
            Assert.Equal("List things (GET /v1/things): the API's pages ended before its stated total; 2 of the 50 things the API counted were delivered, 48 missing, so the list is incomplete.", gap.Message);

            var endless = new ListingGuard("List things", "things");
            for (int i = 0; i < ListingGuard.MaxPages; i++)
            {
                endless.BeforePage();
                endless.Add(new[] { i.ToString() }, null);
            }
            var capped = Assert.Throws<AcefoneException>(() => endless.BeforePage());
            Assert.Equal("List things: still more after 10000 pages; 10000 things were delivered, so the list is incomplete.", capped.Message);
            Assert.Equal(10_000, CallRecordReader.MaxPagesPerChunk);
            Assert.Equal(10_000, AcefoneRestPager.MaxPages);
        }

        private static async Task<(List<AcefoneCallRecord> Records, AcefoneException? Error)> ListRecords(AcefoneSession session, CallRecordQuery query)
        {
            CallRecordReader reader = session.ListCallRecords(query);
            var all = new List<AcefoneCallRecord>();
            try
            {
                CallRecordBatch? batch;
                while ((batch = await reader.NextAsync()) != null) all.AddRange(batch.Records);
                return (all, null);
            }
            catch (AcefoneException ex)
            {
                return (all, ex);
            }
        }

        private static CallRecordQuery LastDays(int days, int pageSize) =>
            new CallRecordQuery(DateTime.UtcNow.AddDays(-days), DateTime.UtcNow) { PageSize = pageSize, ChunkLength = TimeSpan.FromDays(days + 1) };

        [Fact]
        public async Task Call_records_follow_a_page_size_the_API_caps_without_saying_so()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            using AcefoneSession session = Sessions.ForSimulator(simulator);
            CallRecordQuery query = LastDays(10, 250);
            var (expected, _) = await ListRecords(session, LastDays(10, 100));
            Assert.True(expected.Count > 250, "the range holds more than one asked-for page");

            simulator.State.CallRecords.Knobs = new CallRecordKnobs { MaxPageSize = 100, HidePageSizeCap = true };
            var (found, error) = await ListRecords(session, query);
            Assert.Null(error);
            Assert.Equal(expected.Select(r => r.CallId).OrderBy(x => x, StringComparer.Ordinal), found.Select(r => r.CallId).OrderBy(x => x, StringComparer.Ordinal));
        }

        [Fact]
        public async Task Call_records_end_in_an_error_naming_the_gap_when_the_API_repeats_a_page()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            using AcefoneSession session = Sessions.ForSimulator(simulator);
            simulator.State.CallRecords.Knobs = new CallRecordKnobs { RepeatFirstPage = true };
            var (found, error) = await ListRecords(session, LastDays(10, 10));
            Assert.NotNull(error);
            Assert.Equal(AcefoneErrorKind.InvalidResponse, error!.Kind);
            Assert.Contains("page 2 repeats records already listed", error.Message);
            Assert.Contains("10 of the ", error.Message);
            Assert.Equal(10, found.Count);
        }

        [Fact]
        public async Task Call_records_whose_pages_end_before_the_stated_total_end_in_an_error()
        {
            // An API that states 50 records and serves 30: the 30 are written, then the error names the 20 missing.
            using AcefoneSession session = Sessions.WithHandler(new ScriptedHandler((request, _, _) =>
            {
                int page = int.Parse(HttpUtility.ParseQueryString(request.RequestUri!.Query)["page"]!);
                var ids = Enumerable.Range((page - 1) * 10, page <= 3 ? 10 : 0);
                string items = string.Join(",", ids.Select(i => $"{{\"call_id\":\"r{i}\",\"start_stamp\":\"2026-11-01 10:00:00\"}}"));
                return ScriptedHandler.Json(200, $"{{\"count\":50,\"limit\":10,\"page\":{page},\"results\":[{items}]}}");
            }));
            var query = new CallRecordQuery(new DateTime(2026, 11, 1), new DateTime(2026, 11, 1, 23, 0, 0)) { PageSize = 10, TimeZone = TimeZoneInfo.Utc };
            var (found, error) = await ListRecords(session, query);
            Assert.Equal(30, found.Count);
            Assert.NotNull(error);
            Assert.Contains("30 of the 50 records the API counted were delivered, 20 missing", error!.Message);
        }

        private static async Task<(List<object?> Items, AcefoneException? Error)> ListRest(AcefoneSession session, AcefoneRestRequest request)
        {
            AcefoneRestPager pager = session.Page(request);
            var all = new List<object?>();
            try
            {
                AcefoneRestPage? page;
                while ((page = await pager.NextAsync()) != null) all.AddRange(page.Items);
                return (all, null);
            }
            catch (AcefoneException ex)
            {
                return (all, ex);
            }
        }

        [Fact]
        public async Task The_escape_hatch_All_follows_a_hidden_page_size_cap_and_stops_at_a_repeated_page()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            using AcefoneSession session = Sessions.ForSimulator(simulator);
            AcefoneRestRequest Request()
            {
                var request = new AcefoneRestRequest("GET", "/v1/call/records");
                request.Query.Add(new KeyValuePair<string, object?>("limit", 250));
                request.Query.Add(new KeyValuePair<string, object?>("from_date", DateTime.UtcNow.AddDays(-10).ToString("yyyy-MM-dd HH:mm:ss")));
                return request;
            }
            var (expected, none) = await ListRest(session, Request());
            Assert.Null(none);
            Assert.True(expected.Count > 250);

            simulator.State.CallRecords.Knobs = new CallRecordKnobs { MaxPageSize = 100, HidePageSizeCap = true };
            var (found, error) = await ListRest(session, Request());
            Assert.Null(error);
            Assert.Equal(expected.Count, found.Count);

            simulator.State.CallRecords.Knobs = new CallRecordKnobs { RepeatFirstPage = true };
            var (repeated, gap) = await ListRest(session, Request());
            Assert.NotNull(gap);
            Assert.Contains("page 2 repeats items already listed", gap!.Message);
            Assert.Equal(100, repeated.Count);
        }

        [Fact]
        public async Task Users_end_in_an_error_when_a_page_repeats_users_already_listed()
        {
            // The cursor moves, but the users do not: the second page is the first one again.
            using AcefoneSession session = Sessions.WithHandler(new ScriptedHandler((_, _, n) =>
                ScriptedHandler.Json(200, $"{{\"data\":[{{\"id\":1,\"name\":\"A\"}},{{\"id\":2,\"name\":\"B\"}}],\"has_more\":true,\"last_seen_id\":{n + 1}}}")));
            AcefoneUserPager pager = session.PageUsers(2);
            Assert.NotNull(await pager.NextAsync());
            var error = await Assert.ThrowsAsync<AcefoneException>(() => pager.NextAsync());
            Assert.Contains("page 2 repeats users already listed", error.Message);
            Assert.Null(await pager.NextAsync());
        }
    }
}
