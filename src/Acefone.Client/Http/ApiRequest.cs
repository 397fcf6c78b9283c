using System.Net.Http;

namespace Acefone.Client
{
    internal sealed class ApiRequest
    {
        internal ApiRequest(HttpMethod method, string path, byte[]? body = null, string? query = null)
        {
            Method = method;
            Path = path;
            Body = body;
            Query = query;
            Idempotent = method == HttpMethod.Get;
        }

        internal HttpMethod Method { get; }
        /// <summary>Relative to the base URI, without a leading slash: "v1/call/options".</summary>
        internal string Path { get; }
        internal string? Query { get; }
        internal byte[]? Body { get; }
        /// <summary>Whether an ambiguous failure (timeout, dropped connection) may be resent. Never for call operations.</summary>
        internal bool Idempotent { get; set; }
        internal RequestAuth Auth { get; set; } = RequestAuth.Session;
        internal TokenLease? ExplicitToken { get; set; }
        /// <summary>What a person would call this request in an error: "Transfer call '1.2' to '80XX4'".</summary>
        internal string? Subject { get; set; }
        internal CallOperation? Operation { get; set; }
        internal string? CallId { get; set; }
        /// <summary>How often a 429 is resent; null for the session's MaxRetries.</summary>
        internal int? RateLimitRetries { get; set; }
        /// <summary>How often a timeout or a lost answer is resent (at most the session's MaxRetries); null for MaxRetries.</summary>
        internal int? AmbiguousRetries { get; set; }
        /// <summary>Whether a 429's JSON body may say how long to wait (retry_after), as a throttled login's does.</summary>
        internal bool ReadsRetryAfterFromBody { get; set; }
        /// <summary>The largest answer read for this endpoint; null for <see cref="ResponseCaps.Status"/>. The session option overrides it.</summary>
        internal int? MaxResponseBytes { get; set; }

        /// <summary>Headers the caller added (Invoke-AcefoneRestMethod -Headers), checked by RestHeaderRules; null for none.</summary>
        internal System.Collections.Generic.IReadOnlyList<System.Collections.Generic.KeyValuePair<string, string>>? Headers { get; set; }
        /// <summary>Whether the answer's headers are kept (all of them); otherwise only X-Request-Id is.</summary>
        internal bool KeepsResponseHeaders { get; set; }

        internal string Display => $"{Method.Method} {Target}";

        // ---- for requests to other hosts and large bodies (recordings); unset for every API request ----

        /// <summary>Sent here instead of base URI + <see cref="Path"/> (a recording link on another host).</summary>
        internal System.Uri? AbsoluteUri { get; set; }
        /// <summary>What traces and errors show in place of the path (a URL with its query redacted).</summary>
        internal string? DisplayTarget { get; set; }
        internal string Target => DisplayTarget ?? "/" + Path;
        /// <summary>Called on every attempt's message before it is sent (a Range header from what is already on disk).</summary>
        internal System.Action<HttpRequestMessage>? ConfigureMessage { get; set; }
        /// <summary>
        /// Reads a 2xx body instead of the bounded read: (response, body stream, keep-alive, cancellation). Keep-alive
        /// restarts the request's timeout, so the timeout bounds a stall rather than a whole large download.
        /// </summary>
        internal System.Func<HttpResponseMessage, System.IO.Stream, System.Action, System.Threading.CancellationToken, System.Threading.Tasks.Task>? ResponseSink { get; set; }
    }
}
