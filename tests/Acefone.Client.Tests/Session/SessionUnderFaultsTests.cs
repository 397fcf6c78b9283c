using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Acefone.Client;
using Acefone.Simulator;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// A session under faults (issue 12's six bugs: shared renewal, throttled logins, Retry-After caps, echoed secrets,
    /// pages that never end, pasted tokens), each against the simulator's fault knobs (or a scripted handler). These use only the
    /// engine surface that existed before the fix, so they also build against the old code and fail there.
    /// </summary>
    public class SessionUnderFaultsTests
    {
        private static async Task<List<AcefoneException>> RunAll(AcefoneSession session, IReadOnlyList<string> callIds, int concurrency, IAcefoneRequestObserver? observer = null)
        {
            var errors = new List<AcefoneException>();
            using var gate = new SemaphoreSlim(concurrency);
            using var backstop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await Task.WhenAll(callIds.Select(async id =>
            {
                await gate.WaitAsync();
                try
                {
                    await session.InvokeCallOptionAsync(Sessions.Transfer(id, "8004"), observer, backstop.Token);
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
            return errors;
        }

        private static int Count(SimulatorHost simulator, string path) => simulator.State.GetRequests(path).Count;

        // ---------------------------------------------------------------- bug 1: renewal storms

        [Fact]
        public async Task A_revoked_token_and_a_rotated_password_cost_one_refresh_and_one_login_for_the_whole_run()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(32);
            using AcefoneSession session = Sessions.ForSimulator(simulator, login: true);
            await session.ConnectAsync();
            simulator.State.RevokeIssuedTokens();
            simulator.State.Containment = new ContainmentFaults { LoginRefusal = LoginRefusal.BadCredentials };

            List<AcefoneException> errors = await RunAll(session, calls, 16);

            Assert.Equal(32, errors.Count);
            Assert.All(errors, e => Assert.Equal(AcefoneErrorKind.AuthenticationFailed, e.Kind));
            Assert.Equal(1 + 1, Count(simulator, "/v1/auth/login")); // the connect, then exactly one more
            Assert.Equal(1, Count(simulator, "/v1/auth/refresh"));
            Assert.Equal(0, simulator.State.GetStats().ConcurrentLoginViolations);
        }

        [Fact]
        public async Task A_throttled_login_backs_off_once_for_the_session_and_says_so()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(32);
            using AcefoneSession session = Sessions.ForSimulator(simulator, login: true, o => o.MaxRetries = 1);
            await session.ConnectAsync();
            simulator.State.RevokeIssuedTokens();
            simulator.State.Containment = new ContainmentFaults { LoginRefusal = LoginRefusal.Throttled, LoginRetryAfterSeconds = 2 };
            var observer = new RecordingObserver();

            List<AcefoneException> errors = await RunAll(session, calls, 16, observer);

            Assert.Equal(32, errors.Count);
            Assert.True(Count(simulator, "/v1/auth/login") - 1 <= 2, $"{Count(simulator, "/v1/auth/login") - 1} logins after connect; at most 2 (one back-off) were allowed");
            AcefoneException first = errors.First(e => e.Request == "POST /v1/auth/login" || e.Message.Contains("Login"));
            Assert.Equal(AcefoneErrorKind.RateLimited, first.Kind);
            Assert.Contains("throttled", first.Message);
            Assert.Contains("asked to wait", first.Message);
            Assert.Contains(observer.Traces, t => t.Path == "/v1/auth/login" && t.StatusCode == 429 && (t.Note ?? "").Contains("as the API asked"));
        }

        // ---------------------------------------------------------------- bug 2: a long Retry-After

        [Theory]
        [InlineData("seconds")]
        [InlineData("date")]
        public async Task A_Retry_After_over_the_cap_fails_the_row_at_once_and_pauses_nothing(string form)
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(3);
            string header = form == "seconds" ? "3600" : DateTimeOffset.UtcNow.AddDays(1).ToString("r");
            simulator.State.Containment = new ContainmentFaults { CallOptionsStatus = 429, CallOptionsRetryAfter = header };
            using AcefoneSession session = Sessions.ForSimulator(simulator);
            // A backstop, not a timing: the old code paused the session for the hour the API asked, and hit it.
            using var backstop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var outcomes = new List<Exception>();
            foreach (string call in calls)
            {
                try
                {
                    await session.InvokeCallOptionAsync(Sessions.Transfer(call, "8004"), null, backstop.Token);
                }
                catch (Exception ex)
                {
                    outcomes.Add(ex);
                }
            }

            Assert.Equal(3, Count(simulator, "/v1/call/options"));
            Assert.All(outcomes, ex =>
            {
                AcefoneException error = Assert.IsType<AcefoneException>(ex);
                Assert.Equal(AcefoneErrorKind.RateLimited, error.Kind);
                Assert.Equal(1, error.Attempts);
                Assert.Contains(form == "seconds" ? "3600 s" : " h)", error.Message);
            });
            Assert.Equal(3, outcomes.Count);
        }

        [Fact]
        public async Task A_503_asking_for_more_than_the_cap_is_not_resent()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(1);
            simulator.State.Containment = new ContainmentFaults { CallOptionsStatus = 503, CallOptionsRetryAfter = "3600" };
            using AcefoneSession session = Sessions.ForSimulator(simulator);

            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Sessions.Transfer(calls[0], "8004")));

            Assert.Equal(AcefoneErrorKind.ServerError, error.Kind);
            Assert.Equal(1, Count(simulator, "/v1/call/options"));
            Assert.Contains("3600 s", error.Message);
        }

        [Fact]
        public async Task A_503_with_Retry_After_waits_that_long_before_resending()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(1);
            simulator.State.Containment = new ContainmentFaults { CallOptionsStatus = 503, CallOptionsRetryAfter = "1" };
            using AcefoneSession session = Sessions.ForSimulator(simulator);

            await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Sessions.Transfer(calls[0], "8004")));

            IReadOnlyList<RecordedRequest> sent = simulator.State.GetRequests("/v1/call/options");
            Assert.Equal(3, sent.Count); // MaxRetries 2
            // A lower bound only: however slow the machine, an honoured Retry-After of 1 s is never shorter.
            for (int i = 1; i < sent.Count; i++)
                Assert.True(sent[i].Timestamp - sent[i - 1].Timestamp >= TimeSpan.FromMilliseconds(950), $"resent after {(sent[i].Timestamp - sent[i - 1].Timestamp).TotalMilliseconds} ms");
        }

        // ---------------------------------------------------------------- bug 3: echoed secrets

        private static void AssertHoldsNone(AcefoneException error, params string[] secrets)
        {
            foreach (string secret in secrets)
            {
                foreach (string? text in new[] { error.Message, error.ServerMessage, error.ResponseBody, error.ToString() })
                    Assert.DoesNotContain(secret, text ?? string.Empty);
            }
        }

        [Fact]
        public async Task A_401_that_echoes_a_console_token_does_not_show_it()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(1);
            simulator.State.Containment = new ContainmentFaults { EchoSecrets = true };
            simulator.State.RevokeToken(SeedData.ConsoleToken);
            using AcefoneSession session = Sessions.ForSimulator(simulator);

            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Sessions.Transfer(calls[0], "8004")));

            Assert.Equal(AcefoneErrorKind.AuthenticationFailed, error.Kind);
            Assert.Contains("is invalid", error.ServerMessage);
            AssertHoldsNone(error, SeedData.ConsoleToken);
        }

        [Theory]
        [InlineData(403)]
        [InlineData(500)]
        public async Task An_answer_that_echoes_the_Authorization_header_does_not_show_the_token(int status)
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(1);
            using AcefoneSession session = Sessions.ForSimulator(simulator, login: true);
            await session.ConnectAsync();
            simulator.State.Containment = new ContainmentFaults { EchoSecrets = true, CallOptionsStatus = status };
            var observer = new RecordingObserver();

            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Sessions.Transfer(calls[0], "8004"), observer));

            string token = simulator.State.GetRequests("/v1/call/options").Single().Authorization!.Substring("Bearer ".Length);
            string signature = token.Split('.')[2];
            Assert.Contains("Authorization=", error.ServerMessage);
            AssertHoldsNone(error, token, signature);
            Assert.All(observer.Traces, t => Assert.DoesNotContain(signature, t.ToString()));
        }

        [Fact]
        public async Task A_refused_login_that_quotes_the_password_does_not_show_it()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            simulator.State.Containment = new ContainmentFaults { EchoSecrets = true, LoginRefusal = LoginRefusal.BadCredentials };
            using AcefoneSession session = Sessions.ForSimulator(simulator, login: true);

            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.ConnectAsync());

            Assert.Equal(AcefoneErrorKind.AuthenticationFailed, error.Kind);
            Assert.Contains("The password", error.Message);
            AssertHoldsNone(error, SeedData.Password);
        }

        // ---------------------------------------------------------------- bug 4: a listing that stops early

        [Fact]
        public async Task Empty_pages_that_say_has_more_stop_after_a_small_bound_with_an_error()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            simulator.State.Containment = new ContainmentFaults { EndlessUserPages = true };
            using AcefoneSession session = Sessions.ForSimulator(simulator);

            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.GetUsersAsync());

            Assert.Equal(AcefoneErrorKind.InvalidResponse, error.Kind);
            Assert.Contains("incomplete", error.Message);
            Assert.True(Count(simulator, "/v1/users") <= 5, $"{Count(simulator, "/v1/users")} pages asked for");
        }

        // ---------------------------------------------------------------- bug 5: a token that cannot go in a header

        [Theory]
        [InlineData("sim-console\u200Btoken-7f3a9c2e51b04d8e", 12)]
        [InlineData("sim-console-token\u00A0-7f3a9c2e51b04d8e", 18)]
        [InlineData("sim-console\ttoken-7f3a9c2e51b04d8e", 12)]
        [InlineData("sim-console-tökén-7f3a9c2e51b04d8e", 14)]
        public void A_token_with_a_character_no_header_can_hold_is_refused_at_connect(string token, int position)
        {
            AcefoneException error = Assert.ThrowsAny<AcefoneException>(() =>
                AcefoneSession.Create(Sessions.Options(), AcefoneCredential.FromAccessToken(Sessions.Secure(token))).Dispose());

            Assert.Equal(AcefoneErrorKind.InvalidInput, error.Kind);
            Assert.Contains($"position {position}", error.Message);
            Assert.DoesNotContain("7f3a9c2e51b04d8e", error.Message);
        }

        [Fact]
        public async Task A_pasted_Bearer_prefix_is_not_sent_twice()
        {
            var handler = ScriptedHandler.Always(200, "{\"success\":true}");
            using AcefoneSession session = Sessions.WithHandler(handler, credential: AcefoneCredential.FromAccessToken(Sessions.Secure("Bearer " + Sessions.Token)));

            await session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004"));

            Assert.Equal("Bearer " + Sessions.Token, handler.Received.Single().Request.Headers.Authorization!.ToString());
        }

        [Fact]
        public async Task A_failure_raised_before_the_request_left_is_never_sent_not_outcome_unknown()
        {
            var handler = new ScriptedHandler((_, _, _) => throw new InvalidOperationException("The request headers could not be written."));
            using AcefoneSession session = Sessions.WithHandler(handler);

            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.InvokeCallOptionAsync(Sessions.Transfer("1.2", "8004")));

            Assert.NotEqual(AcefoneErrorKind.OutcomeUnknown, error.Kind);
            Assert.Contains("nothing was sent", error.Message);
        }

        // ---------------------------------------------------------------- bug 6: an absurd expires_in

        [Theory]
        [InlineData("9223372036854775807")]
        [InlineData("315576000000")]
        [InlineData("1e300")]
        [InlineData("-5")]
        [InlineData("\"soon\"")]
        public async Task An_absurd_expires_in_is_an_unknown_expiry_never_a_foreign_exception(string expiresIn)
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            IReadOnlyList<string> calls = simulator.State.GenerateCalls(1);
            simulator.State.Containment = new ContainmentFaults { ExpiresInJson = expiresIn };
            using AcefoneSession session = Sessions.ForSimulator(simulator, login: true);

            await session.ConnectAsync();
            CallOptionResult result = await session.InvokeCallOptionAsync(Sessions.Transfer(calls[0], "8004"));

            Assert.True(result.Success);
            // The simulator's tokens are JWTs: with expires_in unusable, their exp claim is the expiry.
            Assert.NotNull(session.TokenExpiresAt);
            Assert.True(session.TokenExpiresAt < DateTimeOffset.UtcNow.AddDays(1));
        }
    }
}
