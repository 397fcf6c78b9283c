using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Acefone.Client
{
    /// <summary>Writes request bodies exactly as the API document describes them (a call option's: <see cref="CallOptionJson"/>).</summary>
    internal static class RequestJson
    {
        // Relaxed escaping keeps "+91..." readable in -WhatIf and Debug; quotes and control characters are still escaped.
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        internal static byte[] Login(string fieldName, string loginId, string password) => Write(writer =>
        {
            writer.WriteString(fieldName, loginId);
            writer.WriteString("password", password);
        });

        internal static byte[] CallId(string callId) => Write(writer => writer.WriteString("call_id", callId));

        internal static byte[] Write(System.Action<Utf8JsonWriter> body)
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
