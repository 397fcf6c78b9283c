using System.Net.Http;

namespace Acefone.Client
{
    internal sealed class ApiResponse
    {
        internal ApiResponse(int statusCode, byte[] body, int length, string? contentType, string? location, int attempts)
        {
            StatusCode = statusCode;
            Body = body;
            Length = length;
            ContentType = contentType;
            Location = location;
            Attempts = attempts;
        }

        internal int StatusCode { get; }
        internal byte[] Body { get; }
        internal int Length { get; }
        internal string? ContentType { get; }
        internal string? Location { get; }
        internal int Attempts { get; }
        /// <summary>How long the API asked to wait in its last 429 or 503, when it said.</summary>
        internal System.TimeSpan? RetryAfter { get; set; }
        /// <summary>The session's secrets, so an error built from this answer can leave them out.</summary>
        internal SessionSecrets? Secrets { get; set; }
        /// <summary>Whether a 401 made the pipeline renew the token and resend: only a login token can be renewed.</summary>
        internal bool TokenRenewed { get; set; }
        /// <summary>The answer's X-Request-Id header, when it has one: a request id for an answer whose body has none.</summary>
        internal string? RequestIdHeader { get; set; }
        /// <summary>Every header of the answer (names case-insensitive), when the request kept them; else null.</summary>
        internal System.Collections.Generic.IReadOnlyDictionary<string, string[]>? Headers { get; set; }
        internal bool IsSuccessStatus => StatusCode >= 200 && StatusCode < 300;
        internal string TextStart(int maxBytes) => System.Text.Encoding.UTF8.GetString(Body, 0, System.Math.Min(Length, maxBytes));
    }
}
