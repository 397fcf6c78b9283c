using System;
using System.Net.Http;
using System.Text;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// Which error kind each answer becomes (the ErrorId a runbook branches on), whether the API may have acted, and
    /// that what an error carries of the answer is free of secrets.
    /// </summary>
    public class ResponseErrorsTests
    {
        private const string Jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXBhcnQtaGVyZQ";

        private static ApiRequest Request(bool idempotent = false, RequestAuth auth = RequestAuth.Session, string? subject = null) =>
            new ApiRequest(HttpMethod.Post, "v1/call/options") { Idempotent = idempotent, Auth = auth, Subject = subject, Operation = CallOperation.Transfer, CallId = "1.2" };

        private static ApiResponse Response(int status, string body = "", int attempts = 1, TimeSpan? retryAfter = null, string? location = null,
            bool renewed = false, SessionSecrets? secrets = null)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            return new ApiResponse(status, bytes, bytes.Length, "application/json", location, attempts) { RetryAfter = retryAfter, TokenRenewed = renewed, Secrets = secrets };
        }

        [Theory]
        [InlineData(401, AcefoneErrorKind.AuthenticationFailed)]
        [InlineData(403, AcefoneErrorKind.Forbidden)]
        [InlineData(404, AcefoneErrorKind.NotFound)]
        [InlineData(407, AcefoneErrorKind.ProxyAuthenticationRequired)]
        [InlineData(422, AcefoneErrorKind.InvalidRequest)]
        [InlineData(429, AcefoneErrorKind.RateLimited)]
        [InlineData(400, AcefoneErrorKind.InvalidRequest)]
        [InlineData(405, AcefoneErrorKind.InvalidRequest)]
        [InlineData(409, AcefoneErrorKind.InvalidRequest)]
        [InlineData(499, AcefoneErrorKind.InvalidRequest)]
        [InlineData(500, AcefoneErrorKind.ServerError)]
        [InlineData(502, AcefoneErrorKind.ServerError)]
        [InlineData(503, AcefoneErrorKind.ServerError)]
        [InlineData(504, AcefoneErrorKind.ServerError)]
        [InlineData(599, AcefoneErrorKind.ServerError)]
        [InlineData(300, AcefoneErrorKind.InvalidResponse)]
        [InlineData(302, AcefoneErrorKind.InvalidResponse)]
        [InlineData(399, AcefoneErrorKind.InvalidResponse)]
        [InlineData(200, AcefoneErrorKind.InvalidResponse)]
        [InlineData(299, AcefoneErrorKind.InvalidResponse)]
        [InlineData(101, AcefoneErrorKind.InvalidResponse)]
        public void Each_status_has_its_kind_and_the_error_names_it(int status, AcefoneErrorKind kind)
        {
            AcefoneException error = ResponseErrors.ForStatus(Request(), Response(status, attempts: 3));
            Assert.Equal(kind, error.Kind);
            Assert.Equal(status, error.StatusCode);
            Assert.Equal(3, error.Attempts);
            Assert.Contains(status.ToString(), error.Message);
            Assert.StartsWith("POST /v1/call/options: ", error.Message);
            Assert.Equal("POST /v1/call/options", error.Request);
            Assert.Equal(CallOperation.Transfer, error.Operation);
            Assert.Equal("1.2", error.CallId);
        }

        // A 5xx other than 503 may have been processed before it failed: a state-changing request is reported as
        // maybe acted, never resent; a 503 says nothing was processed, and 4xx refused the request.
        [Theory]
        [InlineData(500, false, true)]
        [InlineData(500, true, false)]
        [InlineData(502, false, true)]
        [InlineData(504, false, true)]
        [InlineData(599, false, true)]
        [InlineData(503, false, false)]
        [InlineData(499, false, false)]
        [InlineData(429, false, false)]
        [InlineData(400, false, false)]
        [InlineData(302, false, false)]
        [InlineData(200, false, false)]
        public void Only_a_failed_state_change_may_have_acted(int status, bool idempotent, bool mayHaveActed)
        {
            Assert.Equal(mayHaveActed, ResponseErrors.ForStatus(Request(idempotent), Response(status)).MayHaveActed);
        }

        [Fact]
        public void A_5xx_message_says_whether_it_was_processed()
        {
            Assert.Contains("may or may not have acted", ResponseErrors.ForStatus(Request(), Response(500)).Message);
            Assert.Contains("not resent", ResponseErrors.ForStatus(Request(), Response(502)).Message);
            string unavailable = ResponseErrors.ForStatus(Request(), Response(503, attempts: 4)).Message;
            Assert.Contains("nothing was processed", unavailable);
            Assert.Contains("4 attempts", unavailable);
            Assert.DoesNotContain("may or may not", unavailable);
        }

        [Fact]
        public void Only_the_invalid_call_id_422_means_the_call_ended()
        {
            Assert.Equal(AcefoneErrorKind.CallNotActive, ResponseErrors.ForStatus(Request(), Response(422, "{\"success\":false,\"message\":\"Invalid Call ID\"}")).Kind);
            AcefoneException ended = ResponseErrors.ForStatus(Request(), Response(422, "{\"message\":\"invalid call id: 1.2\"}"));
            Assert.Equal(AcefoneErrorKind.CallNotActive, ended.Kind);
            Assert.Contains("not active", ended.Message);
            Assert.Contains("(422)", ended.Message);
            Assert.Equal(AcefoneErrorKind.InvalidRequest, ResponseErrors.ForStatus(Request(), Response(422, "{\"message\":\"Invalid agent id\"}")).Kind);
            Assert.Equal(AcefoneErrorKind.InvalidRequest, ResponseErrors.ForStatus(Request(), Response(422, "not json Invalid Call ID")).Kind);
            // The same words with another status are not about the call.
            Assert.Equal(AcefoneErrorKind.InvalidRequest, ResponseErrors.ForStatus(Request(), Response(400, "{\"message\":\"Invalid Call ID\"}")).Kind);
            Assert.Equal(AcefoneErrorKind.NotFound, ResponseErrors.ForStatus(Request(), Response(404, "{\"message\":\"Invalid Call ID\"}")).Kind);
        }

        [Fact]
        public void The_api_message_is_shown_and_kept()
        {
            AcefoneException error = ResponseErrors.ForStatus(Request(), Response(422, "{\"success\":false,\"message\":\"Invalid Call ID\"}"));
            Assert.Equal("Invalid Call ID", error.ServerMessage);
            Assert.Contains("The API said: 'Invalid Call ID'", error.Message);
            Assert.Equal("{\"success\":false,\"message\":\"Invalid Call ID\"}", error.ResponseBody);

            AcefoneException silent = ResponseErrors.ForStatus(Request(), Response(500, "<html>oops</html>"));
            Assert.Null(silent.ServerMessage);
            Assert.DoesNotContain("The API said", silent.Message);
            Assert.Equal("<html>oops</html>", silent.ResponseBody);
        }

        [Fact]
        public void The_subject_names_the_row_when_there_is_one()
        {
            AcefoneException error = ResponseErrors.ForStatus(Request(subject: "Transfer of call 1.2"), Response(404));
            Assert.StartsWith("Transfer of call 1.2: ", error.Message);
            Assert.Equal("POST /v1/call/options", error.Request);
        }

        [Fact]
        public void A_401_says_what_can_cure_it()
        {
            // A login or refresh (a token of its own): nothing about renewal or console tokens.
            string own = ResponseErrors.ForStatus(Request(auth: RequestAuth.Explicit), Response(401)).Message;
            Assert.DoesNotContain("connect again", own);
            Assert.DoesNotContain("console", own);
            Assert.Contains("refused the token (401)", own);
            string none = ResponseErrors.ForStatus(Request(auth: RequestAuth.None), Response(401)).Message;
            Assert.Contains("refused the token (401)", none);
            Assert.DoesNotContain("connect again", none);
            Assert.DoesNotContain("console", none);
            // A login token that was renewed and still refused: only a new connection helps.
            string renewed = ResponseErrors.ForStatus(Request(), Response(401, renewed: true)).Message;
            Assert.Contains("connect again", renewed);
            Assert.DoesNotContain("console", renewed);
            // A console token, never renewed: a new token or another scheme.
            string console = ResponseErrors.ForStatus(Request(), Response(401)).Message;
            Assert.Contains("console token", console);
            Assert.Contains("-AuthScheme", console);
            Assert.Equal(AcefoneErrorKind.AuthenticationFailed, ResponseErrors.ForStatus(Request(auth: RequestAuth.Explicit), Response(401)).Kind);
        }

        [Fact]
        public void A_403_and_a_407_point_at_the_settings_that_cure_them()
        {
            Assert.Contains("-Region", ResponseErrors.ForStatus(Request(), Response(403)).Message);
            string proxy = ResponseErrors.ForStatus(Request(), Response(407)).Message;
            Assert.Contains("-ProxyCredential", proxy);
            Assert.Contains(ResponseErrors.ProxyAuthenticationRequired, proxy);
        }

        [Fact]
        public void A_redirect_is_reported_with_where_it_went_not_followed()
        {
            foreach (int status in new[] { 300, 301, 307, 399 })
            {
                AcefoneException error = ResponseErrors.ForStatus(Request(), Response(status, location: "https://elsewhere.example/x"));
                Assert.Contains("'https://elsewhere.example/x'", error.Message);
                Assert.Contains("not followed", error.Message);
            }
            foreach (int status in new[] { 200, 299, 400 })
                Assert.DoesNotContain("elsewhere", ResponseErrors.ForStatus(Request(), Response(status, location: "https://elsewhere.example/x")).Message);
        }

        // A wait longer than the module honours is reported at once, with the wait the API asked for.
        [Theory]
        [InlineData(429, AcefoneErrorKind.RateLimited)]
        [InlineData(503, AcefoneErrorKind.ServerError)]
        public void A_wait_beyond_the_cap_fails_at_once_and_says_so(int status, AcefoneErrorKind kind)
        {
            TimeSpan longWait = RetryAfter.Cap + TimeSpan.FromSeconds(1);
            AcefoneException error = ResponseErrors.ForStatus(Request(), Response(status, attempts: 1, retryAfter: longWait));
            Assert.Equal(kind, error.Kind);
            Assert.Equal(longWait, error.RetryAfter);
            Assert.Contains(RetryAfter.Describe(longWait), error.Message);
            Assert.Contains(RetryAfter.Describe(RetryAfter.Cap), error.Message);
            Assert.Contains("not resent", error.Message);
            Assert.False(error.MayHaveActed);

            // At the cap exactly, the wait was honoured: the request was retried, and the error counts the attempts.
            AcefoneException honoured = ResponseErrors.ForStatus(Request(), Response(status, attempts: 6, retryAfter: RetryAfter.Cap));
            Assert.Equal(kind, honoured.Kind);
            Assert.Contains("6 attempts", honoured.Message);
            Assert.DoesNotContain("longer than", honoured.Message);
            Assert.Equal(RetryAfter.Cap, honoured.RetryAfter);
        }

        [Fact]
        public void A_429_says_how_often_it_was_tried_and_the_last_wait_asked()
        {
            AcefoneException asked = ResponseErrors.ForStatus(Request(), Response(429, attempts: 5, retryAfter: TimeSpan.FromSeconds(7)));
            Assert.Contains("5 attempts", asked.Message);
            Assert.Contains("asked to wait " + RetryAfter.Describe(TimeSpan.FromSeconds(7)), asked.Message);
            Assert.Equal(TimeSpan.FromSeconds(7), asked.RetryAfter);

            AcefoneException unasked = ResponseErrors.ForStatus(Request(), Response(429, attempts: 5));
            Assert.Contains("5 attempts", unasked.Message);
            Assert.DoesNotContain("asked to wait", unasked.Message);
            Assert.Null(unasked.RetryAfter);
        }

        [Fact]
        public void Secrets_in_the_answer_never_reach_the_error()
        {
            string body = "{\"message\":\"bad token " + Jwt + "\",\"access_token\":\"abcdefgh12345678\"}";
            AcefoneException error = ResponseErrors.ForStatus(Request(), Response(400, body));
            foreach (string? text in new[] { error.Message, error.ServerMessage, error.ResponseBody })
            {
                Assert.NotNull(text);
                Assert.DoesNotContain(Jwt, text);
                Assert.DoesNotContain("abcdefgh12345678", text);
                Assert.Contains(SecretRedactor.Mask, text);
            }
        }

        [Fact]
        public void The_sessions_own_secrets_are_masked_even_when_they_look_like_nothing()
        {
            var secrets = new SessionSecrets();
            secrets.SetPassword("plain-pass-word");
            string body = "{\"message\":\"wrong password plain-pass-word\"}";
            AcefoneException error = ResponseErrors.ForStatus(Request(), Response(400, body, secrets: secrets));
            foreach (string? text in new[] { error.Message, error.ServerMessage, error.ResponseBody })
            {
                Assert.NotNull(text);
                Assert.DoesNotContain("plain-pass-word", text);
                Assert.Contains(SecretRedactor.Mask, text);
            }
            // Without the session's secrets only shapes are known: the same word is not a secret.
            Assert.Contains("plain-pass-word", ResponseErrors.ForStatus(Request(), Response(400, body)).ServerMessage);
        }

        [Fact]
        public void A_secret_across_the_display_limit_is_masked_before_the_cut()
        {
            // 190 characters, then a token: cut at 200 first, the token's first ten characters would be left readable.
            var secrets = new SessionSecrets();
            secrets.AddToken("tok3nSECRETvalue0123456789abcd");
            string message = new string('x', 190) + "tok3nSECRETvalue0123456789abcd";
            AcefoneException error = ResponseErrors.ForStatus(Request(), Response(400, "{\"message\":\"" + message + "\"}", secrets: secrets));
            Assert.DoesNotContain("tok3nSECR", error.Message);
            Assert.Contains(SecretRedactor.Mask, error.Message);
        }

        [Fact]
        public void A_long_body_is_kept_to_its_start()
        {
            string body = "{\"message\":\"m\",\"pad\":\"" + new string('p', 5000) + "\"}";
            AcefoneException error = ResponseErrors.ForStatus(Request(), Response(400, body));
            Assert.NotNull(error.ResponseBody);
            Assert.StartsWith("{\"message\":\"m\"", error.ResponseBody);
            Assert.True(error.ResponseBody!.Length < 2100, $"{error.ResponseBody.Length} characters");
            Assert.Contains("characters)", error.ResponseBody);
        }

        [Fact]
        public void Create_keeps_what_it_is_given_and_redacts_the_rest()
        {
            var inner = new InvalidOperationException("inner " + Jwt);
            AcefoneException error = ResponseErrors.Create(Request(), Response(200, "<html>" + Jwt + "</html>", attempts: 2, retryAfter: TimeSpan.FromSeconds(3)),
                AcefoneErrorKind.InvalidResponse, "the answer was not JSON.", "said " + Jwt, inner);
            Assert.Equal(AcefoneErrorKind.InvalidResponse, error.Kind);
            Assert.Equal(2, error.Attempts);
            Assert.Equal(200, error.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
            Assert.Contains("the answer was not JSON.", error.Message);
            Assert.Equal("said " + SecretRedactor.Mask, error.ServerMessage);
            Assert.Equal("<html>" + SecretRedactor.Mask + "</html>", error.ResponseBody);
            Assert.NotNull(error.InnerException);
            Assert.DoesNotContain(Jwt, error.InnerException!.Message);
        }

        [Fact]
        public void Create_with_the_sessions_secrets_scrubs_the_inner_exception_too()
        {
            var secrets = new SessionSecrets();
            secrets.SetPassword("plain-pass-word");
            var inner = new InvalidOperationException("inner plain-pass-word");
            AcefoneException error = ResponseErrors.Create(Request(), Response(200, "ok", secrets: secrets),
                AcefoneErrorKind.InvalidResponse, "odd plain-pass-word.", null, inner);
            Assert.DoesNotContain("plain-pass-word", error.Message);
            Assert.NotNull(error.InnerException);
            Assert.DoesNotContain("plain-pass-word", error.InnerException!.Message);
            Assert.Null(error.ServerMessage);
        }
    }
}
