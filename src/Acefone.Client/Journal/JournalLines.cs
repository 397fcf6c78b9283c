using System;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace Acefone.Client
{
    /// <summary>The journal's line format (about_Acefone_Journal): one JSON object per row event, written and read here only.</summary>
    internal static class JournalLines
    {
        internal const int FormatVersion = 1;
        private static readonly string ModuleVersion = ReadModuleVersion();

        /// <summary>The module version every line carries.</summary>
        internal static string Module => ModuleVersion;

        internal static void Write(Utf8JsonWriter writer, string run, CallActionRequest request, long row, JournalState state, string? errorId, int? status, string? message)
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", FormatVersion);
            // ISO 8601 in UTC with a 'Z' and up to 7 fraction digits, as the writer formats a UTC DateTime.
            writer.WriteString("time", DateTime.UtcNow);
            writer.WriteString("state", StateName(state));
            writer.WriteNumber("row", row);
            writer.WriteString("operation", request.JournalOperation);
            writer.WriteString("callId", request.CallId);
            if (request.JournalAgentId != null) writer.WriteString("agentId", request.JournalAgentId);
            if (request.JournalIntercom != null) writer.WriteString("intercom", request.JournalIntercom);
            if (errorId != null) writer.WriteString("errorId", errorId);
            if (status.HasValue) writer.WriteNumber("status", status.Value);
            if (message != null) writer.WriteString("message", message);
            writer.WriteString("module", ModuleVersion);
            writer.WriteString("run", run);
            writer.WriteEndObject();
        }

        internal static string StateName(JournalState state)
        {
            switch (state)
            {
                case JournalState.Sending: return "sending";
                case JournalState.Succeeded: return "succeeded";
                case JournalState.Failed: return "failed";
                default: return "unknown";
            }
        }

        /// <summary>A line as a record and its row key; null for anything that is not a whole record.</summary>
        internal static JournalRecord? Parse(string line, out string? key)
        {
            key = null;
            try
            {
                using (JsonDocument document = JsonDocument.Parse(line))
                {
                    JsonElement root = document.RootElement;
                    if (root.ValueKind != JsonValueKind.Object) return null;
                    string? stateText = Text(root, "state");
                    string? operation = Text(root, "operation");
                    string? callId = Text(root, "callId");
                    if (stateText == null || operation == null || callId == null) return null;
                    string? agentId = Text(root, "agentId");
                    string? intercom = Text(root, "intercom");
                    if (string.Equals(operation, CallHangupRequest.OperationName, StringComparison.Ordinal))
                        key = CallHangupRequest.KeyOf(callId);
                    else if (Enum.TryParse(operation, false, out CallOperation parsed) && Enum.IsDefined(typeof(CallOperation), parsed) && !char.IsDigit(operation[0]))
                        key = CallOptionRequest.KeyOf(parsed, callId, agentId, intercom);
                    else
                        return null;

                    JournalState state;
                    switch (stateText)
                    {
                        case "sending": state = JournalState.Sending; break;
                        case "succeeded": state = JournalState.Succeeded; break;
                        case "failed": state = JournalState.Failed; break;
                        // "unknown", and any state a later version adds: assume it may have acted.
                        default: state = JournalState.Unknown; break;
                    }
                    long row = root.TryGetProperty("row", out JsonElement rowElement) && rowElement.ValueKind == JsonValueKind.Number && rowElement.TryGetInt64(out long r) ? r : 0;
                    int? status = root.TryGetProperty("status", out JsonElement statusElement) && statusElement.ValueKind == JsonValueKind.Number && statusElement.TryGetInt32(out int s) ? s : (int?)null;
                    DateTimeOffset? time = DateTimeOffset.TryParse(Text(root, "time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset t) ? t : (DateTimeOffset?)null;
                    return new JournalRecord(state, operation, callId, agentId, intercom, row, time, Text(root, "errorId"), status, Text(root, "message"));
                }
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static string ReadModuleVersion()
        {
            string version = typeof(JournalLines).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            int plus = version.IndexOf('+');
            return plus > 0 ? version.Substring(0, plus) : version;
        }
    }
}
