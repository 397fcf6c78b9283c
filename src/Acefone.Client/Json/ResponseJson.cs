using System;
using System.Text;
using System.Text.Json;

namespace Acefone.Client
{
    /// <summary>
    /// Lenient reading of answers where the API varies, strict where the outcome decides a resend: success may be a
    /// boolean, "true"/"false" as a string, or 1/0 (nothing else, and never twice with different values); field names may be
    /// capitalised as the doc's table shows; unknown fields are harmless. Anything unreadable becomes an
    /// <see cref="AcefoneException"/> of kind InvalidResponse, never another exception type.
    /// </summary>
    internal static class ResponseJson
    {
        // Stryker disable once Initializer : equivalent, 64 is also System.Text.Json's default; written out so the limit is visible
        private static readonly JsonDocumentOptions DocumentOptions = new JsonDocumentOptions { MaxDepth = 64 };
        // Stryker disable once Boolean : equivalent, whether the encoding would write a byte order mark changes no decoding
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

        /// <summary>Where the JSON starts: after a UTF-8 byte order mark, which some gateways put in front and System.Text.Json refuses.</summary>
        internal static int JsonStart(byte[] body, int length) =>
            length >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF ? 3 : 0;

        internal static JsonDocument Parse(byte[] body, int length)
        {
            int start = JsonStart(body, length);
            if (length - start == 0)
                throw new AcefoneException(AcefoneErrorKind.InvalidResponse, "The API answered with an empty body where JSON was expected.");
            try
            {
                StrictUtf8.GetCharCount(body, start, length - start);
            }
            catch (DecoderFallbackException ex)
            {
                throw new AcefoneException(AcefoneErrorKind.InvalidResponse, $"The API's answer is not valid UTF-8 ({Describe(body, length)}).", ex);
            }
            try
            {
                return JsonDocument.Parse(new ReadOnlyMemory<byte>(body, start, length - start), DocumentOptions);
            }
            catch (JsonException ex)
            {
                throw new AcefoneException(AcefoneErrorKind.InvalidResponse,
                    $"The API's answer is not valid JSON ({Describe(body, length)}).", ex);
            }
            // Stryker disable once all : no answer reaches it (UTF-8 is checked above, depth and syntax are JsonException); System.Text.Json documents ArgumentException for these options
            catch (ArgumentException ex)
            {
                throw new AcefoneException(AcefoneErrorKind.InvalidResponse,
                    $"The API's answer is not valid JSON ({Describe(body, length)}).", ex);
            }
        }

        /// <summary>Reads {success, message}; the body must be a JSON object.</summary>
        internal static StatusEnvelope ReadStatus(byte[] body, int length)
        {
            using (JsonDocument document = Parse(body, length))
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                    throw new AcefoneException(AcefoneErrorKind.InvalidResponse,
                        $"The API answered with JSON {root.ValueKind.ToString().ToLowerInvariant()} where an object was expected.");
                return new StatusEnvelope(ReadSuccess(root), ReadMessage(root));
            }
        }

        /// <summary>Best effort for error answers: the message if the body is a JSON object that has one, else null.</summary>
        internal static string? TryReadMessage(byte[] body, int length)
        {
            int start = JsonStart(body, length);
            if (length - start == 0 || (body[start] != (byte)'{' && !char.IsWhiteSpace((char)body[start]))) return null;
            try
            {
                using (JsonDocument document = JsonDocument.Parse(new ReadOnlyMemory<byte>(body, start, length - start), DocumentOptions))
                {
                    return document.RootElement.ValueKind == JsonValueKind.Object ? ReadMessage(document.RootElement) : null;
                }
            }
            // An emptied catch block returns default, which is the null these return: equivalent mutants.
            catch (AcefoneException)
            // Stryker disable once Block : equivalent, see above
            {
                return null;
            }
            catch (JsonException)
            // Stryker disable once Block : equivalent, see above
            {
                return null;
            }
            // Stryker disable once all : no answer reaches it, as in Parse
            catch (ArgumentException)
            {
                return null;
            }
        }

