using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>Where a recording went.</summary>
    public sealed class RecordingDownloadResult
    {
        internal RecordingDownloadResult(string path, long bytes, bool skipped, bool resumed, string? contentType, bool sentToken)
        {
            Path = path;
            Bytes = bytes;
            Skipped = skipped;
            Resumed = resumed;
            ContentType = contentType;
            SentToken = sentToken;
        }

        public string Path { get; }
        public long Bytes { get; }
        /// <summary>The file was already complete; nothing was sent.</summary>
        public bool Skipped { get; }
        /// <summary>The download continued a partial file left by an earlier attempt or run.</summary>
        public bool Resumed { get; }
        public string? ContentType { get; }
        public bool SentToken { get; }
    }
}
