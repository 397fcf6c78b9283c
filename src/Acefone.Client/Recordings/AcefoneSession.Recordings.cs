using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    public sealed partial class AcefoneSession
    {
        /// <summary>
        /// Downloads one recording into <see cref="RecordingDownloadRequest.Destination"/>. The session's token goes
        /// only to its own API host and to <see cref="RecordingDownloadRequest.TokenHosts"/>; the link's query is
        /// treated as a secret in every message. A 404 or 410 is <see cref="AcefoneErrorKind.NotFound"/>.
        /// </summary>
        public Task<RecordingDownloadResult> DownloadRecordingAsync(RecordingDownloadRequest request, Action<long>? onBytes = null,
            IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            ThrowIfClosed();
            return RecordingDownloader.DownloadAsync(_pipeline, request, onBytes, observer, cancellationToken);
        }
    }
}
