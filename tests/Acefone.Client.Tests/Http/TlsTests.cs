using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;
#pragma warning disable SYSLIB0014 // ServicePointManager is read only to prove nothing changed it

namespace Acefone.Client.Tests
{
    /// <summary>
    /// Windows PowerShell 5.1 (.NET Framework) may default to TLS 1.0: the module asks for 1.2+ on its own
    /// handler and never changes ServicePointManager, which belongs to every script in the process. The
    /// .NET Framework branch is exercised here on .NET through the handler factory's parameter (it cannot run
    /// on .NET Framework in this environment), and checked on the wire: a loopback listener reads the
    /// ClientHello the handler sends, then answers as a server that picks an old version, and reads the
    /// client's alert. A ClientHello without TLS 1.3 shows only its highest version, so the refusal of an
    /// old version is what shows that TLS 1.0 and 1.1 are off.
    /// </summary>
    public class TlsTests
    {
        private const ushort Tls10 = 0x0301, Tls11 = 0x0302, Tls12 = 0x0303, Tls13 = 0x0304;
        private const byte ProtocolVersionAlert = 70;

        private readonly ITestOutputHelper _output;

        public TlsTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public async Task The_NET_Framework_handler_offers_TLS_1_2_and_nothing_older()
        {
            SecurityProtocolType before = ServicePointManager.SecurityProtocol;
            TlsHandshake hello = await HandshakeAsync(HttpHandlerFactory.CreateHandler(new AcefoneSessionOptions(), netFramework: true), answerWith: null);
            _output.WriteLine($"netFramework: true offers {hello}");
            Assert.Contains(Tls12, hello.OfferedVersions);
            Assert.DoesNotContain(hello.OfferedVersions, v => v < Tls12);
            Assert.Equal(before, ServicePointManager.SecurityProtocol);
        }

        [Theory]
        [InlineData(Tls10)]
        [InlineData(Tls11)]
        public async Task The_NET_Framework_handler_refuses_a_server_that_picks_an_older_version(ushort serverVersion)
        {
            TlsHandshake handshake = await HandshakeAsync(HttpHandlerFactory.CreateHandler(new AcefoneSessionOptions(), netFramework: true), answerWith: serverVersion);
            _output.WriteLine($"netFramework: true, server picks {Name(serverVersion)}: {handshake}");
            Assert.Equal(ProtocolVersionAlert, handshake.ClientAlert);
        }

        [Fact]
        public async Task On_NET_the_handler_offers_what_the_operating_system_offers()
        {
            SecurityProtocolType before = ServicePointManager.SecurityProtocol;
            TlsHandshake module = await HandshakeAsync(HttpHandlerFactory.CreateHandler(new AcefoneSessionOptions(), netFramework: false), answerWith: null);
            TlsHandshake plain = await HandshakeAsync(new HttpClientHandler(), answerWith: null);
            _output.WriteLine($"netFramework: false offers {module}; a plain HttpClientHandler offers {plain}");
            Assert.Equal(plain.OfferedVersions, module.OfferedVersions);
            Assert.Equal(plain.RecordVersion, module.RecordVersion);
            Assert.Equal(before, ServicePointManager.SecurityProtocol);
        }

        [Theory]
        [InlineData(Tls10)]
        [InlineData(Tls11)]
        public async Task On_NET_an_old_version_is_refused_or_accepted_as_the_operating_system_decides(ushort serverVersion)
        {
            TlsHandshake module = await HandshakeAsync(HttpHandlerFactory.CreateHandler(new AcefoneSessionOptions(), netFramework: false), answerWith: serverVersion);
            TlsHandshake plain = await HandshakeAsync(new HttpClientHandler(), answerWith: serverVersion);
            _output.WriteLine($"server picks {Name(serverVersion)}: netFramework: false {module}; plain handler {plain}");
            Assert.Equal(plain.ClientAlert, module.ClientAlert);
        }

