using System;
using System.Net;

namespace Acefone.Client
{
    /// <summary>Everything about a session except its secret.</summary>
    public sealed class AcefoneSessionOptions
    {
        public const int DefaultMaxRetries = 5;
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

        /// <summary>The region, or null when <see cref="BaseUri"/> was given explicitly.</summary>
        public AcefoneRegion? Region { get; set; } = AcefoneRegion.India;
        /// <summary>Overrides the region's URI.</summary>
        public Uri? BaseUri { get; set; }
        public AcefoneAuthScheme AuthScheme { get; set; } = AcefoneAuthScheme.Bearer;
        /// <summary>A ceiling on requests per second for this session; null lets the limiter find the account's limit.</summary>
        public double? MaxRequestsPerSecond { get; set; }
        /// <summary>How many times a request the server did not process (429, 503, a connection refused) is resent.</summary>
        public int MaxRetries { get; set; } = DefaultMaxRetries;
        /// <summary>How long one request may take before its outcome is reported unknown.</summary>
        public TimeSpan Timeout { get; set; } = DefaultTimeout;
        /// <summary>The first backoff after a 503 or a refused connection; doubled per attempt, with jitter.</summary>
        public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);
        /// <summary>A proxy to use instead of the system proxy.</summary>
        public Uri? Proxy { get; set; }
        public NetworkCredential? ProxyCredential { get; set; }
        public bool ProxyUseDefaultCredentials { get; set; }
        /// <summary>Product tokens for the User-Agent header, e.g. "Acefone-PowerShell/0.1.0 (PowerShell 7.6.9; Core)".</summary>
        public string? UserAgent { get; set; }
        /// <summary>
        /// Answers larger than this are refused unread. Null (the default) sizes the cap per endpoint: 4 MB for status
        /// answers, 64 MB for listings such as live calls and users. A value applies to every endpoint.
        /// </summary>
        public int? MaxResponseBytes { get; set; }

        public Uri ResolveBaseUri()
        {
            Uri uri = BaseUri ?? AcefoneRegions.GetBaseUri(Region ?? AcefoneRegion.India);
            // Paths are relative ("v1/..."), so the base must end with a slash to keep any prefix it has.
            return uri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? uri : new Uri(uri.AbsoluteUri + "/");
        }

        internal AcefoneSessionOptions Clone() => (AcefoneSessionOptions)MemberwiseClone();
    }
}
