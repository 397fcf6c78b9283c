using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>The retry policy alone: every status, outcome and Retry-After form, with a fixed clock and jitter.</summary>
    public class RetryPolicyTests
    {
        private const int MaxRetries = 3;
        private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(100);
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

        /// <summary>A random source that always draws the same number, so a jittered delay is exact.</summary>
        private sealed class FixedRandom : Random
        {
            private readonly double _value;
            internal FixedRandom(double value) => _value = value;
            public override double NextDouble() => _value;
            protected override double Sample() => _value;
        }

        private static RetryPolicy Policy(int maxRetries = MaxRetries, double draw = 0.5, AcefoneRegion? region = AcefoneRegion.India) =>
            new RetryPolicy(maxRetries, Base, region, new FakeTimeProvider(Now), new FixedRandom(draw));

        /// <summary>The jittered delay before resend <paramref name="retry"/> with a draw of 0.5 (factor 0.75).</summary>
        private static TimeSpan Jittered(int retry) => TimeSpan.FromMilliseconds(Math.Min(10000, 100 * Math.Pow(2, retry - 1)) * 0.75);

        // first, middle, last allowed, beyond
        private static readonly int[] RetriesSoFar = { 0, 1, MaxRetries - 1, MaxRetries };

        private static readonly int[] Statuses = { 200, 201, 204, 400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 504 };

        /// <summary>What an answer leads to for a session request (no renewable token), with retries left and without.</summary>
        private static (string WithRetriesLeft, string Exhausted) ExpectedFor(int status) => status switch
        {
            429 => ("PauseLimiterThenResend", "Return Limiter=RateLimited"),
            503 => ("WaitThenResend", "Return Limiter=Success"),
            // Everything else is the caller's to read, resent never: a 500 may have acted, a 408 or 409 too.
            _ => ("Return Limiter=Success", "Return Limiter=Success"),
        };

        public static IEnumerable<object[]> StatusTable()
        {
            foreach (int status in Statuses)
                foreach (bool idempotent in new[] { true, false })
                    foreach (int retries in RetriesSoFar)
                    {
                        (string left, string exhausted) = ExpectedFor(status);
                        yield return new object[] { status, idempotent, retries, retries < MaxRetries ? left : exhausted };
                    }
        }

        private static string Describe(RetryDecision decision)
        {
            // What only one action carries is unset on the others.
            if (decision.Action != RetryAction.Fail) Assert.False(decision.MayHaveActed);
            if (decision.Action != RetryAction.Return) Assert.False(decision.OverCap);
            return DescribeAction(decision);
        }

        private static string DescribeAction(RetryDecision decision) => decision.Action switch
        {
            RetryAction.Return => $"Return Limiter={decision.Limiter}" + (decision.OverCap ? " OverCap" : string.Empty),
            RetryAction.Fail => $"Fail {decision.FailureKind} MayHaveActed={decision.MayHaveActed}",
            _ => decision.Action.ToString(),
        };

        [Theory]
        [MemberData(nameof(StatusTable))]
        public void An_answer_is_resent_only_for_429_and_503_whatever_the_request(int status, bool idempotent, int retries, string expected)
        {
            RetryDecision decision = Policy().Decide(AttemptOutcomeKind.Answered, status, null, default, new RetryContext(idempotent, retries, null, false));

            Assert.Equal(expected, Describe(decision));
            if (decision.Action == RetryAction.WaitThenResend) Assert.Equal(Jittered(retries + 1), decision.Delay);
            else Assert.Equal(TimeSpan.Zero, decision.Delay);
            Assert.False(decision.OverCap);
        }

        [Theory]
        [InlineData(0, true, "RenewTokenThenResend")]
        [InlineData(MaxRetries, true, "RenewTokenThenResend")]
        [InlineData(0, false, "Return Limiter=Success")]
        public void A_401_renews_the_token_once_when_it_can_whatever_the_retries(int retries, bool canRenew, string expected)
        {
            RetryDecision decision = Policy().Decide(AttemptOutcomeKind.Answered, 401, null, default, new RetryContext(false, retries, null, canRenew));
            Assert.Equal(expected, Describe(decision));
        }

        [Theory]
        [InlineData(200)]
        [InlineData(403)]
        [InlineData(429)]
        [InlineData(503)]
        public void Only_a_401_uses_the_renewable_token(int status)
        {
            RetryDecision decision = Policy().Decide(AttemptOutcomeKind.Answered, status, null, default, new RetryContext(true, 0, null, true));
            Assert.NotEqual(RetryAction.RenewTokenThenResend, decision.Action);
        }

        public static IEnumerable<object[]> OutcomeTable()
        {
            var rows = new List<object[]>();
            void Add(AttemptOutcomeKind kind, bool idempotent, int retries, string expected) => rows.Add(new object[] { kind.ToString(), idempotent, retries, expected });
            foreach (bool idempotent in new[] { true, false })
                foreach (int retries in RetriesSoFar)
                {
                    bool left = retries < MaxRetries;
                    // Nothing reached the server: resent whatever the request does.
                    Add(AttemptOutcomeKind.NeverConnected, idempotent, retries, left ? "WaitThenResend" : "Fail NetworkError MayHaveActed=False");
                    Add(AttemptOutcomeKind.QueuedOut, idempotent, retries, left ? "WaitThenResend" : "Fail NetworkError MayHaveActed=False");
                    string ambiguous = idempotent ? "Fail NetworkError MayHaveActed=False" : "Fail OutcomeUnknown MayHaveActed=True";
                    Add(AttemptOutcomeKind.TimedOut, idempotent, retries, idempotent && left ? "WaitThenResend" : ambiguous);
                    Add(AttemptOutcomeKind.ConnectionLost, idempotent, retries, idempotent && left ? "WaitThenResend" : ambiguous);
                    Add(AttemptOutcomeKind.AnswerCutOff, idempotent, retries, idempotent && left ? "ResendNow" : ambiguous);
                    Add(AttemptOutcomeKind.TooLarge, idempotent, retries, $"Fail InvalidResponse MayHaveActed={!idempotent}");
                    Add(AttemptOutcomeKind.ProxyAuthenticationRequired, idempotent, retries, "Fail ProxyAuthenticationRequired MayHaveActed=False");
                    Add(AttemptOutcomeKind.RefusedBeforeSending, idempotent, retries, "Fail InvalidResponse MayHaveActed=False");
                }
            return rows;
        }

        [Theory]
        [MemberData(nameof(OutcomeTable))]
        public void An_outcome_without_an_answer_is_resent_only_when_safe(string outcome, bool idempotent, int retries, string expected)
        {
            var kind = (AttemptOutcomeKind)Enum.Parse(typeof(AttemptOutcomeKind), outcome);
            // InvalidResponse stands for the kind the attempt gave (a refused request's, a too-large answer's): the policy passes it on.
            RetryDecision decision = Policy().Decide(kind, 0, null, AcefoneErrorKind.InvalidResponse, new RetryContext(idempotent, retries, null, true));

            Assert.Equal(expected, Describe(decision));
            Assert.Equal(decision.Action == RetryAction.WaitThenResend ? Jittered(retries + 1) : TimeSpan.Zero, decision.Delay);
        }

        [Theory]
        [InlineData(AcefoneErrorKind.AuthenticationFailed)]
        [InlineData(AcefoneErrorKind.NetworkError)]
        public void A_refused_request_fails_with_the_kind_the_attempt_gave(AcefoneErrorKind kind)
        {
            RetryDecision decision = Policy().Decide(AttemptOutcomeKind.RefusedBeforeSending, 0, null, kind, new RetryContext(true, 0, null, false));
            Assert.Equal(RetryAction.Fail, decision.Action);
            Assert.Equal(kind, decision.FailureKind);
        }

        [Fact]
        public void With_no_retries_allowed_nothing_is_resent()
        {
            RetryPolicy policy = Policy(maxRetries: 0);
            var context = new RetryContext(true, 0, null, false);
            Assert.Equal("Return Limiter=RateLimited", Describe(policy.Decide(AttemptOutcomeKind.Answered, 429, null, default, context)));
            Assert.Equal("Return Limiter=Success", Describe(policy.Decide(AttemptOutcomeKind.Answered, 503, null, default, context)));
            Assert.Equal("Fail NetworkError MayHaveActed=False", Describe(policy.Decide(AttemptOutcomeKind.NeverConnected, 0, null, default, context)));
            Assert.Equal("Fail NetworkError MayHaveActed=False", Describe(policy.Decide(AttemptOutcomeKind.AnswerCutOff, 0, null, default, context)));
        }

        // ---- a login's own limit on 429 resends ----

        [Theory]
        // rateLimitRetries, maxRetries, retries so far, asked wait (s, -1 = none), expected, expected delay (ms, -1 = the backoff)
        [InlineData(1, 3, 0, -1, "WaitThenResend", -1)]
        [InlineData(1, 3, 0, 7, "WaitThenResend", 7000)]
        [InlineData(1, 3, 1, 7, "Return Limiter=None", 0)]
        [InlineData(1, 0, 0, 7, "Return Limiter=None", 0)]
        [InlineData(5, 2, 1, -1, "WaitThenResend", -1)]
        [InlineData(5, 2, 2, -1, "Return Limiter=None", 0)]
        [InlineData(0, 3, 0, -1, "Return Limiter=None", 0)]
        public void A_throttled_login_waits_itself_within_its_own_limit_and_leaves_the_limiter_alone(int rateLimitRetries, int maxRetries, int retries, int askedSeconds, string expected, int delayMs)
        {
            TimeSpan? asked = askedSeconds < 0 ? (TimeSpan?)null : TimeSpan.FromSeconds(askedSeconds);
            RetryDecision decision = Policy(maxRetries).Decide(AttemptOutcomeKind.Answered, 429, asked, default, new RetryContext(true, retries, rateLimitRetries, false));

            Assert.Equal(expected, Describe(decision));
            Assert.Equal(delayMs < 0 ? Jittered(retries + 1) : TimeSpan.FromMilliseconds(delayMs), decision.Delay);
        }

        // ---- Retry-After, in every form ----

        private static HttpResponseMessage Answer(string? retryAfter)
        {
            var response = new HttpResponseMessage((System.Net.HttpStatusCode)429);
            if (retryAfter != null) response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
            return response;
        }

        private static string HttpDate(TimeSpan fromNow) => (Now + fromNow).ToString("r", CultureInfo.InvariantCulture);

        public static IEnumerable<object?[]> HeaderForms() => new[]
        {
            // header, asked wait in seconds (null: none)
            new object?[] { "seconds", "30", 30.0 },
            new object?[] { "zero seconds", "0", 0.0 },
            new object?[] { "HTTP date", HttpDate(TimeSpan.FromSeconds(45)), 45.0 },
            new object?[] { "past date", HttpDate(TimeSpan.FromMinutes(-5)), 0.0 },
            new object?[] { "huge", "86400", 86400.0 },
            new object?[] { "garbage", "soon", null },
            new object?[] { "negative", "-5", null },
            new object?[] { "absent", null, null },
        };

        [Theory]
        [MemberData(nameof(HeaderForms))]
        public void Retry_after_is_read_from_the_header_against_the_injected_clock(string form, string? header, double? expectedSeconds)
        {
            using HttpResponseMessage response = Answer(header);
            foreach (int status in new[] { 429, 503 })
            {
                TimeSpan? asked = Policy().AskedWait(status, response.Headers.RetryAfter, false, Array.Empty<byte>(), 0);
                Assert.True(expectedSeconds.HasValue == asked.HasValue, $"{form}: {asked}");
                if (expectedSeconds.HasValue) Assert.Equal(TimeSpan.FromSeconds(expectedSeconds.Value), asked!.Value);
            }
        }

        [Theory]
        [InlineData(200)]
        [InlineData(401)]
        [InlineData(500)]
        public void Retry_after_counts_only_on_429_and_503(int status)
        {
            using HttpResponseMessage response = Answer("30");
            byte[] body = Encoding.UTF8.GetBytes("{\"retry_after\":\"30\"}");
            Assert.Null(Policy().AskedWait(status, response.Headers.RetryAfter, true, body, body.Length));
        }

        [Theory]
        [MemberData(nameof(HeaderForms))]
        public void What_the_header_asked_decides_the_resend(string form, string? header, double? expectedSeconds)
        {
            using HttpResponseMessage response = Answer(header);
            RetryPolicy policy = Policy();
            TimeSpan? asked = policy.AskedWait(503, response.Headers.RetryAfter, false, Array.Empty<byte>(), 0);
            RetryDecision unavailable = policy.Decide(AttemptOutcomeKind.Answered, 503, asked, default, new RetryContext(false, 0, null, false));
            RetryDecision limited = policy.Decide(AttemptOutcomeKind.Answered, 429, asked, default, new RetryContext(false, 0, null, false));
            RetryDecision login = policy.Decide(AttemptOutcomeKind.Answered, 429, asked, default, new RetryContext(true, 0, 1, false));

            if (expectedSeconds > RetryAfter.Cap.TotalSeconds)
            {
                // Longer than the cap: returned at once, nothing paused, the limiter told nothing.
                Assert.Equal("Return Limiter=None OverCap", Describe(unavailable));
                Assert.Equal("Return Limiter=None OverCap", Describe(limited));
                Assert.Equal("Return Limiter=None OverCap", Describe(login));
                return;
            }
            TimeSpan wait = expectedSeconds.HasValue ? TimeSpan.FromSeconds(expectedSeconds.Value) : Jittered(1);
            Assert.True(RetryAction.WaitThenResend == unavailable.Action, form);
            Assert.Equal(wait, unavailable.Delay);
            Assert.Equal(RetryAction.WaitThenResend, login.Action);
            Assert.Equal(wait, login.Delay);
            // The limiter reads the asked wait itself (a session-wide pause).
            Assert.Equal(RetryAction.PauseLimiterThenResend, limited.Action);
        }

        [Fact]
        public void A_wait_of_exactly_the_cap_is_honoured()
        {
            RetryDecision decision = Policy().Decide(AttemptOutcomeKind.Answered, 503, RetryAfter.Cap, default, new RetryContext(false, 0, null, false));
            Assert.Equal(RetryAction.WaitThenResend, decision.Action);
            Assert.Equal(RetryAfter.Cap, decision.Delay);
            Assert.False(decision.OverCap);
        }

        [Fact]
        public void An_over_cap_wait_on_another_status_changes_nothing()
        {
            RetryDecision decision = Policy().Decide(AttemptOutcomeKind.Answered, 500, TimeSpan.FromHours(1), default, new RetryContext(false, 0, null, false));
            Assert.Equal("Return Limiter=Success", Describe(decision));
        }

        public static IEnumerable<object?[]> BodyForms() => new[]
        {
            // region, header, body, readsBody, asked wait in seconds (null: none)
            new object?[] { "India", null, "{\"retry_after\":\"2026-12-02 15:31:00\"}", true, 60.0 },
            new object?[] { "India", null, "{\"retry_after\":\"2026-12-02T15:30:20\"}", true, 20.0 },
            new object?[] { "India", null, "{\"retry_after\":\"20\"}", true, 20.0 },
            new object?[] { "India", null, "{\"retry_after\":20}", true, 20.0 },
            new object?[] { "India", null, "{\"retry_after\":\"2026-12-02 15:00:00\"}", true, 0.0 },
            new object?[] { "India", null, "{\"retry_after\":\"2026-12-02T10:02:00Z\"}", true, 120.0 },
            new object?[] { "India", null, "{\"retry_after\":\"tomorrow\"}", true, null },
            new object?[] { "India", null, "not json", true, null },
            new object?[] { "India", null, "", true, null },
            new object?[] { "India", null, "{\"retry_after\":\"20\"}", false, null },
            new object?[] { "India", "5", "{\"retry_after\":\"20\"}", true, 5.0 },
            new object?[] { "India", "soon", "{\"retry_after\":\"20\"}", true, 20.0 },
            // London is on GMT in December: the same local time is 5.5 h later than India's.
            new object?[] { "UK", null, "{\"retry_after\":\"2026-12-02 10:01:00\"}", true, 60.0 },
            // A base URI's region is unknown: India's clock, as the India, Smartflo and Servetel hosts use.
            new object?[] { "BaseUri", null, "{\"retry_after\":\"2026-12-02 15:31:00\"}", true, 60.0 },
        };

        [Theory]
        [MemberData(nameof(BodyForms))]
        public void A_throttled_login_body_says_when_to_try_again_in_the_accounts_clock(string region, string? header, string body, bool readsBody, double? expectedSeconds)
        {
            var options = new AcefoneSessionOptions { MaxRetries = MaxRetries, RetryBaseDelay = Base };
            if (region == "UK") options.Region = AcefoneRegion.UK;
            if (region == "BaseUri") { options.Region = AcefoneRegion.UK; options.BaseUri = new Uri("http://127.0.0.1:9/"); }
            RetryPolicy policy = RetryPolicy.For(options, new FakeTimeProvider(Now), new FixedRandom(0.5));
            using HttpResponseMessage response = Answer(header);
            byte[] bytes = Encoding.UTF8.GetBytes(body);

            TimeSpan? asked = policy.AskedWait(429, response.Headers.RetryAfter, readsBody, bytes, bytes.Length);

            Assert.True(expectedSeconds.HasValue == asked.HasValue, $"{body}: {asked}");
            if (expectedSeconds.HasValue) Assert.Equal(TimeSpan.FromSeconds(expectedSeconds.Value), asked!.Value);
        }

        [Fact]
        public void The_clock_moving_shortens_a_dated_wait()
        {
            var time = new FakeTimeProvider(Now);
            var policy = new RetryPolicy(MaxRetries, Base, AcefoneRegion.India, time, new FixedRandom(0.5));
            using HttpResponseMessage response = Answer(HttpDate(TimeSpan.FromSeconds(60)));
            time.Advance(TimeSpan.FromSeconds(15));
            Assert.Equal(TimeSpan.FromSeconds(45), policy.AskedWait(429, response.Headers.RetryAfter, false, Array.Empty<byte>(), 0));
        }

        // ---- the backoff ----

        [Theory]
        // draw, retry, expected ms (first 100 ms, doubling, at most 10 s, times 0.5–1)
        [InlineData(0.5, 1, 75)]
        [InlineData(0.5, 2, 150)]
        [InlineData(0.5, 3, 300)]
        [InlineData(0.0, 1, 50)]
        [InlineData(0.999, 1, 99.95)]
        [InlineData(0.0, 7, 3200)]
        [InlineData(0.0, 8, 5000)]
        [InlineData(0.0, 11, 5000)]
        [InlineData(0.0, 30, 5000)]
        public void The_backoff_doubles_from_its_first_delay_up_to_its_cap_with_jitter(double draw, int retry, double expectedMs)
        {
            TimeSpan delay = Policy(draw: draw).Backoff(retry);
            Assert.Equal(expectedMs, delay.TotalMilliseconds, 6);
        }

        [Theory]
        [InlineData(1, 50)]
        [InlineData(4, 400)]
        [InlineData(5, 500)]
        [InlineData(40, 500)]
        public void The_rate_limiters_backoff_is_the_same_helper_with_its_own_bounds(int consecutive, double expectedMs)
        {
            using var limiter = new AdaptiveRateLimiter(null, new FakeTimeProvider(Now), new FixedRandom(0.0));
            Assert.Equal(expectedMs, limiter.Backoff(consecutive).TotalMilliseconds, 6);
        }

        [Fact]
        public void The_exponent_stops_growing_after_ten_doublings()
        {
            // With a cap above 2^10 times the first delay, the 11th retry and the 30th wait the same.
            var random = new FixedRandom(1.0);
            TimeSpan eleventh = JitteredBackoff.Next(TimeSpan.FromMilliseconds(1), 11, TimeSpan.FromHours(1), random);
            TimeSpan thirtieth = JitteredBackoff.Next(TimeSpan.FromMilliseconds(1), 30, TimeSpan.FromHours(1), random);
            Assert.Equal(1024, eleventh.TotalMilliseconds, 6);
            Assert.Equal(eleventh, thirtieth);
        }
    }
}
