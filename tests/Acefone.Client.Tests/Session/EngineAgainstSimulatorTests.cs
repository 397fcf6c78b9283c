using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Acefone.Client;
using Acefone.Simulator;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>The engine against the real HTTP simulator on loopback: functional, never timed.</summary>
    public class EngineAgainstSimulatorTests
    {
        private static async Task<CallOptionResult?[]> RunAll(AcefoneSession session, IReadOnlyList<string> callIds, int concurrency, List<AcefoneException> errors)
        {
            var results = new CallOptionResult?[callIds.Count];
            using var gate = new SemaphoreSlim(concurrency);
            await Task.WhenAll(callIds.Select(async (id, i) =>
            {
                await gate.WaitAsync();
                try
                {
                    results[i] = await session.InvokeCallOptionAsync(Sessions.Transfer(id, "8004"));
                }
                catch (AcefoneException ex)
                {
                    lock (errors) errors.Add(ex);
                }
                finally
                {
                    gate.Release();
                }
            }));
            return results;
        }

        [Fact]
        public async Task A_login_session_refreshes_expiring_tokens_with_one_refresh_at_a_time()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            simulator.State.UpdateConfig(c => c with { TokenExpiresAfterRequests = 10 });
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(120);
            using AcefoneSession session = Sessions.ForSimulator(simulator, login: true);
            var errors = new List<AcefoneException>();

            CallOptionResult?[] results = await RunAll(session, calls, 8, errors);

            // What the rule guarantees on a busy machine too: one login, one refresh at a time, nothing sent twice, every
            // row ends once. Not that every row succeeds: with 8 in flight and a token good for 10 requests, a stalled
            // request's one renewal can be used up by the others before it is resent; it then fails AuthenticationFailed,
            // and the API did not act on it (real tokens expire by time, not by count).
            SimulatorStats stats = simulator.State.GetStats();
            int succeeded = results.Count(r => r != null);
            Assert.Equal(120, succeeded + errors.Count);
            Assert.All(results.Where(r => r != null), r => Assert.True(r!.Success));
            Assert.All(errors, e => Assert.Equal(AcefoneErrorKind.AuthenticationFailed, e.Kind));
            Assert.All(errors, e => Assert.False(e.MayHaveActed, e.Message));
            Assert.Equal(succeeded, stats.Processed - stats.Logins - stats.Refreshes + stats.FailedLogins);
            Assert.Equal(0, stats.DuplicateProcessed);
            Assert.Equal(0, stats.ConcurrentLoginViolations);
            Assert.Equal(0, stats.ConcurrentRefreshViolations);
            Assert.Equal(1, stats.Logins);
            // Each token serves at most 10 requests, so every ten successes after the first took a refresh. A row fails
            // only on a renewed token that others used up (about 9 successes on it) and at most 8 rows share that fate
            // per token, so successes outnumber failures however the machine schedules; without working renewal, 10
            // rows would succeed and 110 fail.
            Assert.True(stats.Refreshes >= (succeeded - 1) / 10, $"{succeeded} succeeded on {stats.Refreshes} refreshes");
            Assert.True(succeeded > errors.Count, $"{succeeded} of 120 succeeded: {string.Join(" | ", errors.Select(e => e.Message).Distinct())}");
        }

        [Fact]
        public async Task Many_first_requests_at_once_cause_exactly_one_login()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            simulator.State.UpdateConfig(c => c with { LatencyMs = 20 });
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(16);
            using AcefoneSession session = Sessions.ForSimulator(simulator, login: true);
            var errors = new List<AcefoneException>();
            await RunAll(session, calls, 16, errors);
            Assert.Empty(errors);
            Assert.Equal(1, simulator.State.GetStats().Logins);
        }

        [Fact]
        public async Task A_token_refreshed_before_expiry_by_the_clock()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(3);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            using AcefoneSession session = AcefoneSession.CreateForTest(Sessions.Options(simulator.BaseUri),
                AcefoneCredential.FromLogin(SeedData.Email, Sessions.Secure(SeedData.Password)), null, () => now);
            await session.InvokeCallOptionAsync(Sessions.Transfer(calls[0], "8004"));
            DateTimeOffset? firstExpiry = session.TokenExpiresAt;
            Assert.NotNull(firstExpiry);

            now = firstExpiry!.Value.AddMinutes(-1); // inside the refresh margin
            await session.InvokeCallOptionAsync(Sessions.Transfer(calls[1], "8004"));
            Assert.Equal(1, simulator.State.GetStats().Refreshes);
            Assert.True(session.TokenExpiresAt > firstExpiry);
        }

        [Fact]
        public async Task A_refused_refresh_falls_back_to_logging_in_again()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(2);
            using AcefoneSession session = Sessions.ForSimulator(simulator, login: true);
            await session.InvokeCallOptionAsync(Sessions.Transfer(calls[0], "8004"));
            foreach (RecordedRequest request in simulator.State.GetRequests("/v1/call/options"))
                simulator.State.RevokeToken(request.Authorization!.Substring("Bearer ".Length));

            CallOptionResult result = await session.InvokeCallOptionAsync(Sessions.Transfer(calls[1], "8004"));
            Assert.True(result.Success);
            SimulatorStats stats = simulator.State.GetStats();
            Assert.Equal(2, stats.Logins);
            Assert.Equal(0, stats.DuplicateProcessed);
        }

        [Fact]
        public async Task Dropped_after_processing_is_OutcomeUnknown_and_never_resent()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            simulator.State.UpdateConfig(c => c with { DropAfterProcessingEveryNth = 3 });
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(30);
            using AcefoneSession session = Sessions.ForSimulator(simulator, configure: o => o.MaxRetries = 5);
            var errors = new List<AcefoneException>();

            CallOptionResult?[] results = await RunAll(session, calls, 1, errors);

            Assert.Equal(10, errors.Count);
            Assert.All(errors, e => Assert.Equal(AcefoneErrorKind.OutcomeUnknown, e.Kind));
            Assert.All(errors, e => Assert.Equal(1, e.Attempts));
            Assert.Equal(20, results.Count(r => r != null));
            SimulatorStats stats = simulator.State.GetStats();
            Assert.Equal(30, stats.Processed);
            Assert.Equal(0, stats.DuplicateProcessed);
            Assert.Equal(30, simulator.State.GetRequests("/v1/call/options").Count);
        }

        [Fact]
        public async Task A_timeout_is_OutcomeUnknown_and_not_resent()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            simulator.State.UpdateConfig(c => c with { LatencyMs = 3000 });
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(1);
            using AcefoneSession session = Sessions.ForSimulator(simulator, configure: o => o.Timeout = TimeSpan.FromMilliseconds(300));
            var error = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Sessions.Transfer(calls[0], "8004")));
            Assert.Equal(AcefoneErrorKind.OutcomeUnknown, error.Kind);
            Assert.Contains("no answer within", error.Message);
            Assert.Single(simulator.State.GetRequests("/v1/call/options"));
        }

        [Fact]
        public async Task A_refused_connection_is_retried_then_NetworkError_saying_nothing_was_sent()
        {
            int port;
            using (var listener = new TcpListener(IPAddress.Loopback, 0))
            {
                listener.Start();
                port = ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            var observer = new RecordingObserver();
            using AcefoneSession session = AcefoneSession.Create(Sessions.Options(new Uri($"http://127.0.0.1:{port}/"), maxRetries: 2),
                AcefoneCredential.FromAccessToken(Sessions.Secure(Sessions.Token)));
            var error = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004"), observer));
            Assert.Equal(AcefoneErrorKind.NetworkError, error.Kind);
            Assert.Contains("nothing was sent", error.Message);
            Assert.Equal(3, observer.Traces.Count);
        }

        [Fact]
        public async Task Cancellation_stops_an_in_flight_request_promptly()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            simulator.State.UpdateConfig(c => c with { LatencyMs = 30000 });
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(1);
            using AcefoneSession session = Sessions.ForSimulator(simulator);
            using var cancel = new CancellationTokenSource();
            Task<CallOptionResult> running = session.InvokeCallOptionAsync(Sessions.Transfer(calls[0], "8004"), null, cancel.Token);
            await Task.Delay(200);
            cancel.Cancel();
            // Generous bound: it must not wait for the 30 s answer.
            Task finished = await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(10)));
            Assert.Same(running, finished);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        }

        [Fact]
        public async Task Rate_limited_without_Retry_After_every_row_ends_once_and_the_limiter_settles()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            // A bucket of two at 10/s: any eight workers meet it, however slowly a loaded machine lets them send
            // (at 40/s with a bucket of 40, a busy CI machine once never reached the limit at all).
            simulator.State.UpdateConfig(c => c with { RateLimitPerSecond = 10, RateLimitBurst = 2, RetryAfter = RetryAfterMode.None });
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(30);
            using AcefoneSession session = Sessions.ForSimulator(simulator, configure: o => o.MaxRetries = 8);
            var errors = new List<AcefoneException>();
            CallOptionResult?[] results = await RunAll(session, calls, 8, errors);

            // What the rule guarantees on a busy machine too, not that every row succeeds: requests bunched by a loaded
            // machine can refuse a row more often than its resends (as in RateLimitsAgainstSimulatorTests). Every row ends
            // once: acted on, or refused by the limit and left untouched.
            Assert.Equal(30, results.Count(r => r != null) + errors.Count);
            Assert.All(results.Where(r => r != null), r => Assert.True(r!.Success));
            Assert.All(errors, e => Assert.True(e.Kind == AcefoneErrorKind.RateLimited, $"{e.CallId}: {e.Kind}: {e.Message}"));
            Assert.All(errors, e => Assert.False(e.MayHaveActed, e.Message));
            SimulatorStats stats = simulator.State.GetStats();
            Assert.Equal(30 - errors.Count, stats.Processed);
            Assert.Equal(0, stats.DuplicateProcessed);
            Assert.True(stats.TooManyRequests > 0, "the run should have met the limit");
            // A 429 makes the rate finite, never below the floor; at most what got through under a 10/s limit, plus a few seconds' climb.
            Assert.InRange(session.CurrentRequestsPerSecond!.Value, RateController.MinimumRate, 60);
        }

        [Fact]
        public async Task A_user_ceiling_keeps_the_rate_under_the_limit_so_nothing_is_refused()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            // What the ceiling guarantees on a busy machine: on average no more than 25/s leave, and at most 8 are in
            // flight. A loaded machine's loopback, connection set-up and Kestrel queue can bunch paced requests so they
            // reach the account together (a bucket of 5 once met 6), but never more than those in flight plus what the
            // limiter banks (50 ms): a bucket of 12 at twice the ceiling holds them, as in BulkRuns.Tests.ps1, so a 429
            // here means the ceiling failed, not the scheduler.
            simulator.State.UpdateConfig(c => c with { RateLimitPerSecond = 50, RateLimitBurst = 12 });
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(60);
            using AcefoneSession session = Sessions.ForSimulator(simulator, configure: o => o.MaxRequestsPerSecond = 25);
            var errors = new List<AcefoneException>();
            await RunAll(session, calls, 8, errors);
            Assert.Empty(errors);
            Assert.Equal(0, simulator.State.GetStats().TooManyRequests);
            Assert.Equal(25, session.MaxRequestsPerSecond);
        }

        [Fact]
        public async Task A_redirect_to_another_host_is_not_followed_and_the_token_never_goes_there()
        {
            await using SimulatorHost elsewhere = await SimulatorHost.StartAsync();
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            // Another host name on loopback: "localhost" instead of 127.0.0.1, and another port.
            string target = "http://localhost:" + elsewhere.BaseUri.Port + "/";
            simulator.State.UpdateConfig(c => c with { RedirectTo = target });
            string call = simulator.State.GenerateCalls(1)[0];
            using AcefoneSession session = Sessions.ForSimulator(simulator);

            var error = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Sessions.Transfer(call, "8004")));

            Assert.Equal(AcefoneErrorKind.InvalidResponse, error.Kind);
            Assert.Equal(302, error.StatusCode);
            Assert.Contains("redirect", error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(target + "v1/call/options", error.Message);
            Assert.Equal(0, elsewhere.State.GetStats().Received);
            Assert.Empty(elsewhere.State.GetRequests());
            RecordedRequest only = Assert.Single(simulator.State.GetRequests("/v1/call/options"));
            Assert.Equal(302, only.Status);
            Assert.False(only.Processed);
        }
    }
}
