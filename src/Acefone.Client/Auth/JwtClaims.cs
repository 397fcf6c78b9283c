using System;
using System.Text;
using System.Text.Json;

namespace Acefone.Client
{
    /// <summary>
    /// Reads one claim of a JWT's payload without checking its signature: the module only shows what a token says
    /// (when it ends, whom it is for); the API decides whether it is valid.
    /// </summary>
    internal static class JwtClaims
    {
        /// <summary>The claim read by <paramref name="read"/>, or null for a token that is not a JWT or whose payload is not a JSON object.</summary>
        internal static T? Read<T>(string token, Func<JsonElement, T?> read) where T : class
        {
            JsonElement? payload = Payload(token);
            return payload.HasValue ? read(payload.Value) : null;
        }

        /// <summary>The same for a value-typed claim.</summary>
        internal static T? ReadValue<T>(string token, Func<JsonElement, T?> read) where T : struct
        {
            JsonElement? payload = Payload(token);
            return payload.HasValue ? read(payload.Value) : null;
        }

        private static JsonElement? Payload(string token)
        {
            string[] parts = token.Split('.');
            if (parts.Length != 3) return null;
            try
            {
                string payload = parts[1].Replace('-', '+').Replace('_', '/');
                payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
                using (JsonDocument document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))))
                {
                    // A clone outlives the document; payloads are a few hundred bytes.
                    return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : (JsonElement?)null;
                }
            }
            catch (Exception ex) when (ex is FormatException || ex is JsonException || ex is ArgumentException)
            {
                return null;
            }
        }
    }
}
