using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Acefone.Client
{
    /// <summary>
    /// Reads webhook deliveries: a JSON object (or an array of them, as captures hold), a form-encoded body, or fields
    /// already parsed. Field names are matched without letter case and without the '$' of the console's placeholders.
    /// Unknown fields are kept; a body with none of a call event's fields is a <see cref="FormatException"/> saying so.
    /// </summary>
    public static class WebhookReader
    {
        /// <summary>The fields of which an event has at least one; a body with none of them is not a call webhook.</summary>
        private static readonly string[] EventFields =
        {
            "call_id", "uuid", "caller_id_number", "call_to_number", "answered_agent", "missed_agent", "call_status", "customer_number",
            "answered_agent_number", "agent_number",
        };

        /// <summary>Reads one delivery's body. <paramref name="deduplicateBy"/>: the fields whose values identify a delivery (null: all of them).</summary>
        public static IReadOnlyList<AcefoneWebhookEvent> Read(string? body, IReadOnlyList<string>? deduplicateBy = null)
        {
            string text = (body ?? string.Empty).Trim().TrimStart('\uFEFF');
            if (text.Length == 0) throw new FormatException("The webhook body is empty: there is no event in it.");
            if (text[0] == '{' || text[0] == '[')
            {
                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(text);
                }
                catch (JsonException ex)
                {
                    throw new FormatException($"The webhook body looks like JSON but is not valid JSON ({ex.Message}): {InputRules.Display(text, 60)}", ex);
                }
                using (document)
                {
                    JsonElement root = document.RootElement;
                    if (root.ValueKind == JsonValueKind.Object) return new[] { FromFields(ObjectFields(root), deduplicateBy, "json") };
                    var events = new List<AcefoneWebhookEvent>();
                    int index = 0;
                    foreach (JsonElement item in root.EnumerateArray())
                    {
                        index++;
                        if (item.ValueKind != JsonValueKind.Object)
                            throw new FormatException($"Item {index} of the webhook body's JSON array is {item.ValueKind.ToString().ToLowerInvariant()}, not an event object.");
                        events.Add(FromFields(ObjectFields(item), deduplicateBy, "json"));
                    }
                    return events;
                }
            }
            if (text.IndexOf('=') > 0 && text.IndexOfAny(new[] { '\r', '\n', '<' }) < 0)
                return new[] { FromFields(FormFields(text), deduplicateBy, "form") };
            throw new FormatException($"The webhook body is neither JSON nor form-encoded fields: {InputRules.Display(text, 60)}");
        }

        /// <summary>An event from fields already parsed (a hashtable, ConvertFrom-Json output).</summary>
        public static AcefoneWebhookEvent FromFields(IEnumerable<KeyValuePair<string, object?>> fields, IReadOnlyList<string>? deduplicateBy = null, string format = "json")
        {
            if (fields == null) throw new ArgumentNullException(nameof(fields));
            var all = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, object?> field in fields)
            {
                if (string.IsNullOrEmpty(field.Key)) continue;
                all[field.Key] = field.Value;
            }
            if (!EventFields.Any(name => Find(all, name) != null))
                throw new FormatException(
                    $"The body is not an Acefone call webhook: it has none of the fields {string.Join(", ", EventFields)} (it has: {Describe(all.Keys)}).");

            var e = new AcefoneWebhookEvent(all)
            {
                Format = format,
                Event = Text(all, "event") ?? Text(all, "trigger") ?? Text(all, "event_type") ?? Text(all, "webhook_event"),
                CallStatus = Text(all, "call_status"),
                CallId = Text(all, "call_id"),
                Uuid = Text(all, "uuid"),
                Direction = ReadDirection(Text(all, "direction")),
                StartedAt = ReadLocalTime(Text(all, "start_stamp") ?? Text(all, "start_time") ?? Text(all, "created_at")),
                Duration = long.TryParse(Text(all, "duration"), NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null,
                CustomIdentifier = Text(all, "custom_identifier") ?? Text(all, "ref_id"),
                RecordingUrl = Text(all, "recording_url"),
            };
            string? callTo = Text(all, "call_to_number");
            if (e.Direction == CallDirection.Outbound)
            {
                e.CustomerNumber = callTo ?? Text(all, "customer_number") ?? Text(all, "customer_no_with_prefix");
            }
            else
            {
                e.CustomerNumber = Text(all, "caller_id_number") ?? Text(all, "customer_number") ?? Text(all, "customer_no_with_prefix");
                e.Did = callTo;
            }

            var agents = new List<WebhookAgent>();
            agents.AddRange(Agents(Find(all, "answered_agent")));
            // The flat fields describe the answering agent; they fill what its object or string left out.
            string? flatName = Text(all, "answered_agent_name") ?? Text(all, "agent_name");
            string? flatNumber = Text(all, "answered_agent_number") ?? Text(all, "agent_number");
            string? flatId = Text(all, "answered_agent_id");
            if (agents.Count > 0)
                agents[0] = new WebhookAgent(agents[0].Id ?? flatId, agents[0].Name ?? flatName, agents[0].Number ?? flatNumber);
            else if (flatName != null || flatNumber != null || flatId != null)
                agents.Add(new WebhookAgent(flatId, flatName, flatNumber));
            agents.AddRange(Agents(Find(all, "missed_agent")));
            e.Agents = agents;
            if (agents.Count > 0)
            {
                e.AgentName = agents[0].Name;
                e.AgentNumber = agents[0].Number;
                e.AnsweredAgentId = agents[0].Id;
            }
            e.DeliveryKey = KeyOf(all, deduplicateBy, e);
            return e;
        }

        /// <summary>
        /// The values of the <paramref name="deduplicateBy"/> fields joined, or a SHA-256 of every field. A name may be a
        /// field of the body (call_id) or a property of the event (CallId), which is what a user sees on the object.
        /// </summary>
        private static string KeyOf(Dictionary<string, object?> fields, IReadOnlyList<string>? deduplicateBy, AcefoneWebhookEvent e)
        {
            if (deduplicateBy != null && deduplicateBy.Count > 0)
            {
                var parts = new List<string>(deduplicateBy.Count);
                foreach (string name in deduplicateBy)
                {
                    object? value = Find(fields, name) ?? EventProperty(e, name);
                    if (value == null)
                        throw new WebhookKeyException(
                            $"The webhook has no field or event property '{name}' to deduplicate by (its fields: {Describe(fields.Keys)}; the event's properties: {string.Join(", ", KeyProperties)}).");
                    parts.Add(name.TrimStart('$').ToLowerInvariant() + "=" + Canonical(value));
                }
                return string.Join("&", parts);
            }
            var canonical = new StringBuilder();
            foreach (KeyValuePair<string, object?> field in fields.OrderBy(f => Normalize(f.Key), StringComparer.Ordinal))
                canonical.Append(Normalize(field.Key)).Append('=').Append(Canonical(field.Value)).Append('\u001f');
            using (SHA256 sha = SHA256.Create())
            {
                byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(canonical.ToString()));
                return "sha256:" + BitConverter.ToString(hash).Replace("-", string.Empty).ToLowerInvariant();
            }
        }

        private static string Canonical(object? value)
        {
            switch (value)
            {
                case null: return string.Empty;
                case string s: return s;
                case IDictionary<string, object?> map:
                    return "{" + string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + ":" + Canonical(p.Value))) + "}";
                case object?[] items: return "[" + string.Join(",", items.Select(Canonical)) + "]";
                case IFormattable formattable: return formattable.ToString(null, CultureInfo.InvariantCulture);
                default:
                    // Stryker disable once String : equivalent for what reaches it (JSON's true and false, PowerShell values): none has a null ToString
                    return value.ToString() ?? string.Empty;
            }
        }

        /// <summary>The event's properties -DeduplicateBy may name, as the object shows them, each with how to read it.</summary>
        private static readonly KeyValuePair<string, Func<AcefoneWebhookEvent, string?>>[] KeyPropertyReaders =
        {
            Reader("CallId", e => e.CallId),
            Reader("Uuid", e => e.Uuid),
            Reader("CallStatus", e => e.CallStatus),
            Reader("Event", e => e.Event),
            Reader("CustomIdentifier", e => e.CustomIdentifier),
            Reader("CustomerNumber", e => e.CustomerNumber),
            Reader("Did", e => e.Did),
            Reader("AgentNumber", e => e.AgentNumber),
            Reader("AnsweredAgentId", e => e.AnsweredAgentId),
            Reader("StartedAt", e => e.StartedAt?.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)),
        };

        internal static readonly string[] KeyProperties = KeyPropertyReaders.Select(reader => reader.Key).ToArray();

        private static KeyValuePair<string, Func<AcefoneWebhookEvent, string?>> Reader(string name, Func<AcefoneWebhookEvent, string?> read) =>
            new KeyValuePair<string, Func<AcefoneWebhookEvent, string?>>(name, read);

        private static string? EventProperty(AcefoneWebhookEvent e, string name)
        {
            foreach (KeyValuePair<string, Func<AcefoneWebhookEvent, string?>> reader in KeyPropertyReaders)
                if (string.Equals(reader.Key, name, StringComparison.OrdinalIgnoreCase)) return reader.Value(e);
            return null;
        }

        private static string Normalize(string name) => name.TrimStart('$').ToLowerInvariant();

        private static object? Find(Dictionary<string, object?> fields, string name)
        {
            string bare = name.TrimStart('$');
            if (fields.TryGetValue(bare, out object? value)) return value;
            return fields.TryGetValue("$" + bare, out value) ? value : null;
        }

        private static string? Text(Dictionary<string, object?> fields, string name)
        {
            object? value = Find(fields, name);
            string? text = value is string s ? s : value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : null;
            return string.IsNullOrWhiteSpace(text) ? null : text!.Trim();
        }

        /// <summary>An agent field as a string, an object, a JSON string holding either, or an array of them.</summary>
        private static IEnumerable<WebhookAgent> Agents(object? value)
        {
            switch (value)
            {
                case null:
                    yield break;
                case string s:
                {
                    string t = s.Trim();
                    if (t.Length == 0) yield break;
                    if (t[0] == '{' || t[0] == '[')
                    {
                        object? parsed = null;
                        try
                        {
                            using (JsonDocument document = JsonDocument.Parse(t)) parsed = Convert(document.RootElement);
                        }
                        catch (JsonException)
                        {
                            // Not JSON after all: a name that starts with a bracket.
                        }
                        if (parsed != null)
                        {
                            foreach (WebhookAgent agent in Agents(parsed)) yield return agent;
                            yield break;
                        }
                    }
                    bool digits = t.TrimStart('+').All(c => c >= '0' && c <= '9');
                    yield return digits ? new WebhookAgent(null, null, t) : new WebhookAgent(null, t, null);
                    yield break;
                }
                case IDictionary<string, object?> map:
                {
                    var fields = new Dictionary<string, object?>(map, StringComparer.OrdinalIgnoreCase);
                    yield return new WebhookAgent(
                        Text(fields, "id") ?? Text(fields, "agent_id") ?? Text(fields, "eid"),
                        Text(fields, "name") ?? Text(fields, "agent_name"),
                        Text(fields, "number") ?? Text(fields, "agent_number") ?? Text(fields, "follow_me_number"));
                    yield break;
                }
                case object?[] items:
                    foreach (object? item in items)
                    foreach (WebhookAgent agent in Agents(item))
                        yield return agent;
                    yield break;
                case IFormattable number:
                    yield return new WebhookAgent(null, null, number.ToString(null, CultureInfo.InvariantCulture));
                    yield break;
            }
        }

        private static CallDirection? ReadDirection(string? text)
        {
            switch (text?.ToLowerInvariant())
            {
                case "1": case "inbound": case "incoming": case "in": return CallDirection.Inbound;
                case "2": case "outbound": case "outgoing": case "out": case "click_to_call": return CallDirection.Outbound;
                default: return null;
            }
        }

        private static DateTime? ReadLocalTime(string? text) =>
            DateTime.TryParseExact(text, new[] { "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss.fff" }, CultureInfo.InvariantCulture,
                DateTimeStyles.None, out DateTime time) ? DateTime.SpecifyKind(time, DateTimeKind.Unspecified) : (DateTime?)null;

        private static IEnumerable<KeyValuePair<string, object?>> ObjectFields(JsonElement element)
        {
            var fields = new List<KeyValuePair<string, object?>>();
            foreach (JsonProperty property in element.EnumerateObject()) fields.Add(new KeyValuePair<string, object?>(property.Name, Convert(property.Value)));
            return fields;
        }

        /// <summary>JSON as plain .NET values: string, long or double, bool, null, a dictionary, an array.</summary>
        internal static object? Convert(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String: return element.GetString();
                case JsonValueKind.Number: return element.TryGetInt64(out long whole) ? whole : (object)element.GetDouble();
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                case JsonValueKind.Object:
                {
                    var map = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                    foreach (JsonProperty property in element.EnumerateObject()) map[property.Name] = Convert(property.Value);
                    return map;
                }
                case JsonValueKind.Array: return element.EnumerateArray().Select(Convert).ToArray();
                default: return null;
            }
        }

        private static IEnumerable<KeyValuePair<string, object?>> FormFields(string text)
        {
            var fields = new List<KeyValuePair<string, object?>>();
            foreach (string pair in text.Split('&'))
            {
                // Stryker disable once Statement : equivalent, an empty pair would be a field with no name, which FromFields drops
                if (pair.Length == 0) continue;
                int equals = pair.IndexOf('=');
                string name = Decode(equals < 0 ? pair : pair.Substring(0, equals));
                // Stryker disable once Equality : equivalent at equals == 0, a pair with no name, which FromFields drops
                string value = equals < 0 ? string.Empty : Decode(pair.Substring(equals + 1));
                fields.Add(new KeyValuePair<string, object?>(name, value));
            }
            return fields;
        }

        private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

        private static string Describe(IEnumerable<string> names)
        {
            List<string> list = names.Take(12).ToList();
            return list.Count == 0 ? "no fields" : string.Join(", ", list.Select(n => InputRules.Display(n, 30)));
        }
    }
}
