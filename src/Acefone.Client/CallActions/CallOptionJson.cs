using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Acefone.Client
{
    /// <summary>Writes request bodies exactly as the API document describes them.</summary>
    internal static class RequestJson
    {
        // Relaxed escaping keeps "+91..." readable in -WhatIf and Debug; quotes and control characters are still escaped.
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        /// <summary>
        /// type as a JSON integer; agent_id as a string (leading zeros intact); one destination as a string
        /// (what every example and client sends), several as an array (the documented type); no null fields.
        /// </summary>
        internal static byte[] CallOption(CallOptionRequest request)
        {
            return Write(writer =>
            {
                writer.WriteNumber("type", (int)request.Operation);
                writer.WriteString("call_id", request.CallId);
                if (request.AgentId != null) writer.WriteString("agent_id", request.AgentId);
                if (request.Intercom.Count == 1)
                {
                    writer.WriteString("intercom", request.Intercom[0]);
                }
                else if (request.Intercom.Count > 1)
                {
                    writer.WriteStartArray("intercom");
                    foreach (string destination in request.Intercom) writer.WriteStringValue(destination);
                    writer.WriteEndArray();
                }
            });
        }

        internal static byte[] Login(string fieldName, string loginId, string password) => Write(writer =>
        {
            writer.WriteString(fieldName, loginId);
            writer.WriteString("password", password);
        });

        internal static byte[] CallId(string callId) => Write(writer => writer.WriteString("call_id", callId));

        private static byte[] Write(System.Action<Utf8JsonWriter> body)
        {
            using (var stream = new MemoryStream(128))
            {
                using (var writer = new Utf8JsonWriter(stream, WriterOptions))
                {
                    writer.WriteStartObject();
                    body(writer);
                    writer.WriteEndObject();
                }
                return stream.ToArray();
            }
        }
    }
}
