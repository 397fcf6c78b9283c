using System;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Acefone.Simulator;

/// <summary>
/// POST /v1/click_to_call and POST /v1/agent/{id}/block|unblock, with the awkward parts the docs and live clients show:
/// a leading + in destination_number refused (422), async:1 required (the synchronous form is no longer served),
/// numbers as strings or numbers, an answer with success as a string and a ref_id that is not a call id, and no call id.
/// </summary>
internal sealed class SupervisorRoutes
{
    private static readonly byte[] AgentNumberRequired = JsonOut.Message(false, "The agent number field is required.");
    private static readonly byte[] DestinationRequired = JsonOut.Message(false, "The destination number field is required.");
    private static readonly byte[] DestinationFormat = JsonOut.Message(false, "The destination number format is invalid.");
    private static readonly byte[] AsyncRequired = JsonOut.Message(false, "The async field is required.");
    private static readonly byte[] SyncNotServed = JsonOut.Message(false, "Synchronous click to call is no longer supported. Send async: 1.");
    private static readonly byte[] CallTimeoutInvalid = JsonOut.Message(false, "The call timeout must be an integer.");
    private static readonly byte[] InvalidAgent = "{\"success\":\"false\",\"message\":\"Invalid agent number\"}"u8.ToArray();
    private static readonly byte[] AgentNotAvailable = "{\"success\":\"false\",\"message\":\"Agent is not available\"}"u8.ToArray();
    private static readonly byte[] InvalidAgentId = JsonOut.Message(false, "Invalid agent id");

    private readonly SimulatorState _state;

    internal SupervisorRoutes(SimulatorState state) => _state = state;

    /// <summary>The agent id of /v1/agent/{id}/block or /unblock, else null.</summary>
    internal static string? AgentIdOf(string path, out bool block)
    {
        block = false;
        const string prefix = "/v1/agent/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal)) return null;
        string rest = path.Substring(prefix.Length);
        int slash = rest.IndexOf('/');
        if (slash <= 0) return null;
        string action = rest.Substring(slash + 1);
        if (action != "block" && action != "unblock") return null;
        block = action == "block";
        return Uri.UnescapeDataString(rest.Substring(0, slash));
    }

    internal SimResponse ClickToCall(HttpRequest req, string body, out bool processed, out string? dedupeKey)
    {
        processed = false;
        dedupeKey = null;
        if (!ApiHandler.TryParseObject(req, body, out var doc)) return new SimResponse(422, ApiHandler.Json, JsonOut.Message(false, "Invalid request body"));
        using (doc)
        {
            var root = doc!.RootElement;
            string? agent = Scalar(root, "agent_number");
            if (agent is null) return Unprocessable(AgentNumberRequired);
            string? destination = Scalar(root, "destination_number");
            if (destination is null) return Unprocessable(DestinationRequired);
            if (!IsDigits(destination, 10, 15)) return Unprocessable(DestinationFormat);
            string? async = Scalar(root, "async");
            if (async is null) return Unprocessable(AsyncRequired);
            if (async != "1") return Unprocessable(SyncNotServed);
            if (root.TryGetProperty("call_timeout", out var timeout) && timeout.ValueKind != JsonValueKind.Null
                && !(timeout.ValueKind == JsonValueKind.Number && timeout.TryGetInt32(out _)) && !(timeout.ValueKind == JsonValueKind.String && int.TryParse(timeout.GetString(), out _)))
                return Unprocessable(CallTimeoutInvalid);
            switch (_state.PlaceCall(agent, destination, Scalar(root, "caller_id"), Scalar(root, "custom_identifier")))
            {
                case ClickToCallStatus.InvalidAgent: return new SimResponse(200, ApiHandler.Json, InvalidAgent);
                case ClickToCallStatus.AgentNotAvailable: return new SimResponse(200, ApiHandler.Json, AgentNotAvailable);
            }
            processed = true;
            dedupeKey = JsonOut.Canonical(root);
            // success as a string and a ref_id: what live clients log. The ref_id is not a call id.
            return new SimResponse(200, ApiHandler.Json, JsonOut.Build(Guid.NewGuid().ToString("N").Substring(0, 16), static (w, refId) =>
            {
                w.WriteStartObject();
                w.WriteString("success", "true");
                w.WriteString("message", "Originate successfully queued");
                w.WriteString("ref_id", refId);
                w.WriteEndObject();
            }));
        }
    }

    internal SimResponse SetBlocked(string path, bool block, out bool processed)
    {
        processed = false;
        string agentId = AgentIdOf(path, out _)!;
        switch (_state.SetBlocked(agentId, block))
        {
            case AgentBlockStatus.InvalidAgent:
                return Unprocessable(InvalidAgentId);
            case AgentBlockStatus.AlreadyInState:
                processed = true;
                return new SimResponse(200, ApiHandler.Json, JsonOut.Message(true, block ? "Agent is already blocked" : "Agent is already unblocked"));
            default:
                processed = true;
                // The unblock answer sends success as a string, as several of this API's answers do.
                return new SimResponse(200, ApiHandler.Json, block
                    ? JsonOut.Message(true, "Agent blocked successfully")
                    : "{\"success\":\"true\",\"message\":\"Agent unblocked successfully\"}"u8.ToArray());
        }
    }

    private static SimResponse Unprocessable(byte[] body) => new(422, ApiHandler.Json, body);

    /// <summary>A string or number field as text (Laravel reads both); blank is missing.</summary>
    private static string? Scalar(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var el)) return null;
        string? text = el.ValueKind switch
        {
            JsonValueKind.String => el.GetString(),
            JsonValueKind.Number => el.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    private static bool IsDigits(string s, int min, int max)
    {
        if (s.Length < min || s.Length > max) return false;
        foreach (char c in s)
            if (c < '0' || c > '9') return false;
        return true;
    }
}
