using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace Acefone.Client
{
    /// <summary>
    /// JSON to plain values and back, with no PowerShell types: objects become <see cref="JsonObjectValue"/>, arrays
    /// object?[], numbers long, decimal or double (whichever holds them exactly), strings, booleans and null as themselves.
    /// </summary>
    public static class JsonTree
    {
        /// <summary>How deep a body may nest, both ways (System.Text.Json's own default).</summary>
        public const int MaxDepth = 64;

        public static object? ToValue(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var obj = new JsonObjectValue();
                    foreach (JsonProperty property in element.EnumerateObject()) obj.Add(property.Name, ToValue(property.Value));
                    return obj;
                case JsonValueKind.Array:
                    var items = new object?[element.GetArrayLength()];
                    int i = 0;
                    foreach (JsonElement item in element.EnumerateArray()) items[i++] = ToValue(item);
                    return items;
                case JsonValueKind.String:
                    return ResponseJson.Text(element);
                case JsonValueKind.Number:
                    if (element.TryGetInt64(out long integer)) return integer;
                    // Decimal keeps ids sent as numbers (1714657799.11930963) exact, where a double would round them.
                    if (element.TryGetDecimal(out decimal exact)) return exact;
                    return element.GetDouble();
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                default:
                    return null;
            }
        }

        /// <summary>
        /// Serialises plain values: dictionaries (string keys) and <see cref="JsonObjectValue"/> as objects, other
        /// sequences as arrays, DateTime/DateTimeOffset as ISO 8601, enums as their names, anything else as its text.
        /// </summary>
        public static byte[] ToJson(object? value)
        {
            using (var stream = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(stream))
                {
                    Write(writer, value, 0);
                }
                return stream.ToArray();
            }
        }

        private static void Write(Utf8JsonWriter writer, object? value, int depth)
        {
            if (depth > MaxDepth) throw new AcefoneException(AcefoneErrorKind.InvalidInput, $"The body nests deeper than {MaxDepth} levels (a loop in the object?); nothing was sent.");
            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    return;
                case string text:
                    writer.WriteStringValue(text);
                    return;
                case char character:
                    writer.WriteStringValue(character.ToString());
                    return;
                case bool flag:
                    writer.WriteBooleanValue(flag);
                    return;
                case byte _: case sbyte _: case short _: case ushort _: case int _: case uint _: case long _:
                    writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                    return;
                case ulong big:
                    writer.WriteNumberValue(big);
                    return;
                case float single:
                    writer.WriteNumberValue(single);
                    return;
                case double real:
                    writer.WriteNumberValue(real);
                    return;
                case decimal money:
                    writer.WriteNumberValue(money);
                    return;
                case DateTime time:
                    writer.WriteStringValue(time.ToString("o", CultureInfo.InvariantCulture));
                    return;
                case DateTimeOffset moment:
                    writer.WriteStringValue(moment.ToString("o", CultureInfo.InvariantCulture));
                    return;
                case Enum named:
                    writer.WriteStringValue(named.ToString());
                    return;
                case JsonObjectValue obj:
                    writer.WriteStartObject();
                    foreach (KeyValuePair<string, object?> property in obj)
                    {
                        writer.WritePropertyName(property.Key);
                        Write(writer, property.Value, depth + 1);
                    }
                    writer.WriteEndObject();
                    return;
                case IDictionary dictionary:
                    writer.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                        Write(writer, entry.Value, depth + 1);
                    }
                    writer.WriteEndObject();
                    return;
                case IEnumerable sequence:
                    writer.WriteStartArray();
                    foreach (object? item in sequence) Write(writer, item, depth + 1);
                    writer.WriteEndArray();
                    return;
                default:
                    writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                    return;
            }
        }
    }
}
