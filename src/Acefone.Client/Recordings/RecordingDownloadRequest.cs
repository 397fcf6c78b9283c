using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>One recording to fetch: the link, and the call it belongs to (for the file name).</summary>
    public sealed class RecordingDownloadRequest
    {
        public RecordingDownloadRequest(Uri url, string callId, DateTimeOffset? startedAt, string destination)
        {
            Url = url ?? throw new ArgumentNullException(nameof(url));
            CallId = callId ?? throw new ArgumentNullException(nameof(callId));
            StartedAt = startedAt;
            Destination = destination ?? throw new ArgumentNullException(nameof(destination));
        }

        public Uri Url { get; }
        public string CallId { get; }
        public DateTimeOffset? StartedAt { get; }
        /// <summary>The folder the file goes into (it must exist).</summary>
        public string Destination { get; }
        /// <summary>Download again even when the file is already complete.</summary>
        public bool Force { get; set; }
        /// <summary>Hosts besides the session's API host that get the session's token ("host" or "host:port").</summary>
        public IReadOnlyCollection<string>? TokenHosts { get; set; }
    }
}
