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
        internal bool IsSuccessStatus => StatusCode >= 200 && StatusCode < 300;
        internal string TextStart(int maxBytes) => System.Text.Encoding.UTF8.GetString(Body, 0, System.Math.Min(Length, maxBytes));
    }
}
