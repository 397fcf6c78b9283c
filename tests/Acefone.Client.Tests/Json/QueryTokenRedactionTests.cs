using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    public class QueryTokenRedactionTests
    {
        [Theory]
        [InlineData("{\"recording_url\":\"https://console.acefone.in/file/recording?callId=1.2&type=rec&token=cfca6a5c3434e080\"}", "cfca6a5c3434e080")]
        [InlineData("{\"recording_url\":\"https:\\/\\/console.acefone.in\\/file\\/recording?callId=1.2\\u0026type=rec\\u0026token=abcdef123456\"}", "abcdef123456")]
        [InlineData("see https://s3.example.com/r.wav?X-Amz-Signature=deadbeef99&X-Amz-Date=1", "deadbeef99")]
        public void A_token_in_a_link_s_query_is_masked_wherever_the_link_appears(string text, string secret)
        {
            string redacted = SecretRedactor.Redact(text);
            Assert.DoesNotContain(secret, redacted);
            Assert.Contains("***", redacted);
            Assert.Contains("callId=1.2", SecretRedactor.Redact("?callId=1.2&token=x"));
        }
    }
}