        internal static bool TryGetProperty(JsonElement obj, string name, out JsonElement value)
        {
            if (obj.TryGetProperty(name, out value)) return true;
            foreach (JsonProperty property in obj.EnumerateObject())
            {
                if (string.Equals(NameOf(property), name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }
            value = default;
            return false;
        }

        /// <summary>A property's name, or null when it cannot be decoded (an escaped lone surrogate): such a name matches nothing.</summary>
        private static string? NameOf(JsonProperty property)
        {
            try
            {
                return property.Name;
            }
            catch (InvalidOperationException)
            // Stryker disable once Block : equivalent, an emptied catch block returns default, which is the null it returns
            {
                return null;
            }
        }

        /// <summary>
        /// The outcome an answer states. Only the documented forms count: true/false, "true"/"false" (any case, the
        /// documented 429 body sends a string), and 1/0 or "1"/"0" as PHP backends write booleans. Any other value is
        /// null (unreadable: the caller makes it InvalidResponse). The field more than once (in any casing) with
        /// different readings is a contradiction, never a guess: InvalidResponse.
        /// </summary>
        internal static bool? ReadSuccess(JsonElement root)
        {
            bool found = false;
            bool? outcome = null;
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (!string.Equals(NameOf(property), "success", StringComparison.OrdinalIgnoreCase)) continue;
                bool? reading = ReadOutcome(property.Value);
                if (found && reading != outcome)
                    throw new AcefoneException(AcefoneErrorKind.InvalidResponse,
                        "The API's answer holds 'success' more than once with different values, so its outcome cannot be read.");
                found = true;
                outcome = reading;
            }
            return outcome;
        }

        private static bool? ReadOutcome(JsonElement success)
        {
            switch (success.ValueKind)
            {
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                case JsonValueKind.String:
                    string text = Text(success)!.Trim(); // a JSON string is never null text
                    if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text == "1") return true;
                    if (text.Equals("false", StringComparison.OrdinalIgnoreCase) || text == "0") return false;
                    return null;
                case JsonValueKind.Number:
                    // Exactly 1 or 0 as written (not -1, 2, 1.0 or 1e0): any other number is no documented outcome.
                    string raw = success.GetRawText();
                    return raw == "1" ? true : raw == "0" ? false : (bool?)null;
                default:
                    return null;
            }
        }

        internal static string? ReadMessage(JsonElement root)
        {
            if (!TryGetProperty(root, "message", out JsonElement message)) return null;
            switch (message.ValueKind)
            {
                case JsonValueKind.String: return Text(message);
                case JsonValueKind.Null:
                case JsonValueKind.Undefined: return null;
                default: return message.GetRawText();
            }
        }

        /// <summary>
        /// A JSON string as text. Invalid UTF-8 or an escaped lone surrogate makes System.Text.Json throw
        /// InvalidOperationException; found by fuzzing, it becomes the module's own error here.
        /// </summary>
        internal static string? Text(JsonElement value)
        {
            try
            {
                return value.GetString();
            }
            catch (InvalidOperationException ex)
            {
                // Stryker disable once String : message wording
                throw new AcefoneException(AcefoneErrorKind.InvalidResponse, "The API's answer holds text that is not valid Unicode.", ex);
            }
        }

        /// <summary>Reads a value that the API sends as a string or as a number, as text.</summary>
        internal static string? ReadText(JsonElement obj, string name)
        {
            if (!TryGetProperty(obj, name, out JsonElement value)) return null;
            switch (value.ValueKind)
            {
                case JsonValueKind.String: return Text(value);
                case JsonValueKind.Number: return value.GetRawText();
                case JsonValueKind.True: return "true";
                case JsonValueKind.False: return "false";
                default: return null;
            }
        }

        internal static long? ReadInt64(JsonElement obj, string name)
        {
            string? text = ReadText(obj, name);
            return long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long number) ? number : (long?)null;
        }

        internal static bool? ReadBool(JsonElement obj, string name)
        {
            if (!TryGetProperty(obj, name, out JsonElement value)) return null;
            if (value.ValueKind == JsonValueKind.True) return true;
            if (value.ValueKind == JsonValueKind.False) return false;
            string? text = ReadText(obj, name)?.Trim();
            if (text == "1" || string.Equals(text, "true", StringComparison.OrdinalIgnoreCase)) return true;
            if (text == "0" || string.Equals(text, "false", StringComparison.OrdinalIgnoreCase)) return false;
            return null;
        }

        /// <summary>Names what came back without echoing much of it: an HTML page, truncated JSON, and so on.</summary>
        internal static string Describe(byte[] body, int length)
        {
            string start = Encoding.UTF8.GetString(body, 0, Math.Min(length, 60)).TrimStart();
            if (start.StartsWith("<", StringComparison.Ordinal)) return $"an HTML or XML page of {length} bytes";
            return $"{length} bytes starting {InputRules.Display(start, 30)}";
        }
    }
}
