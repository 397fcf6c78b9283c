using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text;

namespace Acefone.Client
{
    /// <summary>What came back: status, content type and body.</summary>
    public sealed class AcefoneRestResponse
    {
        internal AcefoneRestResponse(int statusCode, string? contentType, byte[] body, int length)
        {
            StatusCode = statusCode;
            ContentType = contentType;
            Body = new byte[length];
            Buffer.BlockCopy(body, 0, Body, 0, length);
        }

        public int StatusCode { get; }
        public string? ContentType { get; }
        public byte[] Body { get; }
        public string Text => Encoding.UTF8.GetString(Body);
        public bool IsEmpty => Body.Length == 0 || Text.Trim().Length == 0;

        /// <summary>Whether the body is JSON: by content type, or by its first character when the type says nothing.</summary>
        public bool IsJson
        {
            get
            {
                if (IsEmpty) return false;
                if (ContentType != null && ContentType.IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0) return true;
                string start = Text.TrimStart();
                return (ContentType == null || ContentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase)) && (start.StartsWith("{", StringComparison.Ordinal) || start.StartsWith("[", StringComparison.Ordinal));
            }
        }

        /// <summary>The body as plain values (<see cref="JsonTree.ToValue"/>); InvalidResponse when it is not JSON.</summary>
        public object? ReadJson()
        {
            using (var document = ResponseJson.Parse(Body, Body.Length))
                return JsonTree.ToValue(document.RootElement);
        }
    }
}
