using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>One attempt alone: each way a send can end, classified, with nothing retried.</summary>
    public class HttpTransportTests
    {
        /// <summary>Does what the test says with each request; reads the body first when told, as a handler does once it has a connection.</summary>
        private sealed class OneShotHandler : HttpMessageHandler
        {
            private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _send;
            internal OneShotHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send) => _send = send;
            internal int Calls { get; private set; }

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Calls++;
                return _send(request, cancellationToken);
            }
        }

        /// <summary>A body that breaks part-way.</summary>
        private sealed class BrokenStream : Stream
        {
            private bool _sent;
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => 0; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count)
            {
                if (_sent) throw new IOException("connection reset by peer");
                _sent = true;
                buffer[offset] = (byte)'{';
                return 1;
            }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }

        private static async Task<(AttemptOutcome Outcome, OneShotHandler Handler)> Attempt(
            Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, ApiRequest? request = null, TimeSpan? timeout = null, string? token = "token-123",
            RecordingObserver? observer = null)
        {
            var handler = new OneShotHandler(send);
            var options = new AcefoneSessionOptions { BaseUri = new Uri("http://127.0.0.1:9/"), Timeout = timeout ?? TimeSpan.FromSeconds(30), MaxResponseBytes = 1024 };
            using var attempt = new HttpTransport(options, handler);
            request ??= new ApiRequest(HttpMethod.Post, "v1/call/options", Encoding.UTF8.GetBytes("{}"));
            var trace = new AttemptTrace(null, request, 1, TimeSpan.Zero, TimeProvider.System);
            AttemptOutcome outcome = await attempt.SendAsync(request, token == null ? null : new TokenLease(token, DateTimeOffset.UnixEpoch, null), trace, observer != null, observer, CancellationToken.None);
            return (outcome, handler);
        }

        private static async Task<HttpResponseMessage> ReadBodyThen(HttpRequestMessage request, Func<HttpResponseMessage> answer)
        {
            if (request.Content != null) await request.Content.ReadAsByteArrayAsync();
            return answer();
        }

        [Fact]
        public async Task An_answer_carries_status_body_headers_and_the_token_in_its_header()
        {
            HttpRequestMessage? sent = null;
            (AttemptOutcome outcome, OneShotHandler handler) = await Attempt((request, _) =>
            {
                sent = request;
                var response = ScriptedHandler.Json(201, "{\"success\":true}");
                response.Headers.Location = new Uri("http://127.0.0.1:9/next");
                response.Headers.TryAddWithoutValidation("Retry-After", "5");
                return Task.FromResult(response);
            });

            Assert.Equal(AttemptOutcomeKind.Answered, outcome.Kind);
            Assert.Equal(201, outcome.Status);
            Assert.Equal("{\"success\":true}", Encoding.UTF8.GetString(outcome.Body, 0, outcome.Length));
            Assert.Equal("application/json", outcome.ContentType);
            Assert.Equal("http://127.0.0.1:9/next", outcome.Location);
            // Retry-After counts on a 429 or 503 only.
            Assert.Null(outcome.RetryAfterHeader);
            Assert.Equal("Bearer token-123", sent!.Headers.Authorization!.ToString());
            Assert.Equal(1, handler.Calls);
        }

        [Theory]
        [InlineData(429)]
        [InlineData(503)]
        public async Task A_refusal_for_now_keeps_its_retry_after(int status)
        {
            (AttemptOutcome outcome, _) = await Attempt((_, _) =>
            {
                var response = ScriptedHandler.Json(status, "{}");
                response.Headers.TryAddWithoutValidation("Retry-After", "7");
                return Task.FromResult(response);
            });
            Assert.Equal(AttemptOutcomeKind.Answered, outcome.Kind);
            Assert.Equal(TimeSpan.FromSeconds(7), outcome.RetryAfterHeader!.Delta);
        }

        public static TheoryData<string, string> Failures() => new TheoryData<string, string>
        {
            { "connection refused", nameof(AttemptOutcomeKind.NeverConnected) },
            { "lost after sending", nameof(AttemptOutcomeKind.ConnectionLost) },
            { "handler refuses", nameof(AttemptOutcomeKind.RefusedBeforeSending) },
            { "proxy 407", nameof(AttemptOutcomeKind.ProxyAuthenticationRequired) },
            { "too large", nameof(AttemptOutcomeKind.TooLarge) },
            { "cut off", nameof(AttemptOutcomeKind.AnswerCutOff) },
        };

        [Theory]
        [MemberData(nameof(Failures))]
        public async Task Each_ending_without_a_readable_answer_is_classified_and_not_retried(string how, string expected)
        {
            (AttemptOutcome outcome, OneShotHandler handler) = await Attempt((request, _) => how switch
            {
                "connection refused" => throw new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused)),
                "lost after sending" => ReadBodyThen(request, () => throw new HttpRequestException("lost", new IOException("connection reset by peer"))),
                "handler refuses" => throw new InvalidOperationException("this handler cannot apply that setting"),
                // How .NET reports a 407 to an https tunnel's CONNECT: an exception, not an answer.
                "proxy 407" => throw new HttpRequestException("proxy tunnel refused", null, HttpStatusCode.ProxyAuthenticationRequired),
                "too large" => Task.FromResult(ScriptedHandler.Json(200, new string('x', 2048))),
                _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new BrokenStream()) }),
            });

            Assert.Equal(expected, outcome.Kind.ToString());
            Assert.Equal(1, handler.Calls);
            if (how == "too large" || how == "cut off") Assert.Equal(200, outcome.Status);
            else if (how == "proxy 407") Assert.Equal(407, outcome.Status);
            else Assert.Equal(0, outcome.Status);
            if (how == "too large") Assert.Equal(AcefoneErrorKind.InvalidResponse, outcome.RefusedAs);
            if (how == "handler refuses") Assert.Equal("not sent (this handler cannot apply that setting)", outcome.TraceNote);
        }

        [Fact]
        public async Task A_timeout_before_the_body_went_out_is_queued_not_sent_and_after_it_timed_out()
        {
            (AttemptOutcome queued, _) = await Attempt(async (_, cancel) =>
            {
                await Task.Delay(Timeout.Infinite, cancel);
                return null!;
            }, timeout: TimeSpan.FromMilliseconds(50));
            Assert.Equal(AttemptOutcomeKind.QueuedOut, queued.Kind);

            (AttemptOutcome sent, _) = await Attempt(async (request, cancel) =>
            {
                await request.Content!.ReadAsByteArrayAsync(cancel);
                await Task.Delay(Timeout.Infinite, cancel);
                return null!;
            }, timeout: TimeSpan.FromMilliseconds(50));
            Assert.Equal(AttemptOutcomeKind.TimedOut, sent.Kind);
        }

        [Fact]
        public async Task A_token_a_header_cannot_carry_is_refused_before_anything_is_sent()
        {
            (AttemptOutcome outcome, OneShotHandler handler) = await Attempt((_, _) => Task.FromResult(ScriptedHandler.Json(200, "{}")), token: "bad token");
            Assert.Equal(AttemptOutcomeKind.RefusedBeforeSending, outcome.Kind);
            Assert.Equal(AcefoneErrorKind.AuthenticationFailed, outcome.RefusedAs);
            Assert.Equal(0, handler.Calls);
        }

        /// <summary>A body of <paramref name="size"/> bytes sent without a Content-Length, so only the read itself can stop at the cap.</summary>
        private static HttpResponseMessage Unsized(int size, int status = 200) =>
            new HttpResponseMessage((HttpStatusCode)status) { Content = new StreamContent(new UnseekableStream(Encoding.ASCII.GetBytes(new string('x', size)))) };

        /// <summary>StreamContent declares the length of a seekable stream: this one it cannot.</summary>
        private sealed class UnseekableStream : MemoryStream
        {
            internal UnseekableStream(byte[] bytes) : base(bytes) { }
            public override bool CanSeek => false;
        }

        [Theory]
        [InlineData(0, "Answered")]
        [InlineData(1000, "Answered")]
        [InlineData(1024, "Answered")]
        [InlineData(1025, "TooLarge")]
        [InlineData(5000, "TooLarge")]
        public async Task An_answer_without_a_length_is_read_up_to_the_cap_and_no_further(int size, string expected)
        {
            (AttemptOutcome outcome, _) = await Attempt((_, _) => Task.FromResult(Unsized(size)));
            Assert.Equal(expected, outcome.Kind.ToString());
            if (expected == "Answered") Assert.Equal(size, outcome.Length);
            else Assert.Equal("the answer is more than the 1024 bytes this module reads; reading stopped there.", outcome.Message);
        }

        [Theory]
        [InlineData(1024, "Answered")]
        [InlineData(1025, "TooLarge")]
        public async Task A_declared_length_over_the_cap_is_not_read(int size, string expected)
        {
            (AttemptOutcome outcome, _) = await Attempt((_, _) => Task.FromResult(ScriptedHandler.Json(200, new string('x', size))));
            Assert.Equal(expected, outcome.Kind.ToString());
            if (expected == "TooLarge") Assert.Equal($"the answer is {size} bytes, more than the 1024 this module reads; it was not read.", outcome.Message);
        }

        [Theory]
        [InlineData(null, "/v1/users")]
        [InlineData("page=2", "/v1/users?page=2")]
        public async Task The_query_goes_after_the_path_and_a_get_has_no_body(string? query, string expected)
        {
            HttpRequestMessage? sent = null;
            await Attempt((request, _) => { sent = request; return Task.FromResult(ScriptedHandler.Json(200, "[]")); },
                new ApiRequest(HttpMethod.Get, "v1/users", null, query));
            Assert.Equal(expected, sent!.RequestUri!.PathAndQuery);
            Assert.Null(sent.Content);
        }

        [Fact]
        public async Task A_post_body_goes_as_utf8_json_and_an_empty_post_still_has_a_body()
        {
            HttpRequestMessage? sent = null;
            await Attempt((request, _) => { sent = request; return Task.FromResult(ScriptedHandler.Json(200, "{}")); });
            Assert.Equal("application/json; charset=utf-8", sent!.Content!.Headers.ContentType!.ToString());

            await Attempt((request, _) => { sent = request; return Task.FromResult(ScriptedHandler.Json(200, "{}")); }, new ApiRequest(HttpMethod.Post, "v1/auth/logout"));
            Assert.IsType<SendTrackingContent>(sent!.Content);
        }

        [Fact]
        public async Task Debug_lines_show_both_bodies_with_the_token_redacted_only_when_kept()
        {
            var observer = new RecordingObserver();
            var request = new ApiRequest(HttpMethod.Post, "v1/call/options", Encoding.UTF8.GetBytes("{\"t\":\"token-123\"}"));
            await Attempt((_, _) => Task.FromResult(ScriptedHandler.Json(200, "{\"echo\":\"token-123\"}")), request, observer: observer);
            Assert.Equal(2, observer.Debug.Count);
            Assert.StartsWith("POST /v1/call/options body: ", observer.Debug[0]);
            Assert.StartsWith("POST /v1/call/options answer 200: ", observer.Debug[1]);
            Assert.All(observer.Debug, line => Assert.DoesNotContain("token-123", line));
        }

        [Theory]
        [InlineData(200, true)]
        [InlineData(206, true)]
        [InlineData(404, false)]
        public async Task A_sink_takes_a_2xx_body_and_an_error_is_read_as_usual(int status, bool sunk)
        {
            long streamed = -1;
            var request = new ApiRequest(HttpMethod.Get, "rec.mp3")
            {
                ResponseSink = async (_, stream, _, _) => { var copy = new MemoryStream(); await stream.CopyToAsync(copy); streamed = copy.Length; },
            };
            (AttemptOutcome outcome, _) = await Attempt((_, _) => Task.FromResult(Unsized(10, status)), request);
            Assert.Equal(AttemptOutcomeKind.Answered, outcome.Kind);
            Assert.Equal(sunk ? 10 : -1, streamed);
            Assert.Equal(sunk ? 0 : 10, outcome.Length);
        }
    }
}
