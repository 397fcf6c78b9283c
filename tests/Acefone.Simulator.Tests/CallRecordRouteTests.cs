using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace Acefone.Simulator.Tests;

/// <summary>The simulator's call-record and recording routes, and their knobs.</summary>
public class CallRecordRouteTests
{
    [Fact]
    public async Task Records_page_newest_first_within_an_inclusive_range_in_account_time()
    {
        await using var sim = await Sim.StartAsync();
        var records = sim.State.CallRecords.GetRecords();
        Assert.Equal(CallRecordStore.SeededCount, records.Count);
        var offset = TimeSpan.FromMinutes(330);
        var newest = records[^1].StartedAt.ToOffset(offset);
        string from = Uri.EscapeDataString(newest.AddDays(-1).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        string to = Uri.EscapeDataString(newest.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        var page1 = await sim.GetAsync($"/v1/call/records?from_date={from}&to_date={to}&page=1&limit=5");
        Assert.Equal(200, page1.Status);
        int expected = records.Count(r => r.StartedAt >= newest.AddDays(-1) && r.StartedAt <= newest);
        Assert.Equal(expected, page1.Json.GetProperty("count").GetInt32());
        Assert.Equal(5, page1.Json.GetProperty("size").GetInt32());
        Assert.Equal(records[^1].CallId, page1.Json.GetProperty("results")[0].GetProperty("call_id").GetString());
        var bad = await sim.GetAsync("/v1/call/records?from_date=2026-13-01");
        Assert.Equal(422, bad.Status);
        Assert.Equal(401, (await sim.GetAsync("/v1/call/records", token: null)).Status);
    }

    [Fact]
    public async Task Two_simulators_reseeded_at_one_time_hold_the_same_records_whatever_second_each_was_reset_in()
    {
        await using var first = await Sim.StartAsync();
        await using var second = await Sim.StartAsync();
        long at = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Equal(200, (await first.PostAsync("/_sim/records/reseed", "{\"seededAt\":" + at + "}", token: null)).Status);
        Assert.Equal(200, (await second.PostAsync("/_sim/records/reseed", "{\"seededAt\":" + (at - 1) + "}", token: null)).Status);
        Assert.NotEqual(first.State.CallRecords.GetRecords()[^1].CallId, second.State.CallRecords.GetRecords()[^1].CallId);
        Assert.Equal(200, (await second.PostAsync("/_sim/records/reseed", "{\"seededAt\":" + at + "}", token: null)).Status);
        Assert.Equal(first.State.CallRecords.GetRecords().Select(r => r.CallId), second.State.CallRecords.GetRecords().Select(r => r.CallId));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(at), second.State.CallRecords.SeededAt);
        Assert.Equal(400, (await first.PostAsync("/_sim/records/reseed", "{}", token: null)).Status);
    }

    [Fact]
    public async Task A_record_appears_at_the_newest_end_after_every_Nth_page_so_the_next_page_repeats_one()
    {
        await using var sim = await Sim.StartAsync();
        sim.State.CallRecords.Knobs = new CallRecordKnobs { ShiftEveryNthPage = 1 };
        var first = await sim.GetAsync("/v1/call/records?page=1&limit=3");
        var second = await sim.GetAsync("/v1/call/records?page=2&limit=3");
        string lastOfFirst = first.Json.GetProperty("results")[2].GetProperty("call_id").GetString()!;
        Assert.Equal(lastOfFirst, second.Json.GetProperty("results")[0].GetProperty("call_id").GetString());
        Assert.Equal(CallRecordStore.SeededCount + 2, sim.State.CallRecords.GetRecords().Count);
    }

    [Fact]
    public async Task A_hidden_page_size_cap_answers_the_limit_asked_for_and_a_repeated_page_answers_page_one_again()
    {
        await using var sim = await Sim.StartAsync();
        sim.State.CallRecords.Knobs = new CallRecordKnobs { MaxPageSize = 5, HidePageSizeCap = true };
        var capped = await sim.GetAsync("/v1/call/records?page=1&limit=20");
        Assert.Equal(5, capped.Json.GetProperty("results").GetArrayLength());
        Assert.Equal(20, capped.Json.GetProperty("limit").GetInt32());
        var second = await sim.GetAsync("/v1/call/records?page=2&limit=20");
        Assert.NotEqual(capped.Json.GetProperty("results")[0].GetProperty("call_id").GetString(), second.Json.GetProperty("results")[0].GetProperty("call_id").GetString());

        sim.State.CallRecords.Knobs = new CallRecordKnobs { RepeatFirstPage = true };
        var one = await sim.GetAsync("/v1/call/records?page=1&limit=3");
        var two = await sim.GetAsync("/v1/call/records?page=2&limit=3");
        Assert.Equal(2, two.Json.GetProperty("page").GetInt32());
        Assert.Equal(one.Json.GetProperty("count").GetInt32(), two.Json.GetProperty("count").GetInt32());
        Assert.Equal(one.Json.GetProperty("results")[2].GetProperty("call_id").GetString(), two.Json.GetProperty("results")[2].GetProperty("call_id").GetString());
    }

    [Fact]
    public async Task A_recording_is_served_whole_or_from_a_range_and_needs_its_own_token()
    {
        await using var sim = await Sim.StartAsync();
        var record = sim.State.CallRecords.GetRecords().First(r => r.RecordingBytes > 0);
        string path = $"/file/recording?callId={Uri.EscapeDataString(record.CallId)}&type=rec&token={record.RecordingToken}";
        using (var whole = await sim.Http.GetAsync(path.TrimStart('/')))
        {
            Assert.Equal(200, (int)whole.StatusCode);
            Assert.Equal(record.RecordingBytes, (await whole.Content.ReadAsByteArrayAsync()).Length);
        }
        using (var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/')))
        {
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, null);
            using var part = await sim.Http.SendAsync(request);
            Assert.Equal(206, (int)part.StatusCode);
            Assert.Equal(1000, part.Content.Headers.ContentRange!.From);
            Assert.Equal(record.RecordingBytes - 1000, (await part.Content.ReadAsByteArrayAsync()).Length);
        }
        Assert.Equal(403, (await sim.GetAsync(path.Replace(record.RecordingToken, "wrong"), token: null)).Status);
        sim.State.CallRecords.Knobs = new CallRecordKnobs { GoneCallIds = new[] { record.CallId } };
        Assert.Equal(404, (await sim.GetAsync(path, token: null)).Status);
        Assert.Equal(404, (await sim.GetAsync(path)).Status);
        var log = sim.State.GetRequests("/file/recording");
        Assert.Equal(5, log.Count);
        Assert.Null(log[^2].Authorization);
        Assert.Equal("Bearer " + Sim.Console, log[^1].Authorization);
    }

    [Fact]
    public async Task A_dropped_recording_sends_part_of_the_body_then_aborts_once()
    {
        await using var sim = await Sim.StartAsync();
        var record = sim.State.CallRecords.GetRecords().First(r => r.RecordingBytes > 200_000);
        sim.State.CallRecords.Knobs = new CallRecordKnobs { DropNext = 1, DropAfterBytes = 1000 };
        string path = $"file/recording?callId={Uri.EscapeDataString(record.CallId)}&type=rec&token={record.RecordingToken}";
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await sim.Http.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
        });
        using var again = await sim.Http.GetAsync(path);
        Assert.Equal(record.RecordingBytes, (await again.Content.ReadAsByteArrayAsync()).Length);
    }
}
