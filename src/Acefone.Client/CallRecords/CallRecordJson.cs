using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace Acefone.Client
{
    /// <summary>
    /// Reads call records leniently: date and time as two fields or one stamp, durations as seconds or HH:MM:SS,
    /// agent fields as a string, an object or an array. What cannot be read becomes one InvalidResponse error naming
    /// the field, for that record only.
    /// </summary>
    internal static class CallRecordJson
    {
        private static readonly string[] DateFormats = { "yyyy-MM-dd", "yyyy/MM/dd", "dd-MM-yyyy", "dd/MM/yyyy" };
        private static readonly string[] TimeFormats = { "HH:mm:ss", "H:mm:ss", "HH:mm", "HH:mm:ss.FFFFFFF" };
        private static readonly string[] StampFormats =
        {
            "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm",
        };

        /// <summary>The records of one page, each parsed or an error; plus the page's count and limit when it sent them.</summary>
        internal static (List<object> Items, int? Count, int? Limit, int? Page) ReadPage(JsonElement root, TimeZoneInfo zone)
        {
            JsonElement list;
            int? count = null, limit = null, page = null;
            if (root.ValueKind == JsonValueKind.Array) list = root;
            else if (root.ValueKind == JsonValueKind.Object)
            {
                if (ResponseJson.ReadSuccess(root) == false)
                    throw new AcefoneException(AcefoneErrorKind.Rejected, "the API answered success: false instead of records.") { ServerMessage = ResponseJson.ReadMessage(root) };
                if (!(ResponseJson.TryGetProperty(root, "results", out list) || ResponseJson.TryGetProperty(root, "data", out list)) || list.ValueKind != JsonValueKind.Array)
                    throw Invalid("the call records answer has no 'results' list.");
                count = (int?)ResponseJson.ReadInt64(root, "count");
                limit = (int?)ResponseJson.ReadInt64(root, "limit");
                page = (int?)ResponseJson.ReadInt64(root, "page");
            }
            else throw Invalid($"the call records answer is JSON {root.ValueKind.ToString().ToLowerInvariant()} where an object was expected.");

            var items = new List<object>(list.GetArrayLength());
            int index = 0;
            foreach (JsonElement item in list.EnumerateArray())
            {
                index++;
                try
                {
                    items.Add(ReadRecord(item, zone));
                }
                catch (AcefoneException ex)
                {
                    items.Add(ex);
                }
            }
            return (items, count, limit, page);
        }

        internal static AcefoneCallRecord ReadRecord(JsonElement item, TimeZoneInfo zone)
        {
            if (item.ValueKind != JsonValueKind.Object)
                throw Invalid($"a record is JSON {item.ValueKind.ToString().ToLowerInvariant()} where an object was expected.");
            string? callId = ResponseJson.ReadText(item, "call_id")?.Trim();
            if (string.IsNullOrEmpty(callId)) throw Invalid($"a record has no call_id ({Field(item, "call_id")}).", null);
            string who = $"record '{InputRules.Display(callId, 60)}'";

            DateTime startLocal = ReadStart(item, who, callId!);
            DateTime? endLocal = null;
            string? end = ResponseJson.ReadText(item, "end_stamp");
            if (!string.IsNullOrWhiteSpace(end))
            {
                if (!TryParse(end!, StampFormats, out DateTime endStamp))
                    throw Invalid($"{who} has an end_stamp that is not a date and time ({InputRules.Display(end, 40)}).", callId);
                endLocal = endStamp;
            }
            TimeSpan? duration = ReadDuration(item, who, callId!);
            // The hour the clocks go back happens twice: the end and the duration decide which, or the record says it is ambiguous.
            RecordTimes times = AccountTimeZone.Resolve(startLocal, endLocal, duration, zone);
            DateTimeOffset started = times.Started;
            var record = new AcefoneCallRecord(callId!, started)
            {
                EndedAt = times.Ended,
                AmbiguousTime = times.Ambiguous,
                Uuid = Blank(ResponseJson.ReadText(item, "uuid")),
                Direction = ReadDirection(ResponseJson.ReadText(item, "direction")),
                Status = Blank(ResponseJson.ReadText(item, "status")),
                HangupCause = Blank(ResponseJson.ReadText(item, "hangup_cause")),
                CustomerNumber = Blank(ResponseJson.ReadText(item, "client_number") ?? ResponseJson.ReadText(item, "customer_number") ?? ResponseJson.ReadText(item, "caller_id_number")),
                DidNumber = Blank(ResponseJson.ReadText(item, "did_number") ?? ResponseJson.ReadText(item, "did")),
                Department = Blank(ResponseJson.ReadText(item, "department_name") ?? ResponseJson.ReadText(item, "department")),
                RecordingUrl = Blank(ResponseJson.ReadText(item, "recording_url")),
                Raw = item.GetRawText(),
            };
            record.Duration = duration ?? (record.EndedAt.HasValue && record.EndedAt.Value >= started ? record.EndedAt.Value - started : (TimeSpan?)null);

            (string? agentName, string? nameNumber) = ReadAgent(item, "agent_name", "name");
            (string? agentNumber, _) = ReadAgent(item, "agent_number", "number");
            record.AgentName = agentName;
            record.AgentNumber = StripExtension(agentNumber ?? nameNumber);
            return record;
        }

        /// <summary>The start as the account's wall clock shows it (offset decided later, with the end and duration).</summary>
        private static DateTime ReadStart(JsonElement item, string who, string callId)
        {
            string? date = ResponseJson.ReadText(item, "date");
            string? time = ResponseJson.ReadText(item, "time");
            if (!string.IsNullOrWhiteSpace(date))
            {
                string d = date!.Trim();
                // Some answers put the whole stamp in date.
                if (TryParse(d, StampFormats, out DateTime whole)) return whole;
                if (!TryParse(d, DateFormats, out DateTime day))
                    throw Invalid($"{who} has a date that is not a date ({InputRules.Display(date, 40)}).", callId);
                TimeSpan clock = TimeSpan.Zero;
                if (!string.IsNullOrWhiteSpace(time))
                {
                    if (!TryParse(time!.Trim(), TimeFormats, out DateTime t))
                        throw Invalid($"{who} has a time that is not a time of day ({InputRules.Display(time, 40)}).", callId);
                    clock = t.TimeOfDay;
                }
                return day.Date + clock;
            }
            foreach (string name in new[] { "start_stamp", "start_time", "created_at" })
            {
                string? stamp = ResponseJson.ReadText(item, name);
                if (string.IsNullOrWhiteSpace(stamp)) continue;
                if (!TryParse(stamp!.Trim(), StampFormats, out DateTime start))
                    throw Invalid($"{who} has a {name} that is not a date and time ({InputRules.Display(stamp, 40)}).", callId);
                return start;
            }
            throw Invalid($"{who} has no start time (no date, start_stamp or start_time).", callId);
        }

        private static TimeSpan? ReadDuration(JsonElement item, string who, string callId)
        {
            foreach (string name in new[] { "call_duration", "duration", "billsec" })
            {
                string? text = ResponseJson.ReadText(item, name)?.Trim();
                if (string.IsNullOrEmpty(text)) continue;
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0 && seconds < 10_000_000)
                    return TimeSpan.FromSeconds(Math.Round(seconds));
                if (TimeSpan.TryParseExact(text, new[] { @"hh\:mm\:ss", @"h\:mm\:ss", @"mm\:ss" }, CultureInfo.InvariantCulture, out TimeSpan span))
                    return span;
                throw Invalid($"{who} has a {name} that is neither seconds nor HH:MM:SS ({InputRules.Display(text, 40)}).", callId);
            }
            return null;
        }

        /// <summary>A string; the first string of an array; or an object's <paramref name="inner"/> field (with its number, when it has one).</summary>
        private static (string? Value, string? Number) ReadAgent(JsonElement item, string name, string inner)
        {
            if (!ResponseJson.TryGetProperty(item, name, out JsonElement value)) return (null, null);
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                case JsonValueKind.Number:
                    return (Blank(ResponseJson.ReadText(item, name)), null);
                case JsonValueKind.Array:
                    foreach (JsonElement entry in value.EnumerateArray())
                    {
                        if (entry.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(ResponseJson.Text(entry))) return (ResponseJson.Text(entry)!.Trim(), null);
                        if (entry.ValueKind == JsonValueKind.Object) return (Blank(ResponseJson.ReadText(entry, inner)), Blank(ResponseJson.ReadText(entry, "number")));
                    }
                    return (null, null);
                case JsonValueKind.Object:
                    return (Blank(ResponseJson.ReadText(value, inner)), Blank(ResponseJson.ReadText(value, "number")));
                default:
                    return (null, null);
            }
        }

        internal static string? StripExtension(string? number)
        {
            if (number == null) return null;
            const string prefix = "Extension-";
            string trimmed = number.Trim();
            return trimmed.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? trimmed.Substring(prefix.Length).Trim() : trimmed;
        }

        private static CallDirection? ReadDirection(string? text)
        {
            switch (text?.Trim().ToLowerInvariant())
            {
                case "1": case "inbound": case "incoming": case "in": return CallDirection.Inbound;
                case "2": case "outbound": case "outgoing": case "out": return CallDirection.Outbound;
                default: return null;
            }
        }

        private static bool TryParse(string text, string[] formats, out DateTime value) =>
            DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out value);

        private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text!.Trim();

        private static string Field(JsonElement obj, string name) =>
            ResponseJson.TryGetProperty(obj, name, out JsonElement value) ? InputRules.Display(value.GetRawText(), 30) : "missing";

        private static AcefoneException Invalid(string what, string? callId = null) =>
            new AcefoneException(AcefoneErrorKind.InvalidResponse, "The API's answer does not have the expected shape: " + what) { CallId = callId };
    }
}
