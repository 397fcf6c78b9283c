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

        internal AcefoneRestResponse(int statusCode, string? contentType, byte[] body, int length,
            IReadOnlyDictionary<string, string[]>? headers, Func<AcefoneException>? failure)
            : this(statusCode, contentType, body, length)
        {
            if (headers != null) Headers = headers;
            _failure = failure;
        }

        private static readonly IReadOnlyDictionary<string, string[]> NoHeaders = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        private readonly Func<AcefoneException>? _failure;

        public int StatusCode { get; }
        public bool IsSuccessStatus => StatusCode >= 200 && StatusCode < 300;
        /// <summary>The answer's headers (names case-insensitive), each with its values.</summary>
        public IReadOnlyDictionary<string, string[]> Headers { get; } = NoHeaders;

        /// <summary>
        /// Throws the error a 4xx or 5xx answer stands for (the one <see cref="AcefoneSession.InvokeRestAsync"/> throws
        /// without <see cref="AcefoneRestRequest.SkipHttpErrorCheck"/>); does nothing for a 2xx answer.
        /// </summary>
        public void EnsureSuccessStatus()
        {
            if (!IsSuccessStatus && _failure != null) throw _failure();
        }

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