        [Fact]
        public async Task The_listener_can_tell_an_accepted_old_version_from_a_refused_one()
        {
            // The check above means something only if a handler that allows TLS 1.0 answers differently.
#pragma warning disable SYSLIB0039 // TLS 1.0 on purpose: the control case
            var handler = new HttpClientHandler { SslProtocols = System.Security.Authentication.SslProtocols.Tls | System.Security.Authentication.SslProtocols.Tls11 | System.Security.Authentication.SslProtocols.Tls12 };
#pragma warning restore SYSLIB0039
            TlsHandshake handshake = await HandshakeAsync(handler, answerWith: Tls10);
            _output.WriteLine($"a handler allowing TLS 1.0, server picks TLS 1.0: {handshake}");
            // OpenSSL takes the version and then refuses the suite (illegal_parameter); a stack that closes without
            // an alert has not refused the version either.
            Assert.True(handshake.SentClientHello);
            Assert.NotEqual(ProtocolVersionAlert, handshake.ClientAlert);
        }

        /// <summary>
        /// Sends one request through <paramref name="handler"/> to a loopback listener and reads its ClientHello.
        /// With <paramref name="answerWith"/>, answers with a ServerHello of that version (and a ServerHelloDone, so a
        /// client that accepted the version meets an unexpected message) and reads the client's alert.
        /// </summary>
        private static async Task<TlsHandshake> HandshakeAsync(HttpMessageHandler handler, ushort? answerWith)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            // A backstop only: every step below ends as soon as the other side answers or closes.
            using var backstop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            using var client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            Task<HttpResponseMessage> request = client.GetAsync($"https://127.0.0.1:{port}/", backstop.Token);
            try
            {
                using TcpClient connection = await listener.AcceptTcpClientAsync(backstop.Token);
                NetworkStream stream = connection.GetStream();
                (byte type, ushort recordVersion, byte[] body) = await ReadRecordAsync(stream, backstop.Token);
                // A client that cannot build a ClientHello (no protocol or suite left) says so with an alert instead.
                if (type == 21) return new TlsHandshake(recordVersion, 0, new List<ushort>(), new List<ushort>(), body.Length >= 2 ? body[1] : (byte?)null) { SentClientHello = false };
                Assert.Equal(22, type); // handshake
                TlsHandshake hello = ParseClientHello(recordVersion, body);
                if (answerWith is not { } version) return hello;

                // Any suite the client offered that is not TLS 1.3's: the client checks the version before the suite.
                ushort suite = hello.CipherSuites.FirstOrDefault(s => OldSuites.Contains(s));
                if (suite == 0) suite = hello.CipherSuites.First(s => s >> 8 != 0x13 && s != 0x00FF);
                byte[] answer = ServerHelloAndDone(version, suite);
                await stream.WriteAsync(answer, backstop.Token);
                byte? alert = null;
                try
                {
                    (byte replyType, _, byte[] reply) = await ReadRecordAsync(stream, backstop.Token);
                    if (replyType == 21 && reply.Length >= 2) alert = reply[1];
                }
                catch (EndOfStreamException) { }
                catch (IOException) { }
                return hello with { ClientAlert = alert };
            }
            finally
            {
                listener.Stop();
                try { using HttpResponseMessage _ = await request; } catch (HttpRequestException) { } catch (OperationCanceledException) { }
            }
        }

        // CBC suites that TLS 1.0 has: a server picking TLS 1.0 must choose one of these.
        private static readonly HashSet<ushort> OldSuites = new HashSet<ushort> { 0xC013, 0xC014, 0xC009, 0xC00A, 0x002F, 0x0035, 0x0033, 0x0039 };

        private static async Task<(byte Type, ushort Version, byte[] Body)> ReadRecordAsync(Stream stream, CancellationToken cancellation)
        {
            byte[] header = new byte[5];
            await stream.ReadExactlyAsync(header, cancellation);
            byte[] body = new byte[(header[3] << 8) | header[4]];
            await stream.ReadExactlyAsync(body, cancellation);
            return (header[0], (ushort)((header[1] << 8) | header[2]), body);
        }

