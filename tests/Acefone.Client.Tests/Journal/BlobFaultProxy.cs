using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client.Tests
{
    /// <summary>What the proxy does to the next append (Append Block) it sees.</summary>
    public enum BlobFault
    {
        Status500,
        Status503,
        Status403,
        /// <summary>412 as for a lease that is no longer this run's.</summary>
        Status412,
        /// <summary>409 as for an append blob that holds the service's 50,000 blocks.</summary>
        BlockCountExceedsLimit,
        /// <summary>412 as for an append past the blob's maximum size (x-ms-blob-condition-maxsize).</summary>
        MaxBlobSizeConditionNotMet,
        /// <summary>Forwards it (the append lands), then never answers: the client times out.</summary>
        TimeoutAfterLanding,
        /// <summary>Forwards it (the append lands), then drops the connection.</summary>
        DropAfterLanding,
        /// <summary>Drops the connection before forwarding anything.</summary>
        DropBeforeForwarding,
        /// <summary>Other bytes of the same length land in its place (each '1' made '2'), then the connection drops.</summary>
        OtherBytesLandThenDrop,
        /// <summary>All but its last byte land, then the connection drops.</summary>
        FewerBytesLandThenDrop,
    }

    /// <summary>
    /// A loopback proxy in front of Azurite: each connection carries one request (Connection: close), forwarded as
    /// bytes, unless a queued fault says otherwise for an append. <see cref="Latency"/> delays every request (bench).
    /// </summary>
    internal sealed class BlobFaultProxy : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly Uri _target;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        internal BlobFaultProxy(Uri target)
        {
            _target = target;
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = Task.Run(AcceptLoop);
        }

        internal int Port { get; }

        internal ConcurrentQueue<BlobFault> Faults { get; } = new ConcurrentQueue<BlobFault>();

        internal TimeSpan Latency { get; set; }

        /// <summary>When set, every request is answered with this status and error code, and nothing reaches Azurite.</summary>
        internal (int Status, string Code)? AnswerAll { get; set; }

        /// <summary>Answers without x-ms-blob-committed-block-count, as a gateway that drops headers it does not know would.</summary>
        internal bool StripBlockCount { get; set; }

        /// <summary>Appends that reached Azurite through this proxy.</summary>
        internal int AppendsForwarded;

        /// <summary>Rewrites an Azurite URL to go through this proxy.</summary>
        internal string Through(string url) => new UriBuilder(url) { Port = Port }.Uri.AbsoluteUri;

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(); }
                catch (Exception) { return; }
                _ = Task.Run(() => Serve(client));
            }
        }

        private async Task Serve(TcpClient client)
        {
            using (client)
            {
                try
                {
                    NetworkStream stream = client.GetStream();
                    (string head, byte[] body) = await ReadRequest(stream);
                    if (Latency > TimeSpan.Zero) await Task.Delay(Latency);
                    if (AnswerAll is (int status, string code)) { await Answer(stream, status, code); return; }
                    bool append = head.Substring(0, head.IndexOf('\r')).Contains("comp=appendblock");
                    BlobFault? fault = append && Faults.TryDequeue(out BlobFault f) ? f : (BlobFault?)null;
                    switch (fault)
                    {
                        case BlobFault.Status500: await Answer(stream, 500, "InternalError"); return;
                        case BlobFault.Status503: await Answer(stream, 503, "ServerBusy"); return;
                        case BlobFault.Status403: await Answer(stream, 403, "AuthenticationFailed"); return;
                        case BlobFault.Status412: await Answer(stream, 412, "LeaseIdMismatchWithAppendBlobOperation"); return;
                        case BlobFault.BlockCountExceedsLimit: await Answer(stream, 409, "BlockCountExceedsLimit"); return;
                        case BlobFault.MaxBlobSizeConditionNotMet: await Answer(stream, 412, "MaxBlobSizeConditionNotMet"); return;
                        case BlobFault.DropBeforeForwarding: Reset(client); return;
                    }
                    if (fault == BlobFault.OtherBytesLandThenDrop) body = Array.ConvertAll(body, b => b == (byte)'1' ? (byte)'2' : b);
                    if (fault == BlobFault.FewerBytesLandThenDrop) body = body.AsSpan(0, body.Length - 1).ToArray();
                    byte[] response = await Forward(head, body);
                    if (append) Interlocked.Increment(ref AppendsForwarded);
                    if (fault == BlobFault.DropAfterLanding || fault == BlobFault.OtherBytesLandThenDrop || fault == BlobFault.FewerBytesLandThenDrop) { Reset(client); return; }
                    if (fault == BlobFault.TimeoutAfterLanding) { await Task.Delay(TimeSpan.FromSeconds(30), _stop.Token).ContinueWith(_ => { }); Reset(client); return; }
                    if (StripBlockCount) response = WithoutHeader(response, "x-ms-blob-committed-block-count");
                    await stream.WriteAsync(response);
                }
                catch (Exception ex) when (ex is IOException || ex is SocketException || ex is ObjectDisposedException)
                {
                }
            }
        }

        private static byte[] WithoutHeader(byte[] response, string name)
        {
            int end = response.AsSpan().IndexOf("\r\n\r\n"u8);
            if (end < 0) return response;
            string head = Encoding.ASCII.GetString(response, 0, end);
            string kept = string.Join("\r\n", head.Split("\r\n").Where(line => !line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)));
            return Encoding.ASCII.GetBytes(kept).Concat(response.Skip(end)).ToArray();
        }

        private static void Reset(TcpClient client)
        {
            client.LingerState = new LingerOption(true, 0);
            client.Close();
        }

        private static async Task Answer(NetworkStream stream, int status, string code)
        {
            string text = $"HTTP/1.1 {status} Fault\r\nx-ms-error-code: {code}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(text));
        }

        private async Task<byte[]> Forward(string head, byte[] body)
        {
            var lines = head.Split("\r\n");
            var rewritten = new StringBuilder();
            rewritten.Append(lines[0]).Append("\r\n");
            for (int i = 1; i < lines.Length; i++)
            {
                if (lines[i].Length == 0) continue;
                if (lines[i].StartsWith("Connection:", StringComparison.OrdinalIgnoreCase)) continue;
                if (lines[i].StartsWith("Host:", StringComparison.OrdinalIgnoreCase)) { rewritten.Append($"Host: {_target.Authority}\r\n"); continue; }
                // The body forwarded may be another than the one received (a fault's).
                if (lines[i].StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) { rewritten.Append($"Content-Length: {body.Length}\r\n"); continue; }
                rewritten.Append(lines[i]).Append("\r\n");
            }
            rewritten.Append("Connection: close\r\n\r\n");
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(_target.Host, _target.Port);
            NetworkStream up = upstream.GetStream();
            await up.WriteAsync(Encoding.ASCII.GetBytes(rewritten.ToString()));
            if (body.Length > 0) await up.WriteAsync(body);
            using var all = new MemoryStream();
            await up.CopyToAsync(all);
            return all.ToArray();
        }

        private static async Task<(string Head, byte[] Body)> ReadRequest(NetworkStream stream)
        {
            var buffer = new MemoryStream();
            var one = new byte[1];
            while (true)
            {
                int n = await stream.ReadAsync(one);
                if (n == 0) throw new IOException("closed");
                buffer.WriteByte(one[0]);
                long len = buffer.Length;
                if (len >= 4)
                {
                    byte[] b = buffer.GetBuffer();
                    if (b[len - 4] == '\r' && b[len - 3] == '\n' && b[len - 2] == '\r' && b[len - 1] == '\n') break;
                }
            }
            string head = Encoding.ASCII.GetString(buffer.ToArray());
            int length = 0;
            foreach (string line in head.Split("\r\n"))
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line.Substring(15).Trim());
            byte[] body = new byte[length];
            int read = 0;
            while (read < length)
            {
                int n = await stream.ReadAsync(body.AsMemory(read));
                if (n == 0) throw new IOException("closed");
                read += n;
            }
            return (head, body);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }
}
