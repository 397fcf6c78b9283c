using System;
using System.Text;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>What a token says of itself (its end, whom it is for) is read without trusting it, and anything that is not a JWT reads as nothing.</summary>
    public class JwtClaimsTests
    {
        private static string Jwt(string payloadJson)
        {
            string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return Encode("{\"alg\":\"HS256\"}") + "." + Encode(payloadJson) + ".signature";
        }

        [Theory]
        [InlineData("{\"sub\":\"admin@example.com\"}", "admin@example.com")]
        [InlineData("{\"sub\":123456}", "123456")]
        [InlineData("{\"sub\":\"  \"}", null)]
        [InlineData("{\"sub\":true}", null)]
        [InlineData("{\"exp\":1}", null)]
        [InlineData("[\"sub\"]", null)]
        [InlineData("not json", null)]
        public void The_subject_is_read_from_the_payload_or_is_null(string payload, string? expected)
        {
            Assert.Equal(expected, JournalTarget.ReadJwtSubject(Jwt(payload)));
        }

        [Theory]
        [InlineData("a.b")]
        [InlineData("a.b.c.d")]
        [InlineData("header.!!!.signature")]
        [InlineData("opaque-console-token")]
        public void A_token_that_is_not_a_JWT_has_no_subject_and_no_expiry(string token)
        {
            Assert.Null(JournalTarget.ReadJwtSubject(token));
            Assert.Null(TokenManager.ReadJwtExpiry(token));
        }

        [Fact]
        public void The_expiry_is_the_exp_claim_in_unix_seconds()
        {
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1893456000), TokenManager.ReadJwtExpiry(Jwt("{\"exp\":1893456000,\"sub\":\"x\"}")));
            // Padding: payload lengths that need one, two or no '=' all decode.
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1), TokenManager.ReadJwtExpiry(Jwt("{\"exp\":1}")));
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(12), TokenManager.ReadJwtExpiry(Jwt("{\"exp\":12}")));
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(123), TokenManager.ReadJwtExpiry(Jwt("{\"exp\":123}")));
        }

        [Theory]
        [InlineData("{\"sub\":\"x\"}")]
        [InlineData("{\"exp\":\"soon\"}")]
        [InlineData("{\"exp\":99999999999999999999}")]
        [InlineData("{\"exp\":1e300}")]
        public void A_missing_or_unreadable_exp_is_no_expiry_rather_than_an_error(string payload)
        {
            Assert.Null(TokenManager.ReadJwtExpiry(Jwt(payload)));
        }
    }
}