        private static TlsHandshake ParseClientHello(ushort recordVersion, byte[] record)
        {
            var r = new Reader(record);
            Assert.Equal(1, r.U8()); // client_hello
            int length = r.U24();
            Assert.True(length <= record.Length - 4, "the ClientHello spans more than one record");
            ushort legacyVersion = r.U16();
            r.Skip(32);                 // random
            r.Skip(r.U8());             // session id
            int suitesLength = r.U16();
            var suites = new List<ushort>();
            for (int i = 0; i < suitesLength / 2; i++) suites.Add(r.U16());
            r.Skip(r.U8());             // compression methods
            List<ushort>? supported = null;
            if (r.Remaining > 0)
            {
                int end = r.Position + r.U16();
                while (r.Position < end)
                {
                    ushort type = r.U16();
                    int size = r.U16();
                    if (type == 43) // supported_versions
                    {
                        int count = r.U8() / 2;
                        supported = new List<ushort>();
                        for (int i = 0; i < count; i++) supported.Add(r.U16());
                    }
                    else r.Skip(size);
                }
            }
            // Without supported_versions a client names only its highest version.
            List<ushort> offered = (supported ?? new List<ushort> { legacyVersion }).Where(v => (v & 0x0F0F) != 0x0A0A).OrderBy(v => v).ToList(); // GREASE values dropped
            return new TlsHandshake(recordVersion, legacyVersion, offered, suites, null);
        }

        private static byte[] ServerHelloAndDone(ushort version, ushort suite)
        {
            var hello = new List<byte> { (byte)(version >> 8), (byte)version };
            hello.AddRange(RandomNumberGenerator.GetBytes(32));
            hello.Add(0);                                        // no session id
            hello.Add((byte)(suite >> 8)); hello.Add((byte)suite);
            hello.Add(0);                                        // no compression
            // renegotiation_info, empty: OpenSSL 3 refuses a server without it before it gets to anything else.
            byte[] extensions = { 0xFF, 0x01, 0x00, 0x01, 0x00 };
            hello.Add(0); hello.Add((byte)extensions.Length);
            hello.AddRange(extensions);

            var handshake = new List<byte> { 2, 0, (byte)(hello.Count >> 8), (byte)hello.Count };
            handshake.AddRange(hello);
            handshake.AddRange(new byte[] { 14, 0, 0, 0 });      // server_hello_done
            var record = new List<byte> { 22, (byte)(version >> 8), (byte)version, (byte)(handshake.Count >> 8), (byte)handshake.Count };
            record.AddRange(handshake);
            return record.ToArray();
        }

        private static string Name(ushort version) => version switch
        {
            Tls10 => "TLS 1.0", Tls11 => "TLS 1.1", Tls12 => "TLS 1.2", Tls13 => "TLS 1.3", _ => $"0x{version:X4}",
        };

        private sealed record TlsHandshake(ushort RecordVersion, ushort LegacyVersion, List<ushort> OfferedVersions, List<ushort> CipherSuites, byte? ClientAlert)
        {
            internal bool SentClientHello { get; init; } = true;

            public override string ToString() => !SentClientHello ? $"no ClientHello: the client's first record is alert {ClientAlert}" :
                $"record {Name(RecordVersion)}, client_version {Name(LegacyVersion)}, versions [{string.Join(", ", OfferedVersions.Select(Name))}], suites [{string.Join(" ", CipherSuites.Select(s => s.ToString("X4")))}]" +
                (ClientAlert is { } a ? $", client's alert {a}" : "");
        }

        private sealed class Reader
        {
            private readonly byte[] _data;
            internal Reader(byte[] data) => _data = data;
            internal int Position { get; private set; }
            internal int Remaining => _data.Length - Position;
            internal byte U8() => _data[Position++];
            internal ushort U16() => (ushort)((U8() << 8) | U8());
            internal int U24() => (U8() << 16) | (U8() << 8) | U8();
            internal void Skip(int count) => Position += count;
        }
    }
}
