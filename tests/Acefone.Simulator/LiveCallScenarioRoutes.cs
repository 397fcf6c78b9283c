using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace Acefone.Simulator;

/// <summary>The admin routes that drive live calls over time: change one call, or run a scripted scenario.</summary>
internal static class LiveCallScenarioRoutes
{
    private static readonly byte[] Changed = "{\"changed\":true}"u8.ToArray();

    /// <summary>POST /_sim/calls/change {"call_id", "state", "queue_state", "agent_name", "agent_number", "extension", "destination"}.</summary>
    internal static SimResponse Change(SimulatorState state, string body)
    {
        using var doc = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
        var change = ParseChange(doc.RootElement);
        return state.ChangeCall(change)
            ? AdminHandler.OkJson(Changed)
            : new SimResponse(404, ApiHandler.Json, JsonOut.Build(change.CallId, static (w, id) =>
            {
                w.WriteStartObject();
                w.WriteString("error", "call '" + id + "' is not live");
                w.WriteEndObject();
            }));
    }

    /// <summary>
    /// POST /_sim/calls/scenario {"steps": [{"at": seconds | "listing": n, "add": {call} | "change": {...} | "end": "id"}]}
    /// or {"generate": {"calls": M, "seconds": N, "prefix": "..."}}. An empty steps list ends the running scenario.
    /// </summary>
    internal static SimResponse Scenario(SimulatorState state, string body)
    {
        using var doc = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new System.ArgumentException("body must be a JSON object");
        IReadOnlyList<LiveCallStep> steps;
        var callIds = new List<string>();
        if (root.TryGetProperty("generate", out var generate))
        {
            int calls = generate.TryGetProperty("calls", out var c) && c.TryGetInt32(out int n) ? n : throw new System.ArgumentException("generate.calls must be an integer");
            double seconds = generate.TryGetProperty("seconds", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : throw new System.ArgumentException("generate.seconds must be a number");
            string prefix = generate.TryGetProperty("prefix", out var p) && p.ValueKind == JsonValueKind.String && p.GetString() is { Length: > 0 } given ? given : "1900000000.";
            steps = SimulatorState.GenerateScenario(calls, seconds, prefix);
        }
        else if (root.TryGetProperty("steps", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            var parsed = new List<LiveCallStep>();
            foreach (var item in list.EnumerateArray()) parsed.Add(ParseStep(item));
            steps = parsed;
        }
        else
        {
            throw new System.ArgumentException("expected {\"steps\": [...]} or {\"generate\": {\"calls\": M, \"seconds\": N}}");
        }
        foreach (var step in steps) if (step.Add is { } add) callIds.Add(add.CallId);
        state.StartScenario(steps);
        return AdminHandler.OkJson(JsonOut.Build((steps.Count, callIds), static (w, r) =>
        {
            w.WriteStartObject();
            w.WriteNumber("steps", r.Count);
            w.WriteStartArray("callIds");
            foreach (var id in r.callIds) w.WriteStringValue(id);
            w.WriteEndArray();
            w.WriteEndObject();
        }));
    }

    /// <summary>POST /_sim/faults/next {"statuses": [429, 503]}: the next /v1 requests answer these, one each.</summary>
    internal static SimResponse FailNext(SimulatorState state, string body)
    {
        using var doc = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("statuses", out var list))
            throw new System.ArgumentException("expected {\"statuses\": [429, 503]}");
        state.FailNextRequests(Statuses(list));
        return AdminHandler.OkJson("{\"ok\":true}"u8.ToArray());
    }

    private static List<int> Statuses(JsonElement list)
    {
        if (list.ValueKind != JsonValueKind.Array) throw new System.ArgumentException("statuses must be a list of HTTP statuses");
        var statuses = new List<int>();
        foreach (var e in list.EnumerateArray())
            statuses.Add(e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int n) ? n : throw new System.ArgumentException("statuses must be integers"));
        return statuses;
    }

    private static LiveCallStep ParseStep(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object) throw new System.ArgumentException("each step must be an object");
        double? at = item.TryGetProperty("at", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble() : null;
        int? listing = item.TryGetProperty("listing", out var l) && l.ValueKind == JsonValueKind.Number ? (int)l.GetDouble() : null;
        var step = new LiveCallStep { AtSeconds = at, AtListing = listing };
        if (item.TryGetProperty("add", out var add)) step = step with { Add = AdminHandler.ParseCall(add) };
        if (item.TryGetProperty("change", out var change)) step = step with { Change = ParseChange(change) };
        if (item.TryGetProperty("fail", out var fail)) step = step with { Fail = Statuses(fail) };
        if (item.TryGetProperty("end", out var end))
            step = step with { End = end.ValueKind == JsonValueKind.String ? end.GetString() : throw new System.ArgumentException("end must be a call id") };
        return step;
    }

    private static LiveCallChange ParseChange(JsonElement c)
    {
        if (c.ValueKind != JsonValueKind.Object) throw new System.ArgumentException("a change must be an object");
        string? S(string name) => c.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()
            : null;
        string callId = S("call_id") is { Length: > 0 } id ? id : throw new System.ArgumentException("call_id is required");
        return new LiveCallChange
        {
            CallId = callId,
            State = S("state"),
            QueueState = S("queue_state"),
            AgentName = S("agent_name"),
            AgentNumber = S("agent_number"),
            Extension = S("extension"),
            Destination = S("destination"),
        };
    }
}
