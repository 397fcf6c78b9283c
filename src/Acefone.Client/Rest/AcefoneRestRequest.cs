using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;

namespace Acefone.Client
{
    /// <summary>
    /// A request to any API path, for the operations the module does not wrap. Built and checked before anything is
    /// sent: the path must be relative to the session's base URI, so the token only ever goes to the session's host.
    /// </summary>
    public sealed class AcefoneRestRequest
    {
        private static readonly string[] Methods = { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD" };

        public AcefoneRestRequest(string method, string path)
        {
            string upper = (method ?? throw new ArgumentNullException(nameof(method))).Trim().ToUpperInvariant();
            if (Array.IndexOf(Methods, upper) < 0)
                throw new AcefoneException(AcefoneErrorKind.InvalidInput, $"The method {InputRules.Display(method)} is not one of {string.Join(", ", Methods)}; nothing was sent.");
            Method = upper;
            (RelativePath, PathQuery) = RestPath.Split(path);
            Path = path;
        }

        /// <summary>GET, POST, PUT, PATCH, DELETE or HEAD.</summary>
        public string Method { get; }
        /// <summary>As given, e.g. /v1/users.</summary>
        public string Path { get; }
        /// <summary>Query parameters; values may be text, numbers, booleans, dates (sent as yyyy-MM-dd HH:mm:ss) or lists (the name repeated).</summary>
        public IList<KeyValuePair<string, object?>> Query { get; } = new List<KeyValuePair<string, object?>>();
        /// <summary>The body's bytes; null for none.</summary>
        public byte[]? Body { get; private set; }
        public string? BodyContentType { get; private set; }
        /// <summary>Headers the caller added (<see cref="AddHeader"/>); a name may repeat for several values.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Headers => _headers;
        /// <summary>
        /// Whether a 4xx or 5xx answer is returned as it came instead of thrown; <see cref="AcefoneRestResponse.EnsureSuccessStatus"/>
        /// throws the error that would have been thrown. Resending follows the same rules either way.
        /// </summary>
        public bool SkipHttpErrorCheck { get; set; }

        private readonly List<KeyValuePair<string, string>> _headers = new List<KeyValuePair<string, string>>();

        internal string RelativePath { get; }
        internal string? PathQuery { get; }

        /// <summary>GET and HEAD may be resent after an ambiguous failure; any other method only when the API surely did not process it.</summary>
        public bool IsIdempotent => Method == "GET" || Method == "HEAD";

        /// <summary>A JSON body from plain values (see <see cref="JsonTree.ToJson"/>).</summary>
        public void SetJsonBody(object? value)
        {
            Body = JsonTree.ToJson(value);
            BodyContentType = "application/json";
        }

        /// <summary>A body sent as is (UTF-8), as JSON unless told otherwise.</summary>
        public void SetTextBody(string text, string contentType = "application/json")
        {
            Body = Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text)));
            BodyContentType = contentType;
        }

        /// <summary>
        /// Adds a request header. The session's own (Authorization) and those HTTP or the module set (Host, Content-Length,
        /// Content-Type, ...) are refused with InvalidInput naming the header, never its value.
        /// </summary>
        public void AddHeader(string name, string? value)
        {
            AcefoneException? problem = RestHeaderRules.Problem(name, value);
            if (problem != null) throw problem;
            _headers.Add(new KeyValuePair<string, string>(name.Trim(), value ?? string.Empty));
        }

        /// <summary>"X-Trace, Accept" (names only: a value may be a secret), or null for none.</summary>
        public string? DescribeHeaders()
        {
            if (_headers.Count == 0) return null;
            var names = new List<string>();
            foreach (KeyValuePair<string, string> header in _headers)
            {
                if (!names.Contains(header.Key, StringComparer.OrdinalIgnoreCase)) names.Add(header.Key);
            }
            return string.Join(", ", names);
        }

        /// <summary>The body as text, for -WhatIf and Debug (the caller redacts what it shows).</summary>
        public string? BodyText => Body == null ? null : Encoding.UTF8.GetString(Body);

        /// <summary>The query string as sent (without '?'), or null for none.</summary>
        public string? QueryText => RestPath.EncodeQuery(PathQuery, Query);

        /// <summary>"POST /v1/click_to_call" (the query is left out: values may be secret).</summary>
        public string Describe() => $"{Method} /{RelativePath}";

        internal HttpMethod HttpMethod => new HttpMethod(Method);
    }
}
