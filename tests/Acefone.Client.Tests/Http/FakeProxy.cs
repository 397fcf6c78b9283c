using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// A tiny HTTP proxy on 127.0.0.1 that never forwards anything: it records each request head and answers
    /// what <c>answer</c> says (one answer per connection, then closes).
    /// </summary>
    internal sealed class FakeProxy : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly Func<string, string> _answer;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        internal FakeProxy(Func<string, string> answer)
        {
            _answer = answer;
            _listener.Start();
            Uri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _ = Task.Run(AcceptLoop);
        }

        internal Uri Uri { get; }

        /// <summary>Every request head received (request line and headers).</summary>
        internal ConcurrentQueue<string> Requests { get; } = new ConcurrentQueue<string>();

        internal const string Challenge =
            "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

        internal static string Json(string body) =>
            $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                _ = Task.Run(() => Serve(client));
            }
        }

        private async Task Serve(TcpClient client)
        {
            using (client)
            using (NetworkStream stream = client.GetStream())
            {
                var received = new StringBuilder();
                var buffer = new byte[8192];
                int headEnd;
                while ((headEnd = received.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) < 0)
                {
                    int read = await stream.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false);
                    if (read == 0) return;
                    received.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }
                string head = received.ToString(0, headEnd);
                // Drain a body so closing the socket does not reset the connection before the answer is read.
                int length = ContentLength(head);
                int have = received.Length - headEnd - 4;
                while (have < length)
                {
                    int read = await stream.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false);
                    if (read == 0) break;
                    have += read;
                }
                Requests.Enqueue(head);
                byte[] answer = Encoding.UTF8.GetBytes(_answer(head));
                await stream.WriteAsync(answer, 0, answer.Length).ConfigureAwait(false);
                await stream.FlushAsync().ConfigureAwait(false);
                client.Client.Shutdown(SocketShutdown.Send);
            }
        }

        private static int ContentLength(string head)
        {
            foreach (string line in head.Split(new[] { "\r\n" }, StringSplitOptions.None))
            {
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase) && int.TryParse(line.Substring(15).Trim(), out int value))
                    return value;
            }
            return 0;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }
}
