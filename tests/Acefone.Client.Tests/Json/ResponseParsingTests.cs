using System.Text;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    public class ResponseParsingTests
    {
        private static StatusEnvelope Read(string json)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            return ResponseJson.ReadStatus(bytes, bytes.Length);
        }

        [Theory]
        [InlineData("{\"success\":true,\"message\":\"ok\"}", true)]
        [InlineData("{\"success\":false,\"message\":\"no\"}", false)]
        [InlineData("{\"success\":\"false\",\"message\":\"Too many requests.\"}", false)]
        [InlineData("{\"success\":\"True\"}", true)]
        [InlineData("{\"success\":\" false \"}", false)]
        [InlineData("{\"success\":1}", true)]
        [InlineData("{\"success\":0}", false)]
        [InlineData("{\"Success\":true,\"Message\":\"capitalised as the doc's table shows\"}", true)]
        public void Reads_success_leniently(string json, bool expected)
        {
            Assert.Equal(expected, Read(json).Success);
        }

        [Theory]
        [InlineData("{\"message\":\"no success field\"}")]
        [InlineData("{\"success\":\"maybe\"}")]
        [InlineData("{\"success\":null}")]
        public void Unreadable_success_is_null_not_a_guess(string json)
        {
            Assert.Null(Read(json).Success);
        }

        [Fact]
        public void Unknown_fields_are_harmless()
        {
            StatusEnvelope envelope = Read("{\"request_id\":\"abc\",\"success\":true,\"nested\":{\"a\":[1,2]},\"message\":\"Transfer request initiated\"}");
            Assert.True(envelope.Success);
            Assert.Equal("Transfer request initiated", envelope.Message);
        }

        [Theory]
        [InlineData("")]
        [InlineData("<html><body>502 Bad Gateway</body></html>")]
        [InlineData("{\"success\":tr")]
        [InlineData("[1,2,3]")]
        [InlineData("\"just a string\"")]
        public void Bodies_that_are_not_a_json_object_raise_InvalidResponse(string body)
        {
            var error = Assert.Throws<AcefoneException>(() => Read(body));
            Assert.Equal(AcefoneErrorKind.InvalidResponse, error.Kind);
        }

        [Fact]
        public void Laravel_validation_answers_give_their_message()
        {
            byte[] body = Encoding.UTF8.GetBytes("{\"message\":\"The call id field is required.\",\"errors\":{\"call_id\":[\"The call id field is required.\"]}}");
            Assert.Equal("The call id field is required.", ResponseJson.TryReadMessage(body, body.Length));
        }

        [Fact]
        public void Redactor_hides_passwords_tokens_and_jwts()
        {
            string redacted = SecretRedactor.Redact("{\"email\":\"a@b\",\"password\":\"hunter2\\\"x\",\"access_token\":\"abc\"} eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-part", "known-secret-value");
            Assert.DoesNotContain("hunter2", redacted);
            Assert.DoesNotContain("abc", redacted);
            Assert.DoesNotContain("eyJhbGciOiJIUzI1NiJ9", redacted);
            Assert.Contains("a@b", redacted);
            Assert.Equal("x *** y", SecretRedactor.Redact("x known-secret-value y", "known-secret-value"));
        }
    }
}
