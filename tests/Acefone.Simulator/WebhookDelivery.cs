using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;

namespace Acefone.Simulator;

/// <summary>
/// POST /_sim/webhooks/deliver: the platform pushing an event to a loopback listener the test started, in the shapes
/// live captures show. Body: {"url": "http://127.0.0.1:port/...", "format": "json"|"form", "agentShape":
/// "string"|"object"|"jsonString", "repeat": 1-3, "event": {fields}}. The event's "answered_agent" and "missed_agent"
/// (given as {id, name, number}) are sent in the chosen shape. Answers {"delivered": n, "statuses": [...]}.
/// </summary>
internal static class WebhookDelivery
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(10) };

    internal static SimResponse Deliver(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        string url = (root.TryGetProperty("url", out var u) ? u.GetString() : null) ?? throw new ArgumentException("url is required");
        if (!root.TryGetProperty("event", out var ev) || ev.ValueKind != JsonValueKind.Object) throw new ArgumentException("event (an object of fields) is required");
        var uri = new Uri(url);
        if (!uri.IsLoopback) throw new ArgumentException("webhooks are delivered to loopback listeners only");
        string format = root.TryGetProperty("format", out var f) ? f.GetString() ?? "json" : "json";
        string shape = root.TryGetProperty("agentShape", out var s) ? s.GetString() ?? "object" : "object";
        int repeat = root.TryGetProperty("repeat", out var r) ? r.GetInt32() : 1;
        if (repeat is < 1 or > 3) throw new ArgumentException("repeat is 1-3 (a delivery is retried at most twice)");
        if (format is not ("json" or "form")) throw new ArgumentException("format is json or form");
        if (shape is not ("string" or "object" or "jsonString")) throw new ArgumentException("agentShape is string, object or jsonString");
        var fields = new List<(string Name, JsonElement Value)>();
        foreach (var p in ev.EnumerateObject()) fields.Add((p.Name, p.Value.Clone()));

        string payload = format == "json" ? Json(fields, shape) : Form(fields, shape);
        string contentType = format == "json" ? "application/json" : "application/x-www-form-urlencoded";
        var statuses = new List<int>();
        for (int i = 0; i < repeat; i++)
        {
            using var content = new StringContent(payload, Encoding.UTF8);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            try
            {
                using var response = Client.PostAsync(uri, content).GetAwaiter().GetResult();
                statuses.Add((int)response.StatusCode);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                statuses.Add(0);   // no listener answered
            }
        }
        return new SimResponse(200, ApiHandler.Json, JsonOut.Build((statuses, payload), static (w, st) =>
        {
            w.WriteStartObject();
            w.WriteNumber("delivered", st.statuses.Count);
            w.WriteStartArray("statuses");
            foreach (int code in st.statuses) w.WriteNumberValue(code);
            w.WriteEndArray();
            w.WriteString("body", st.payload);
            w.WriteEndObject();
        }));
    }

    private static bool IsAgent(string name) => name is "answered_agent" or "missed_agent";

    /// <summary>An agent object in the chosen shape: its name as a string, the object, or the object as a JSON string.</summary>
    private static string AgentText(JsonElement agent, string shape) => shape switch
    {
        "string" => agent.ValueKind == JsonValueKind.Object && agent.TryGetProperty("name", out var n) ? n.GetString() ?? "" : agent.ToString(),
        _ => agent.GetRawText(),
    };

    private static string Json(List<(string Name, JsonElement Value)> fields, string shape)
    {
        using var stream = new System.IO.MemoryStream();
        using (var w = new Utf8JsonWriter(stream, JsonOut.WriterOptions))
        {
            w.WriteStartObject();
            foreach (var (name, value) in fields)
            {
                if (IsAgent(name) && value.ValueKind == JsonValueKind.Object && shape != "object")
                    w.WriteString(name, AgentText(value, shape));
                else
                {
                    w.WritePropertyName(name);
                    value.WriteTo(w);
                }
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Form fields are text: an agent object goes as a JSON string unless the shape is string.</summary>
    private static string Form(List<(string Name, JsonElement Value)> fields, string shape) =>
        string.Join("&", fields.Select(p =>
        {
            string text = IsAgent(p.Name) && p.Value.ValueKind == JsonValueKind.Object
                ? AgentText(p.Value, shape == "string" ? "string" : "jsonString")
                : p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText();
            return Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(text);
        }));
}
