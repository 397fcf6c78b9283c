using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// A request body that knows whether it was handed on. Handlers write the body only once a connection is theirs,
    /// so a body never started means the request was still queued (or connecting) and the server cannot have acted on it.
    /// </summary>
    internal sealed class SendTrackingContent : HttpContent
    {
        private readonly byte[] _body;
        private int _started;

        internal SendTrackingContent(byte[] body) => _body = body;

        internal bool Started => Volatile.Read(ref _started) != 0;

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            Volatile.Write(ref _started, 1);
            return stream.WriteAsync(_body, 0, _body.Length);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return true;
        }
    }
}
