using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Acefone.Client;
using Acefone.Simulator;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// Issue 24 item 4: a download is whole or it is not kept. A partial file continues only under the validator it was
    /// started with (If-Range); a file that changed meanwhile starts over; without a declared length only a clean end
    /// of the body completes a file; file names are safe on Windows too.
    /// </summary>
    public sealed class WholeDownloadTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "acefone-whole-" + Guid.NewGuid().ToString("n"));

        public WholeDownloadTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, true);

        private static SimCallRecord Recorded(SimulatorHost simulator) =>
            simulator.State.CallRecords.GetRecords().First(r => r.RecordingBytes > 300_000);

        private static Uri Link(SimulatorHost simulator, SimCallRecord record) =>
            new Uri(simulator.BaseUri, $"file/recording?callId={Uri.EscapeDataString(record.CallId)}&type=rec&token={record.RecordingToken}");

        /// <summary>The recording as the simulator serves it now, fetched in one piece.</summary>
        private static async Task<byte[]> Current(SimulatorHost simulator, SimCallRecord record)
        {
            using var http = new HttpClient();
            return await http.GetByteArrayAsync(Link(simulator, record));
        }

        private async Task<RecordingDownloadResult> Download(SimulatorHost simulator, SimCallRecord record, int maxRetries = 3)
        {
            using AcefoneSession session = Sessions.ForSimulator(simulator, configure: o => o.MaxRetries = maxRetries);
            return await session.DownloadRecordingAsync(new RecordingDownloadRequest(Link(simulator, record), record.CallId, null, _folder));
        }

        private static void Knobs(SimulatorHost simulator, Func<CallRecordKnobs, CallRecordKnobs> change) =>
            simulator.State.CallRecords.Knobs = change(simulator.State.CallRecords.Knobs);

        [Theory]
        [InlineData("both")]
        [InlineData("etag")]
        [InlineData("lastModified")]
        [InlineData("none")]
        public async Task A_file_that_changed_between_attempts_is_downloaded_again_whole_never_stitched(string validators)
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            SimCallRecord record = Recorded(simulator);
            Knobs(simulator, k => k with { RecordingValidators = validators, RecordingChangesAfterDrop = true, DropNext = 1, DropAfterBytes = 100_000 });

            RecordingDownloadResult result = await Download(simulator, record);

            Assert.Equal(1, simulator.State.CallRecords.RecordingVersion(record.CallId));
            Assert.False(result.Resumed);
            Assert.Equal(await Current(simulator, record), File.ReadAllBytes(result.Path));
            Assert.Empty(Directory.GetFiles(_folder, "*.partial*"));
        }

        [Fact]
        public async Task A_host_that_ignores_If_Range_is_caught_by_the_validator_of_its_206()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            SimCallRecord record = Recorded(simulator);
            Knobs(simulator, k => k with { RecordingIgnoresIfRange = true, RecordingChangesAfterDrop = true, DropNext = 1, DropAfterBytes = 100_000 });

            RecordingDownloadResult result = await Download(simulator, record);

            Assert.False(result.Resumed);
            Assert.Equal(await Current(simulator, record), File.ReadAllBytes(result.Path));
        }

        [Fact]
        public async Task An_unchanged_file_is_continued_under_its_validator()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            SimCallRecord record = Recorded(simulator);
            Knobs(simulator, k => k with { DropNext = 1, DropAfterBytes = 100_000 });

            RecordingDownloadResult result = await Download(simulator, record);

            Assert.True(result.Resumed);
            Assert.Equal(await Current(simulator, record), File.ReadAllBytes(result.Path));
            Assert.Empty(Directory.GetFiles(_folder, "*.partial*"));
        }

        [Fact]
        public async Task A_chunked_body_cut_before_its_terminator_stays_partial_and_a_rerun_completes_it()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            SimCallRecord record = Recorded(simulator);
            Knobs(simulator, k => k with { RecordingChunked = true, DropNext = 1, DropAfterBytes = 100_000 });

            var error = await Assert.ThrowsAsync<AcefoneException>(() => Download(simulator, record, maxRetries: 0));
            Assert.Equal(AcefoneErrorKind.NetworkError, error.Kind);
            Assert.Single(Directory.GetFiles(_folder, "*.partial"));
            Assert.Empty(Directory.GetFiles(_folder, "*.wav").Concat(Directory.GetFiles(_folder, "*.mp3")));

            RecordingDownloadResult result = await Download(simulator, record);
            Assert.True(result.Resumed);
            Assert.Equal(await Current(simulator, record), File.ReadAllBytes(result.Path));
        }

        /// <summary>A host that answers with no length at all and closes the connection: a clean close cannot be told from an early one.</summary>
        private static async Task<(Uri Link, Task Served)> CloseDelimitedHost(byte[] body)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            Task served = Task.Run(async () =>
            {
                using TcpClient client = await listener.AcceptTcpClientAsync();
                NetworkStream stream = client.GetStream();
                var request = new StringBuilder();
                var buffer = new byte[4096];
                while (!request.ToString().Contains("\r\n\r\n"))
                {
                    int n = await stream.ReadAsync(buffer, 0, buffer.Length);
                    if (n == 0) break;
                    request.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }
                byte[] head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(head, 0, head.Length);
                await stream.WriteAsync(body, 0, body.Length);
                client.Client.Shutdown(SocketShutdown.Send);
                listener.Stop();
            });
            await Task.Yield();
            return (new Uri($"http://127.0.0.1:{port}/rec/1"), served);
        }

        [Fact]
        public async Task No_declared_length_and_a_closed_connection_is_never_complete()
        {
            (Uri link, Task served) = await CloseDelimitedHost(new byte[50_000]);
            using AcefoneSession session = Sessions.WithHandler(new HttpClientHandler(), Sessions.Options(new Uri("https://api.acefone.in/"), maxRetries: 0));

            var error = await Assert.ThrowsAsync<AcefoneException>(() => session.DownloadRecordingAsync(new RecordingDownloadRequest(link, "1.5", null, _folder)));
            await served;

            Assert.Equal(AcefoneErrorKind.InvalidResponse, error.Kind);
            Assert.Contains("no length", error.Message);
            Assert.Contains("1.5.partial", error.Message);
            Assert.True(File.Exists(Path.Combine(_folder, "1.5.partial")));
            Assert.Empty(Directory.GetFiles(_folder, "1.5.wav"));
        }

        [Theory]
        [InlineData("CON", "_CON")]
        [InlineData("nul", "_nul")]
        [InlineData("Aux.1234", "_Aux.1234")]
        [InlineData("COM1", "_COM1")]
        [InlineData("lpt9.5", "_lpt9.5")]
        [InlineData("PRN.tar.gz", "_PRN.tar.gz")]
        [InlineData("CON ", "_CON")]
        [InlineData("call.", "call")]
        [InlineData("call. . .", "call._._")]
        [InlineData("1714657799.11930963.", "1714657799.11930963")]
        [InlineData("...", "call")]
        [InlineData("COM10", "COM10")]
        [InlineData("CONSOLE", "CONSOLE")]
        [InlineData("NULL.1", "NULL.1")]
        [InlineData("1714657799.11930963", "1714657799.11930963")]
        public void A_file_name_from_a_call_id_is_safe_on_Windows_and_Linux(string callId, string expected)
        {
            string name = RecordingLinks.FileBaseName(callId, null);
            Assert.Equal(expected, name);
            Assert.False(RecordingLinks.IsWindowsDeviceName(name));
            Assert.False(RecordingLinks.IsWindowsDeviceName(name + ".wav"));
            Assert.False(name.EndsWith(".", StringComparison.Ordinal) || name.EndsWith(" ", StringComparison.Ordinal));
            Assert.Equal(-1, name.IndexOfAny(Path.GetInvalidFileNameChars().Concat(new[] { '<', '>', ':', '"', '/', '\\', '|', '?', '*' }).ToArray()));
        }

        [Fact]
        public void A_dated_name_and_a_long_id_stay_safe()
        {
            Assert.Equal("20261102-140322_CON", RecordingLinks.FileBaseName("CON", new DateTimeOffset(2026, 11, 2, 14, 3, 22, TimeSpan.Zero)));
            string longId = new string('1', 119) + "." + "CON";
            Assert.Equal(new string('1', 119), RecordingLinks.FileBaseName(longId, null));
        }

        [Theory]
        [InlineData("CON", true)]
        [InlineData("con.txt", true)]
        [InlineData("NUL .wav", true)]
        [InlineData("COM0", true)]
        [InlineData("COM\u00B9", true)]
        [InlineData("LPT\u00B3.x", true)]
        [InlineData("CONIN$", true)]
        [InlineData("conout$.log", true)]
        [InlineData("COM", false)]
        [InlineData("LPT", false)]
        [InlineData("COMA", false)]
        [InlineData("LPT10", false)]
        [InlineData("XCON", false)]
        [InlineData("_CON", false)]
        [InlineData("AUXILIARY", false)]
        [InlineData("", false)]
        public void Windows_device_names_are_known_with_or_without_an_extension(string name, bool reserved)
        {
            Assert.Equal(reserved, RecordingLinks.IsWindowsDeviceName(name));
        }
    }
}
