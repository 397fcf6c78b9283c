using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using System.Web;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    public class CallRecordTests
    {
        private static AcefoneCallRecord Read(string json)
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return CallRecordJson.ReadRecord(document.RootElement, AccountTimeZone.IndiaStandardTime);
        }

        [Fact]
        public void Date_and_time_split_in_two_fields_become_one_time_with_the_account_offset()
        {
            AcefoneCallRecord record = Read("{\"call_id\":\"1788265388.67524\",\"date\":\"2026-11-02\",\"time\":\"14:03:22\",\"end_stamp\":\"2026-11-02 14:05:10\",\"direction\":\"inbound\",\"agent_number\":\"Extension-060210000004\"}");
            Assert.Equal(new DateTimeOffset(2026, 11, 2, 14, 3, 22, TimeSpan.FromMinutes(330)), record.StartedAt);
            Assert.Equal(TimeSpan.FromSeconds(108), record.Duration);
            Assert.Equal(CallDirection.Inbound, record.Direction);
            Assert.Equal("060210000004", record.AgentNumber);
        }

        [Theory]
        [InlineData("{\"call_id\":\"a\",\"start_stamp\":\"2026-11-02 14:03:22\",\"call_duration\":\"00:02:05\",\"agent_name\":{\"name\":\"Agent 004\",\"number\":\"Extension-0602\"}}", "Agent 004", "0602", 125)]
        [InlineData("{\"call_id\":\"a\",\"date\":\"2026-11-02 14:03:22\",\"call_duration\":125,\"agent_name\":[\"Agent 004\",\"Agent 005\"],\"agent_number\":[\"Extension-0602\"]}", "Agent 004", "0602", 125)]
        [InlineData("{\"call_id\":\"a\",\"date\":\"02/11/2026\",\"time\":\"14:03:22\",\"duration\":\"125\",\"agent_name\":\"Agent 004\",\"agent_number\":\"0602\"}", "Agent 004", "0602", 125)]
        public void Agent_fields_as_string_object_or_array_and_durations_as_seconds_or_clock_are_read(string json, string name, string number, int seconds)
        {
            AcefoneCallRecord record = Read(json);
            Assert.Equal(name, record.AgentName);
            Assert.Equal(number, record.AgentNumber);
            Assert.Equal(TimeSpan.FromSeconds(seconds), record.Duration);
            Assert.Equal(new DateTime(2026, 11, 2, 14, 3, 22), record.StartedAt.DateTime);
        }

        [Theory]
        [InlineData("{\"call_id\":\"x1\",\"date\":\"31-31-2026\",\"time\":\"10:00:00\"}", "date")]
        [InlineData("{\"call_id\":\"x1\",\"date\":\"2026-11-02\",\"time\":\"25:99\"}", "time")]
        [InlineData("{\"call_id\":\"x1\",\"start_stamp\":\"yesterday\"}", "start_stamp")]
        [InlineData("{\"call_id\":\"x1\",\"date\":\"2026-11-02\",\"call_duration\":\"long\"}", "call_duration")]
        [InlineData("{\"call_id\":\"x1\"}", "start time")]
        [InlineData("{\"date\":\"2026-11-02\"}", "call_id")]
        public void An_unreadable_record_is_InvalidResponse_naming_the_field(string json, string field)
        {
            var ex = Assert.Throws<AcefoneException>(() => Read(json));
            Assert.Equal(AcefoneErrorKind.InvalidResponse, ex.Kind);
            Assert.Contains(field, ex.Message);
        }

        [Fact]
        public void A_page_with_one_bad_record_keeps_the_others()
        {
            using JsonDocument document = JsonDocument.Parse("{\"count\":3,\"limit\":10,\"page\":1,\"results\":[{\"call_id\":\"1\",\"date\":\"2026-11-02\"},{\"call_id\":\"2\",\"date\":\"bad\"},{\"call_id\":\"3\",\"date\":\"2026-11-02\"}]}");
            var (items, count, limit, _) = CallRecordJson.ReadPage(document.RootElement, TimeZoneInfo.Utc);
            Assert.Equal(3, count);
            Assert.Equal(10, limit);
            Assert.IsType<AcefoneCallRecord>(items[0]);
            Assert.IsType<AcefoneException>(items[1]);
            Assert.IsType<AcefoneCallRecord>(items[2]);
        }

        [Fact]
        public void Times_are_sent_in_the_account_zone_whatever_their_kind()
        {
            DateTime utc = new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc);
            Assert.Equal("2026-11-02 05:30:00", AccountTimeZone.Format(AccountTimeZone.ToAccountTime(utc, AccountTimeZone.IndiaStandardTime)));
            DateTime wall = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Unspecified);
            Assert.Equal("2026-11-02 09:00:00", AccountTimeZone.Format(AccountTimeZone.ToAccountTime(wall, AccountTimeZone.IndiaStandardTime)));
            TimeZoneInfo uk = AccountTimeZone.ForRegion(AcefoneRegion.UK);
            Assert.Equal(TimeSpan.FromHours(1), AccountTimeZone.WithOffset(new DateTime(2026, 7, 1, 12, 0, 0), uk).Offset);
            Assert.Equal(TimeSpan.Zero, AccountTimeZone.WithOffset(new DateTime(2026, 12, 1, 12, 0, 0), uk).Offset);
            Assert.Same(AccountTimeZone.IndiaStandardTime, AccountTimeZone.Find("Asia/Kolkata"));
            Assert.Equal(AcefoneErrorKind.InvalidInput, Assert.Throws<AcefoneException>(() => AccountTimeZone.Find("Mars/Olympus")).Kind);
        }

        /// <summary>A fake records API over a fixed set of records (newest first), with an optional record added after a given request.</summary>
        private static ScriptedHandler RecordsApi(List<(string Id, DateTime At)> records, int addAfterRequest = 0)
        {
            return new ScriptedHandler((request, _, n) =>
            {
                var q = HttpUtility.ParseQueryString(request.RequestUri!.Query);
                DateTime from = DateTime.Parse(q["from_date"]!), to = DateTime.Parse(q["to_date"]!);
                int page = int.Parse(q["page"]!), limit = int.Parse(q["limit"]!);
                var matching = records.Where(r => r.At >= from && r.At <= to).OrderByDescending(r => r.At).ThenByDescending(r => r.Id).ToList();
                var slice = matching.Skip((page - 1) * limit).Take(limit).ToList();
                if (n == addAfterRequest && matching.Count > 0) records.Add(("added-" + n, matching[0].At));
                string items = string.Join(",", slice.Select(r => $"{{\"call_id\":\"{r.Id}\",\"start_stamp\":\"{r.At:yyyy-MM-dd HH:mm:ss}\"}}"));
                return ScriptedHandler.Json(200, $"{{\"count\":{matching.Count},\"limit\":{limit},\"page\":{page},\"results\":[{items}]}}");
            });
        }

        private static async Task<(List<AcefoneCallRecord> Records, int Duplicates)> ListAll(AcefoneSession session, CallRecordQuery query)
        {
            CallRecordReader reader = session.ListCallRecords(query);
            var all = new List<AcefoneCallRecord>();
            int duplicates = 0;
            CallRecordBatch? batch;
            while ((batch = await reader.NextAsync()) != null)
            {
                all.AddRange(batch.Records);
                duplicates += batch.Duplicates;
            }
            return (all, duplicates);
        }

        [Fact]
        public async Task Chunks_share_their_boundary_second_and_a_record_there_is_written_once()
        {
            var start = new DateTime(2026, 11, 1);
            var records = Enumerable.Range(0, 30).Select(i => ("r" + i, start.AddHours(i * 2))).ToList();
            records.Add(("tie", start.AddDays(1)));   // exactly on the first chunk boundary
            var handler = RecordsApi(records);
            using AcefoneSession session = Sessions.WithHandler(handler);
            var (found, duplicates) = await ListAll(session, new CallRecordQuery(start, start.AddDays(3)) { PageSize = 4, TimeZone = TimeZoneInfo.Utc });
            Assert.Equal(records.Select(r => r.Item1).OrderBy(x => x), found.Select(r => r.CallId).OrderBy(x => x));
            Assert.True(duplicates >= 2, "the boundary records are listed by both chunks");
            var froms = handler.Received.Select(r => HttpUtility.ParseQueryString(r.Request.RequestUri!.Query)["from_date"]).Distinct().ToList();
            Assert.Equal(new[] { "2026-11-01 00:00:00", "2026-11-02 00:00:00", "2026-11-03 00:00:00" }, froms);
        }

        [Fact]
        public async Task A_record_added_mid_listing_shifts_pages_but_every_record_is_written_once_and_none_is_missed()
        {
            var start = new DateTime(2026, 11, 1);
            var records = Enumerable.Range(0, 23).Select(i => ("r" + i.ToString("00"), start.AddMinutes(i * 10))).ToList();
            var original = records.Select(r => r.Item1).ToList();
            var handler = RecordsApi(records, addAfterRequest: 1);
            using AcefoneSession session = Sessions.WithHandler(handler);
            var (found, duplicates) = await ListAll(session, new CallRecordQuery(start, start.AddHours(20)) { PageSize = 5, TimeZone = TimeZoneInfo.Utc });
            Assert.Equal(found.Count, found.Select(r => r.CallId).Distinct().Count());
            Assert.All(original, id => Assert.Contains(id, found.Select(r => r.CallId)));
            Assert.True(duplicates > 0);
        }

        [Fact]
        public void A_range_that_ends_before_it_starts_is_refused_before_sending()
        {
            var handler = ScriptedHandler.Always(200, "{}");
            using AcefoneSession session = Sessions.WithHandler(handler);
            var ex = Assert.Throws<AcefoneException>(() => session.ListCallRecords(new CallRecordQuery(new DateTime(2026, 11, 2), new DateTime(2026, 11, 1))));
            Assert.Equal(AcefoneErrorKind.InvalidInput, ex.Kind);
            Assert.Equal(0, handler.Count);
        }

        [Fact]
        public void Filters_go_out_as_the_documented_query_parameters()
        {
            using AcefoneSession session = Sessions.WithHandler(ScriptedHandler.Always(200, "{}"));
            CallRecordReader reader = session.ListCallRecords(new CallRecordQuery(new DateTime(2026, 11, 1), new DateTime(2026, 11, 1, 12, 0, 0))
            {
                AgentNumber = "0602", Department = "Sales", Direction = CallDirection.Outbound, Status = CallRecordStatus.Answered,
                CallId = "1.2", DidNumber = "9180", MinimumDuration = TimeSpan.FromMinutes(2), PageSize = 50,
            });
            Assert.Equal("from_date=2026-11-01%2000%3A00%3A00&to_date=2026-11-01%2012%3A00%3A00&page=1&limit=50&call_id=1.2&agents=0602&department=Sales&direction=outbound&call_type=c&did_numbers=9180&duration=120&operator=%3E%3D",
                reader.BuildQuery(reader.From, reader.To, 1));
        }
    }
}
