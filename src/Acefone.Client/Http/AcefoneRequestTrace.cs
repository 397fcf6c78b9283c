using System;

namespace Acefone.Client
{
    /// <summary>One HTTP attempt: the Verbose line "POST /v1/call/options -> 200 in 12 ms (attempt 1)".</summary>
    public sealed class AcefoneRequestTrace
    {
        public AcefoneRequestTrace(string method, string path, int? statusCode, TimeSpan elapsed, int attempt, TimeSpan rateLimitWait, string? note)
        {
            Method = method;
            Path = path;
            StatusCode = statusCode;
            Elapsed = elapsed;
            Attempt = attempt;
            RateLimitWait = rateLimitWait;
            Note = note;
        }

        public string Method { get; }
        /// <summary>The path without query string or host, e.g. /v1/call/options.</summary>
        public string Path { get; }
        /// <summary>Null when no answer arrived.</summary>
        public int? StatusCode { get; }
        public TimeSpan Elapsed { get; }
        public int Attempt { get; }
        /// <summary>Time this attempt waited for the rate limiter before it was sent.</summary>
        public TimeSpan RateLimitWait { get; }
        /// <summary>What happens next, e.g. "retrying after 429", or the failure.</summary>
        public string? Note { get; }

        public override string ToString()
        {
            string status = StatusCode.HasValue ? StatusCode.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no answer";
            string text = $"{Method} {Path} -> {status} in {(long)Elapsed.TotalMilliseconds} ms (attempt {Attempt})";
            if (RateLimitWait >= TimeSpan.FromMilliseconds(1)) text += $", waited {(long)RateLimitWait.TotalMilliseconds} ms for the rate limit";
            if (!string.IsNullOrEmpty(Note)) text += "; " + Note;
            return text;
        }
    }
}
