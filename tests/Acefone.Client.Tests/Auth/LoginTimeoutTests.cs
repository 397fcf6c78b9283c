using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Acefone.Client;
using Acefone.Simulator;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// Issue 24 item 7: a login (or refresh) that never answers is sent at most twice, whatever -MaxRetries says, so a
    /// connect ends within about twice the timeout with a NetworkError; other requests keep the session's retries.
    /// </summary>
    public class LoginTimeoutTests
    {
        private static RetryPolicy Policy(int maxRetries) =>
            new RetryPolicy(maxRetries, TimeSpan.FromMilliseconds(100), null, new FakeTimeProvider(), new Random(1));

        [Theory]
        [InlineData(nameof(AttemptOutcomeKind.TimedOut), nameof(RetryAction.WaitThenResend))]
        [InlineData(nameof(AttemptOutcomeKind.ConnectionLost), nameof(RetryAction.WaitThenResend))]
        [InlineData(nameof(AttemptOutcomeKind.AnswerCutOff), nameof(RetryAction.ResendNow))]
        public void A_login_without_an_answer_is_resent_once(string outcomeName, string resendName)
        {
            var outcome = (AttemptOutcomeKind)Enum.Parse(typeof(AttemptOutcomeKind), outcomeName);
            var resend = (RetryAction)Enum.Parse(typeof(RetryAction), resendName);
            RetryPolicy policy = Policy(maxRetries: 5);
            RetryDecision first = policy.Decide(outcome, 0, null, AcefoneErrorKind.NetworkError, new RetryContext(true, 0, 1, false, ambiguousRetries: 1));
            RetryDecision second = policy.Decide(outcome, 0, null, AcefoneErrorKind.NetworkError, new RetryContext(true, 1, 1, false, ambiguousRetries: 1));

            Assert.Equal(resend, first.Action);
            Assert.Equal(RetryAction.Fail, second.Action);
            Assert.Equal(AcefoneErrorKind.NetworkError, second.FailureKind);
            Assert.False(second.MayHaveActed);
        }

        [Theory]
        [InlineData(nameof(AttemptOutcomeKind.TimedOut))]
        [InlineData(nameof(AttemptOutcomeKind.ConnectionLost))]
        [InlineData(nameof(AttemptOutcomeKind.AnswerCutOff))]
        public void The_sessions_own_limit_wins_when_it_is_lower(string outcomeName)
        {
            var outcome = (AttemptOutcomeKind)Enum.Parse(typeof(AttemptOutcomeKind), outcomeName);
            RetryDecision decision = Policy(maxRetries: 0).Decide(outcome, 0, null, AcefoneErrorKind.NetworkError, new RetryContext(true, 0, 0, false, ambiguousRetries: 1));
            Assert.Equal(RetryAction.Fail, decision.Action);
        }

        [Fact]
        public void Other_requests_keep_the_sessions_retries_and_other_outcomes_ignore_the_login_limit()
        {
            RetryPolicy policy = Policy(maxRetries: 5);
            Assert.Equal(RetryAction.WaitThenResend, policy.Decide(AttemptOutcomeKind.TimedOut, 0, null, AcefoneErrorKind.NetworkError, new RetryContext(true, 4, null, false)).Action);
            Assert.Equal(RetryAction.Fail, policy.Decide(AttemptOutcomeKind.TimedOut, 0, null, AcefoneErrorKind.NetworkError, new RetryContext(true, 5, null, false)).Action);
            // A connection that never opened sent nothing: the login limit is about waiting for answers, not this.
            Assert.Equal(RetryAction.WaitThenResend, policy.Decide(AttemptOutcomeKind.NeverConnected, 0, null, AcefoneErrorKind.NetworkError, new RetryContext(true, 3, 1, false, ambiguousRetries: 1)).Action);
            Assert.Equal(RetryAction.WaitThenResend, policy.Decide(AttemptOutcomeKind.Answered, 503, null, AcefoneErrorKind.NetworkError, new RetryContext(true, 3, 1, false, ambiguousRetries: 1)).Action);
        }

        [Fact]
        public async Task A_login_that_never_answers_is_sent_twice_and_ends_in_a_NetworkError()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            simulator.State.Containment = new ContainmentFaults { LoginNeverAnswers = true };
            using AcefoneSession session = Sessions.ForSimulator(simulator, login: true, options =>
            {
                options.MaxRetries = 5;
                options.Timeout = TimeSpan.FromSeconds(1);
            });

            var clock = Stopwatch.StartNew();
            AcefoneException error = await Assert.ThrowsAsync<AcefoneException>(() => session.ConnectAsync());
            clock.Stop();

            Assert.Equal(AcefoneErrorKind.NetworkError, error.Kind);
            Assert.Contains("no answer within 1 s", error.Message);
            Assert.Equal(2, error.Attempts);
            Assert.Equal(2, simulator.State.GetRequests("/v1/auth/login").Count);
            // Loose: six attempts took over 6 s here; a loaded machine stays well under 30 s for two.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        }
    }
}
