using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// The one rule for "may the API have acted" (Errors/Outcome.cs): a table of every (kind, status, how far the
    /// request got), the retry policy's failures read through it, and the run journal agreeing with the error record.
    /// </summary>
    public class OutcomeTests
    {
        private static readonly AcefoneErrorKind[] Kinds = (AcefoneErrorKind[])Enum.GetValues(typeof(AcefoneErrorKind));
        private static readonly RequestReach[] Reaches = (RequestReach[])Enum.GetValues(typeof(RequestReach));
        private static readonly int?[] Statuses = { null, 200, 204, 302, 400, 401, 403, 404, 407, 422, 429, 500, 502, 503, 504 };

        /// <summary>The rule spelled out as a reader would state it, row by row, for the table below.</summary>
        private static bool Expected(AcefoneErrorKind kind, int? status, RequestReach reach, bool idempotent)
        {
            if (idempotent) return false;                                  // safe to send twice: nothing to protect
            if (reach == RequestReach.NotSent) return false;               // nothing reached the API
            if (reach == RequestReach.SentWithoutAnswer) return true;      // a timeout, a lost connection, a cut-off answer
            if (reach == RequestReach.AnswerUnreadable) return true;       // an answer that does not say what happened
            return kind == AcefoneErrorKind.ServerError && status != 503;  // a failure inside the API; 503 processed nothing
        }

        [Fact]
        public void Every_kind_status_and_reach_has_one_answer()
        {
            foreach (AcefoneErrorKind kind in Kinds)
                foreach (int? status in Statuses)
                    foreach (RequestReach reach in Reaches)
                        foreach (bool idempotent in new[] { false, true })
                        {
                            bool expected = Expected(kind, status, reach, idempotent);
                            Assert.True(expected == Outcome.MayHaveActed(kind, status, reach, idempotent),
                                $"({kind}, {status?.ToString() ?? "no status"}, {reach}, idempotent {idempotent}) should be {expected}");
                        }
        }

        // The rows that matter most, pinned by hand (the table above could be wrong the same way as the rule).
        [Theory]
        [InlineData(AcefoneErrorKind.OutcomeUnknown, null, "SentWithoutAnswer", false, true)]
        [InlineData(AcefoneErrorKind.NetworkError, null, "SentWithoutAnswer", true, false)]
        [InlineData(AcefoneErrorKind.NetworkError, null, "NotSent", false, false)]
        [InlineData(AcefoneErrorKind.InvalidResponse, null, "NotSent", false, false)]
        [InlineData(AcefoneErrorKind.InvalidResponse, 200, "SentWithoutAnswer", false, true)]
        [InlineData(AcefoneErrorKind.InvalidResponse, 200, "AnswerUnreadable", false, true)]
        [InlineData(AcefoneErrorKind.InvalidResponse, 200, "AnswerUnreadable", true, false)]
        [InlineData(AcefoneErrorKind.InvalidResponse, 302, "Answered", false, false)]
        [InlineData(AcefoneErrorKind.Rejected, 200, "Answered", false, false)]
        [InlineData(AcefoneErrorKind.CallNotActive, 422, "Answered", false, false)]
        [InlineData(AcefoneErrorKind.RateLimited, 429, "Answered", false, false)]
        [InlineData(AcefoneErrorKind.ServerError, 500, "Answered", false, true)]
        [InlineData(AcefoneErrorKind.ServerError, 500, "Answered", true, false)]
        [InlineData(AcefoneErrorKind.ServerError, 502, "Answered", false, true)]
        [InlineData(AcefoneErrorKind.ServerError, 503, "Answered", false, false)]
        [InlineData(AcefoneErrorKind.ServerError, null, "Answered", false, true)]
        [InlineData(AcefoneErrorKind.OutcomeUnknown, null, "Answered", false, false)]
        public void The_rows_that_decide_a_resend(AcefoneErrorKind kind, int? status, string reach, bool idempotent, bool mayHaveActed)
        {
            Assert.Equal(mayHaveActed, Outcome.MayHaveActed(kind, status, Parse(reach), idempotent));
        }

        // Each way an attempt can end, as the retry policy fails it (no retries left), for a state-changing request
        // and a safe one: the kind it names, how far it says the request got, and what that makes of MayHaveActed.
        [Theory]
        [InlineData("RefusedBeforeSending", false, "InvalidResponse NotSent False")]
        [InlineData("NeverConnected", false, "NetworkError NotSent False")]
        [InlineData("QueuedOut", false, "NetworkError NotSent False")]
        [InlineData("ProxyAuthenticationRequired", false, "ProxyAuthenticationRequired NotSent False")]
        [InlineData("TimedOut", false, "OutcomeUnknown SentWithoutAnswer True")]
        [InlineData("ConnectionLost", false, "OutcomeUnknown SentWithoutAnswer True")]
        [InlineData("AnswerCutOff", false, "OutcomeUnknown SentWithoutAnswer True")]
        [InlineData("TooLarge", false, "InvalidResponse SentWithoutAnswer True")]
        [InlineData("RefusedBeforeSending", true, "InvalidResponse NotSent False")]
        [InlineData("NeverConnected", true, "NetworkError NotSent False")]
        [InlineData("TimedOut", true, "NetworkError SentWithoutAnswer False")]
        [InlineData("ConnectionLost", true, "NetworkError SentWithoutAnswer False")]
        [InlineData("AnswerCutOff", true, "NetworkError SentWithoutAnswer False")]
        [InlineData("TooLarge", true, "InvalidResponse SentWithoutAnswer False")]
        public void Each_transport_outcome_fails_with_the_reach_the_rule_reads(string outcomeName, bool idempotent, string expected)
        {
            var outcome = (AttemptOutcomeKind)Enum.Parse(typeof(AttemptOutcomeKind), outcomeName);
            var policy = new RetryPolicy(0, TimeSpan.FromMilliseconds(100), null, new FakeTimeProvider(), new Random(1));
            RetryDecision decision = policy.Decide(outcome, 0, null, AcefoneErrorKind.InvalidResponse,
                new RetryContext(idempotent, retries: 0, rateLimitRetries: null, canRenewToken: false));
            Assert.Equal(RetryAction.Fail, decision.Action);
            Assert.Equal(expected, $"{decision.FailureKind} {decision.Reach} {decision.MayHaveActed}");
        }

        /// <summary>
        /// What a re-run sends again (the journal's state) and what the error record says agree for every failure of a
        /// call action, whether the error came from a request's path (reach recorded) or was made without one.
        /// </summary>
        [Fact]
        public void The_journal_agrees_with_the_error_record()
        {
            foreach (AcefoneErrorKind kind in Kinds)
                foreach (int? status in Statuses)
                    foreach (RequestReach? reach in Reaches.Cast<RequestReach?>().Concat(new RequestReach?[] { null }))
                    {
                        string name = $"({kind}, {status?.ToString() ?? "no status"}, {reach?.ToString() ?? "made without its request"})";
                        var error = new AcefoneException(kind, "failed") { StatusCode = status };
                        if (reach.HasValue) Outcome.Record(error, reach.Value, idempotent: false);
                        bool mayHaveActed = reach.HasValue ? error.MayHaveActed : Outcome.MayHaveActed(kind, status, ReachJudgedFrom(kind), false);

                        Assert.True(mayHaveActed == Outcome.MayHaveActed(error), name);
                        Assert.True((mayHaveActed ? JournalState.Unknown : JournalState.Failed) == RunJournal.Classify(error).State, name + ": the journal");
                        // A copy for many waiters and a redacted copy (what leaves the session) keep the answer.
                        Assert.True(error.MayHaveActed == error.Copy().MayHaveActed, name + ": Copy");
                        Assert.True(error.MayHaveActed == error.WithTextRedacted(t => "x" + t).MayHaveActed, name + ": WithTextRedacted");
                    }
        }

        private static RequestReach Parse(string name) => (RequestReach)Enum.Parse(typeof(RequestReach), name);

        private static RequestReach ReachJudgedFrom(AcefoneErrorKind kind) =>
            kind == AcefoneErrorKind.OutcomeUnknown ? RequestReach.SentWithoutAnswer
            : kind == AcefoneErrorKind.InvalidResponse ? RequestReach.AnswerUnreadable
            : RequestReach.Answered;

        [Fact]
        public void An_error_made_without_its_request_says_it_did_not_act_but_the_journal_keeps_it_as_maybe()
        {
            // A parser's error on its own is no request's record: MayHaveActed stays false for users, while a call
            // action that failed with it is kept from a resend by its kind.
            var bare = new AcefoneException(AcefoneErrorKind.InvalidResponse, "unreadable");
            Assert.False(bare.MayHaveActed);
            Assert.True(Outcome.MayHaveActed(bare));
            Assert.False(Outcome.MayHaveActed(new AcefoneException(AcefoneErrorKind.Rejected, "no")));
            Assert.True(Outcome.MayHaveActed(new AcefoneException(AcefoneErrorKind.ServerError, "500") { StatusCode = 500 }));
            Assert.False(Outcome.MayHaveActed(new AcefoneException(AcefoneErrorKind.ServerError, "503") { StatusCode = 503 }));
            Assert.True(Outcome.MayHaveActed(new AcefoneException(AcefoneErrorKind.OutcomeUnknown, "lost")));
            Assert.True(Outcome.MayHaveActed(new OperationCanceledException()));
            Assert.True(Outcome.MayHaveActed(new InvalidOperationException("a bug")));
        }

        [Fact]
        public void Record_keeps_the_error_and_what_it_was_told()
        {
            var error = new AcefoneException(AcefoneErrorKind.ServerError, "500") { StatusCode = 500 };
            Assert.Same(error, Outcome.Record(error, RequestReach.Answered, idempotent: true));
            Assert.Equal(RequestReach.Answered, error.Reach);
            Assert.True(error.Idempotent);
            Assert.False(error.MayHaveActed);
            Outcome.Record(error, RequestReach.Answered, idempotent: false);
            Assert.True(error.MayHaveActed);
        }

        [Fact]
        public void The_session_records_how_far_a_call_action_got()
        {
            // What the session's builders record, through the real builders (no reach set by hand).
            var request = new ApiRequest(HttpMethod.Post, "v1/call/options", new byte[] { 123, 125 }) { Subject = "Transfer" };
            var redirect = new ApiResponse(302, Array.Empty<byte>(), 0, null, "https://elsewhere.example/", 1);
            AcefoneException redirected = ResponseErrors.ForStatus(request, redirect);
            Assert.Equal(RequestReach.Answered, redirected.Reach);
            Assert.False(redirected.MayHaveActed);
            Assert.Equal(JournalState.Failed, RunJournal.Classify(redirected).State);

            byte[] html = System.Text.Encoding.UTF8.GetBytes("<html>ok</html>");
            var unreadable = new ApiResponse(200, html, html.Length, "text/html", null, 1);
            var error = Assert.Throws<AcefoneException>(() => AcefoneSession.ReadEnvelope(request, unreadable));
            Assert.Equal(RequestReach.AnswerUnreadable, error.Reach);
            Assert.True(error.MayHaveActed);
            Assert.Equal(JournalState.Unknown, RunJournal.Classify(error).State);
        }

        /// <summary>
        /// One writer: an error's reach is set only by Outcome.Record and copied by the exception itself; the retry
        /// decision holds its own. Any other file setting it would be a second place deciding MayHaveActed.
        /// </summary>
        [Fact]
        public void Only_Outcome_records_how_far_a_request_got()
        {
            string src = Path.Combine(TestPaths.RepoRoot, "src");
            var writers = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar))
                .Where(f => Regex.IsMatch(File.ReadAllText(f), @"\bReach\s*=(?![=>])"))
                .Select(f => Path.GetFileName(f))
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToList();
            Assert.Equal(new[] { "AcefoneException.cs", "Outcome.cs", "RetryDecision.cs" }, writers);
        }
    }
}
