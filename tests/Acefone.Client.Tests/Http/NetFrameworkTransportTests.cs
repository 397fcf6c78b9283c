using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// What Windows PowerShell 5.1 (.NET Framework) depends on, checked on .NET: the handler's connection limit, no
    /// Expect: 100-continue, a request that timed out still queued counted as never sent, and a stalled body that
    /// still ends at the timeout or a stop although its stream ignores the token (as .NET Framework's does).
    /// </summary>
    public class NetFrameworkTransportTests
    {
        private static readonly TimeSpan Backstop = TimeSpan.FromSeconds(60);

        [Fact]
        public void The_NET_Framework_handler_allows_more_connections_per_host_than_the_largest_ThrottleLimit()
        {
            using var framework = HttpHandlerFactory.CreateHandler(new AcefoneSessionOptions(), netFramework: true);
            // Set explicitly: left alone, .NET Framework applies ServicePointManager.DefaultConnectionLimit (2) instead.
            Assert.Equal(HttpHandlerFactory.NetFrameworkConnectionsPerServer, framework.MaxConnectionsPerServer);
            Assert.True(framework.MaxConnectionsPerServer >= 64, $"MaxConnectionsPerServer is {framework.MaxConnectionsPerServer}");
            using var core = HttpHandlerFactory.CreateHandler(new AcefoneSessionOptions(), netFramework: false);
            Assert.Equal(int.MaxValue, core.MaxConnectionsPerServer);   // .NET's own default: no limit to lift
        }

        [Fact]
        public async Task Requests_do_not_ask_for_100_continue()
        {
            var handler = ScriptedHandler.Always(200, "{\"success\":true,\"message\":\"Transfer request initiated\"}");
            using AcefoneSession session = Sessions.WithHandler(handler);
            await session.InvokeCallOptionAsync(Sessions.Transfer("1714657799.1", "8004"));
            (HttpRequestMessage request, _) = handler.Received.Single();
            Assert.False(request.Headers.ExpectContinue);
        }

        /// <summary>Never answers; with <c>readBody</c> it first takes the body, as a handler does once it has a connection.</summary>
        private sealed class SilentHandler : HttpMessageHandler
        {
            private readonly bool _readBody;
            private int _count;

            internal SilentHandler(bool readBody) => _readBody = readBody;

            internal int Count => Volatile.Read(ref _count);

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref _count);
                if (_readBody) await request.Content!.ReadAsByteArrayAsync(cancellationToken);
                await Task.Delay(Timeout.Infinite, cancellationToken);
                throw new InvalidOperationException("unreachable");
            }
        }

        private static AcefoneSessionOptions ShortTimeout()
        {
            AcefoneSessionOptions options = Sessions.Options(maxRetries: 2);
            options.Timeout = TimeSpan.FromMilliseconds(150);
            return options;
        }

        [Fact]
        public async Task A_transfer_that_timed_out_waiting_for_a_connection_was_never_sent_and_is_retried()
        {
            var handler = new SilentHandler(readBody: false);
            using AcefoneSession session = Sessions.WithHandler(handler, ShortTimeout());
            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Sessions.Transfer("1714657799.1", "8004")));
            Assert.Equal(AcefoneErrorKind.NetworkError, error.Kind);
            Assert.Contains("nothing was sent", error.Message);
            Assert.Equal(3, handler.Count);   // the first try and both retries
        }

        [Fact]
        public async Task A_transfer_that_timed_out_after_its_body_left_is_OutcomeUnknown_and_not_resent()
        {
            var handler = new SilentHandler(readBody: true);
            using AcefoneSession session = Sessions.WithHandler(handler, ShortTimeout());
            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Sessions.Transfer("1714657799.1", "8004")));
            Assert.Equal(AcefoneErrorKind.OutcomeUnknown, error.Kind);
            Assert.Equal(1, handler.Count);
        }

        /// <summary>A body whose reads ignore their token and end only when the stream is disposed, as on .NET Framework.</summary>
        private sealed class StallingStream : Stream
        {
            private readonly TaskCompletionSource<int> _disposed = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _disposed.Task;
            public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new ValueTask<int>(_disposed.Task);
            public override int Read(byte[] buffer, int offset, int count) => _disposed.Task.GetAwaiter().GetResult();

            protected override void Dispose(bool disposing)
            {
                _disposed.TrySetException(new ObjectDisposedException(nameof(StallingStream)));
                base.Dispose(disposing);
            }

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }

        private static ScriptedHandler Stalling(TaskCompletionSource<bool>? answered = null) => new ScriptedHandler((_, _, _) =>
        {
            answered?.TrySetResult(true);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new StallingStream()) };
        });

        [Fact]
        public async Task A_stalled_body_ends_at_the_timeout_as_OutcomeUnknown()
        {
            using AcefoneSession session = Sessions.WithHandler(Stalling(), ShortTimeout());
            Task<CallOptionResult> call = session.InvokeCallOptionAsync(Sessions.Transfer("1714657799.1", "8004"));
            Assert.Same(call, await Task.WhenAny(call, Task.Delay(Backstop)));
            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => call);
            Assert.Equal(AcefoneErrorKind.OutcomeUnknown, error.Kind);
            Assert.Contains("cut off", error.Message);
        }

        [Fact]
        public async Task A_stalled_body_ends_at_a_stop()
        {
            var answered = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            AcefoneSessionOptions options = Sessions.Options();
            options.Timeout = TimeSpan.FromMinutes(10);
            using AcefoneSession session = Sessions.WithHandler(Stalling(answered), options);
            using var stop = new CancellationTokenSource();
            Task<CallOptionResult> call = session.InvokeCallOptionAsync(Sessions.Transfer("1714657799.1", "8004"), null, stop.Token);
            await answered.Task;
            stop.Cancel();
            Assert.Same(call, await Task.WhenAny(call, Task.Delay(Backstop)));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        }
    }
}
