using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    public sealed class RecordingTests : IDisposable
    {
        private static readonly Uri Api = new Uri("https://api.acefone.in/");
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "acefone-rec-tests-" + Guid.NewGuid().ToString("n"));

        public RecordingTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, true);

        [Theory]
        [InlineData("https://api.acefone.in/file/recording?x=1", true)]
        [InlineData("https://API.ACEFONE.IN/file", true)]
        [InlineData("https://console.acefone.in/file/recording?callId=1&token=t", false)]
        [InlineData("https://api.acefone.in:8443/file", false)]
        [InlineData("http://api.acefone.in/file", false)]
        [InlineData("https://api.acefone.in.evil.com/file", false)]
        public void Only_the_API_host_gets_the_token(string url, bool expected) =>
            Assert.Equal(expected, RecordingLinks.ShouldSendToken(new Uri(url), Api, null));

        [Theory]
        [InlineData("https://console.acefone.in/file", "console.acefone.in", true)]
        [InlineData("https://console.acefone.in/file", "console.acefone.in:443", true)]
        [InlineData("https://console.acefone.in:8443/file", "console.acefone.in", false)]
        [InlineData("https://console.acefone.in:8443/file", "console.acefone.in:8443", true)]
        [InlineData("http://console.acefone.in/file", "console.acefone.in", false)]
        [InlineData("http://127.0.0.1:5000/file", "127.0.0.1:5000", true)]
        [InlineData("https://other.acefone.in/file", "console.acefone.in", false)]
        public void TokenHost_names_extra_hosts_explicitly(string url, string trusted, bool expected) =>
            Assert.Equal(expected, RecordingLinks.ShouldSendToken(new Uri(url), Api, new[] { trusted }));

        [Fact]
        public void A_link_is_shown_with_every_query_value_masked_and_never_named_after()
        {
            var url = new Uri("https://console.acefone.in/file/recording?callId=1788265388.67524&type=rec&token=abc123secret");
            Assert.Equal("https://console.acefone.in/file/recording?callId=***&type=***&token=***", RecordingLinks.Redact(url));
            Assert.Contains("abc123secret", RecordingLinks.QuerySecrets(url));
            string name = RecordingLinks.FileBaseName("SRVINF-T8-1788265388.67524/../x?token", new DateTimeOffset(2026, 11, 2, 14, 3, 22, TimeSpan.FromMinutes(330)));
            Assert.Equal("20261102-140322_SRVINF-T8-1788265388.67524_.._x_token", name);
            Assert.DoesNotContain(Path.DirectorySeparatorChar, name);
            Assert.Equal(".wav", RecordingLinks.ExtensionFor("audio/x-wav"));
            Assert.Equal(".mp3", RecordingLinks.ExtensionFor("audio/mpeg; charset=binary"));
            Assert.Equal(".bin", RecordingLinks.ExtensionFor("text/html"));
        }

        private static HttpResponseMessage Audio(byte[] bytes, int from = 0, string? etag = null)
        {
            var response = new HttpResponseMessage(from > 0 ? HttpStatusCode.PartialContent : HttpStatusCode.OK)
            {
                Content = new ByteArrayContent(bytes.Skip(from).ToArray()),
            };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
            if (from > 0) response.Content.Headers.ContentRange = new ContentRangeHeaderValue(from, bytes.Length - 1, bytes.Length);
            if (etag != null) response.Headers.ETag = new EntityTagHeaderValue(etag);
            return response;
        }

        [Fact]
        public async Task A_partial_file_is_continued_with_a_Range_request_and_renamed_when_complete()
        {
            byte[] audio = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
            var request = new RecordingDownloadRequest(new Uri("https://console.acefone.in/file/recording?callId=1.2&token=secret-token"), "1.2", null, _folder);
            File.WriteAllBytes(Path.Combine(_folder, "1.2.partial"), audio.Take(50_000).ToArray());
            // The validator the partial file was started under (a drop in an earlier run wrote it).
            File.WriteAllText(Path.Combine(_folder, "1.2.partial.validator"), "\"v1\"");
            var handler = new ScriptedHandler((message, _, _) => Audio(audio, (int)(message.Headers.Range?.Ranges.First().From ?? 0), "\"v1\""));
            using AcefoneSession session = Sessions.WithHandler(handler, Sessions.Options(Api));
            RecordingDownloadResult result = await session.DownloadRecordingAsync(request);
            Assert.True(result.Resumed);
            Assert.False(result.SentToken);
            Assert.Equal(Path.Combine(_folder, "1.2.wav"), result.Path);
            Assert.Equal(audio, File.ReadAllBytes(result.Path));
            Assert.False(File.Exists(Path.Combine(_folder, "1.2.partial")));
            var sent = handler.Received.Single().Request;
            Assert.Equal(50_000, sent.Headers.Range!.Ranges.First().From);
            Assert.Equal("\"v1\"", sent.Headers.GetValues("If-Range").Single());
            Assert.Null(sent.Headers.Authorization);
            Assert.False(File.Exists(Path.Combine(_folder, "1.2.partial.validator")));

            RecordingDownloadResult again = await session.DownloadRecordingAsync(request);
            Assert.True(again.Skipped);
            Assert.Equal(1, handler.Count);
        }

        [Fact]
        public async Task A_partial_file_without_a_validator_starts_over()
        {
            byte[] audio = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
            File.WriteAllBytes(Path.Combine(_folder, "1.3.partial"), new byte[50_000]);
            var handler = new ScriptedHandler((message, _, _) => Audio(audio, (int)(message.Headers.Range?.Ranges.First().From ?? 0)));
            using AcefoneSession session = Sessions.WithHandler(handler, Sessions.Options(Api));
            RecordingDownloadResult result = await session.DownloadRecordingAsync(new RecordingDownloadRequest(new Uri("https://console.acefone.in/rec?callId=1.3"), "1.3", null, _folder));
            Assert.False(result.Resumed);
            Assert.Null(handler.Received.Single().Request.Headers.Range);
            Assert.Equal(audio, File.ReadAllBytes(result.Path));
        }

        [Fact]
        public async Task A_range_the_download_did_not_ask_for_is_refused_and_the_final_name_never_appears()
        {
            byte[] audio = new byte[10_000];
            File.WriteAllBytes(Path.Combine(_folder, "7.partial"), new byte[100]);
            var handler = new ScriptedHandler((_, _, _) => Audio(audio, 300));
            using AcefoneSession session = Sessions.WithHandler(handler, Sessions.Options(Api));
            var ex = await Assert.ThrowsAsync<AcefoneException>(() =>
                session.DownloadRecordingAsync(new RecordingDownloadRequest(new Uri("https://api.acefone.in/rec/7"), "7", null, _folder)));
            Assert.Equal(AcefoneErrorKind.InvalidResponse, ex.Kind);
            Assert.Empty(Directory.GetFiles(_folder, "7.wav"));
        }

        [Fact]
        public async Task The_API_host_gets_the_token_and_a_404_is_NotFound_without_the_link_token()
        {
            var handler = new ScriptedHandler((message, _, _) => ScriptedHandler.Json(404, "{\"message\":\"no file for token=tok-98765\"}"));
            using AcefoneSession session = Sessions.WithHandler(handler, Sessions.Options(Api));
            var ex = await Assert.ThrowsAsync<AcefoneException>(() =>
                session.DownloadRecordingAsync(new RecordingDownloadRequest(new Uri("https://api.acefone.in/file/recording?token=tok-98765"), "9", null, _folder)));
            Assert.Equal(AcefoneErrorKind.NotFound, ex.Kind);
            Assert.Equal("Bearer " + Sessions.Token, handler.Received.Single().Request.Headers.Authorization!.ToString());
            Assert.DoesNotContain("tok-98765", ex.Message + ex.ResponseBody + ex.ServerMessage + ex.Request);
        }

        [Fact]
        public async Task A_401_from_a_host_that_got_no_token_names_TokenHost()
        {
            var handler = ScriptedHandler.Always(401, "{\"message\":\"Unauthenticated.\"}");
            using AcefoneSession session = Sessions.WithHandler(handler, Sessions.Options(Api));
            var ex = await Assert.ThrowsAsync<AcefoneException>(() =>
                session.DownloadRecordingAsync(new RecordingDownloadRequest(new Uri("https://console.acefone.in/file/recording?token=x1"), "9", null, _folder)));
            Assert.Contains("-TokenHost 'console.acefone.in'", ex.Message);
            Assert.Null(handler.Received.Single().Request.Headers.Authorization);
        }

        [Fact]
        public async Task A_redirect_is_followed_and_the_next_host_is_judged_on_its_own()
        {
            byte[] audio = new byte[5000];
            var handler = new ScriptedHandler((message, _, n) =>
            {
                if (n > 1) return Audio(audio);
                var moved = new HttpResponseMessage(HttpStatusCode.Found) { Content = new StringContent("") };
                moved.Headers.Location = new Uri("https://storage.example.com/r/9.wav?X-Amz-Signature=sig-4242");
                return moved;
            });
            using AcefoneSession session = Sessions.WithHandler(handler, Sessions.Options(Api));
            RecordingDownloadResult result = await session.DownloadRecordingAsync(new RecordingDownloadRequest(new Uri("https://api.acefone.in/file/recording?token=t-1"), "9", null, _folder));
            Assert.Equal(5000, new FileInfo(result.Path).Length);
            var sent = handler.Received.Select(r => r.Request).ToArray();
            Assert.NotNull(sent[0].Headers.Authorization);
            Assert.Equal("storage.example.com", sent[1].RequestUri!.Host);
            Assert.Null(sent[1].Headers.Authorization);
        }

        [Fact]
        public async Task Plain_http_to_another_host_is_refused_before_sending()
        {
            var handler = ScriptedHandler.Always(200, "");
            using AcefoneSession session = Sessions.WithHandler(handler, Sessions.Options(Api));
            var ex = await Assert.ThrowsAsync<AcefoneException>(() =>
                session.DownloadRecordingAsync(new RecordingDownloadRequest(new Uri("http://console.acefone.in/file/recording?token=x1"), "9", null, _folder)));
            Assert.Equal(AcefoneErrorKind.InvalidInput, ex.Kind);
            Assert.Equal(0, handler.Count);
        }
    }
}
