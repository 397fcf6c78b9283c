// Benchmark 11: a loopback proxy that puts the storage service N ms away (each request is delayed by N ms before
// it is forwarded). One request per connection (Connection: close), forwarded as bytes. Compiled by Add-Type.
using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AcefoneBench
{
    public sealed class StorageLatencyProxy : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly int _targetPort;
        private readonly int _delayMs;
        private volatile bool _stopped;

        public StorageLatencyProxy(int targetPort, int delayMs)
        {
            _targetPort = targetPort;
            _delayMs = delayMs;
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            Task.Run(AcceptLoop);
        }

        public int Port { get; private set; }

        private async Task AcceptLoop()
        {
            while (!_stopped)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(); } catch (Exception) { return; }
                var _ = Task.Run(() => Serve(client));
            }
        }

        private async Task Serve(TcpClient client)
        {
            using (client)
            {
                try
                {
                    NetworkStream stream = client.GetStream();
                    var head = new MemoryStream();
                    var one = new byte[1];
                    while (true)
                    {
                        if (await stream.ReadAsync(one, 0, 1) == 0) return;
                        head.WriteByte(one[0]);
                        byte[] b = head.GetBuffer();
                        long n = head.Length;
                        if (n >= 4 && b[n - 4] == 13 && b[n - 3] == 10 && b[n - 2] == 13 && b[n - 1] == 10) break;
                    }
                    string text = Encoding.ASCII.GetString(head.ToArray());
                    int length = 0;
                    var rewritten = new StringBuilder();
                    foreach (string line in text.Split(new[] { "\r\n" }, StringSplitOptions.None))
                    {
                        if (line.Length == 0) continue;
                        if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line.Substring(15).Trim());
                        if (line.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase)) continue;
                        rewritten.Append(line).Append("\r\n");
                    }
                    rewritten.Append("Connection: close\r\n\r\n");
                    var body = new byte[length];
                    int read = 0;
                    while (read < length)
                    {
                        int got = await stream.ReadAsync(body, read, length - read);
                        if (got == 0) return;
                        read += got;
                    }
                    await Task.Delay(_delayMs);
                    using (var upstream = new TcpClient())
                    {
                        await upstream.ConnectAsync(IPAddress.Loopback, _targetPort);
                        NetworkStream up = upstream.GetStream();
                        byte[] h = Encoding.ASCII.GetBytes(rewritten.ToString());
                        await up.WriteAsync(h, 0, h.Length);
                        if (length > 0) await up.WriteAsync(body, 0, length);
                        await up.CopyToAsync(stream);
                    }
                }
                catch (IOException) { }
                catch (SocketException) { }
            }
        }

        public void Dispose()
        {
            _stopped = true;
            _listener.Stop();
        }
    }
}
