using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Acefone.Simulator;

/// <summary>Small, allocation-light JSON building helpers.</summary>
internal static class JsonOut
{
    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public static byte[] Build<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        // Not re-entrant: never call Build from inside a write callback.
        t_buffer = null;
        t_writer = null;
        try
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            write(writer, state);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Capacity <= 1 << 20)
            {
                t_buffer = buffer;
                t_writer = writer;
            }
        }
    }

    public static byte[] Message(bool success, string message) =>
        Build((success, message), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteBoolean("success", s.success);
            w.WriteString("message", s.message);
            w.WriteEndObject();
        });

    /// <summary>Canonical form of a JSON value: object keys sorted (ordinal), no whitespace.</summary>
    public static string Canonical(JsonElement element) =>
        System.Text.Encoding.UTF8.GetString(Build(element, static (w, e) => WriteCanonical(w, e)));

    private static void WriteCanonical(Utf8JsonWriter w, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var props = new List<JsonProperty>();
                foreach (var p in e.EnumerateObject()) props.Add(p);
                props.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                w.WriteStartObject();
                foreach (var p in props)
                {
                    w.WritePropertyName(p.Name);
                    WriteCanonical(w, p.Value);
                }
                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var item in e.EnumerateArray()) WriteCanonical(w, item);
                w.WriteEndArray();
                break;
            default:
                e.WriteTo(w);
                break;
        }
    }
}
