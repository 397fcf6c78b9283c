using System;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// What is masked in every text the engine lets out (Debug, errors, displays), and what is left readable: a secret
    /// must never survive in part, and ordinary text (ids, field names, prose) must stay as it was.
    /// </summary>
    public class SecretRedactorTests
    {
        private const string Mask = SecretRedactor.Mask;

        // Every secret field by name, in the spacings and casings JSON may use, with escapes inside the value.
        [Theory]
        [InlineData("password")]
        [InlineData("access_token")]
        [InlineData("token")]
        [InlineData("refresh_token")]
        [InlineData("secret")]
        [InlineData("api_key")]
        [InlineData("authorization")]
        [InlineData("Password")]
        [InlineData("ACCESS_TOKEN")]
        public void Secret_fields_lose_their_values(string name)
        {
            Assert.Equal("{\"" + name + "\":\"" + Mask + "\",\"email\":\"a@b.c\"}", SecretRedactor.Redact("{\"" + name + "\":\"s3cr3t\",\"email\":\"a@b.c\"}"));
            Assert.Equal("{\"" + name + "\" : \"" + Mask + "\"}", SecretRedactor.Redact("{\"" + name + "\" : \"s3cr3t\"}"));
            Assert.Equal("{\"" + name + "\":\n\t\"" + Mask + "\"}", SecretRedactor.Redact("{\"" + name + "\":\n\t\"s3cr3t\"}"));
            // An escaped quote or backslash inside the value does not end it early.
            Assert.Equal("{\"" + name + "\":\"" + Mask + "\",\"n\":1}", SecretRedactor.Redact("{\"" + name + "\":\"s3\\\"cr\\\\3t\",\"n\":1}"));
            Assert.Equal("{\"" + name + "\":\"" + Mask + "\"}", SecretRedactor.Redact("{\"" + name + "\":\"\"}"));
        }

        // Only those exact names: a field that merely contains one is data.
        [Theory]
        [InlineData("{\"token_type\":\"Bearer\"}")]
        [InlineData("{\"mytoken\":\"abc\"}")]
        [InlineData("{\"expires_in\":\"3600\"}")]
        [InlineData("{\"passwordHint\":\"the dog\"}")]
        [InlineData("{\"email\":\"password@example.com\"}")]
        [InlineData("{\"token\":12345}")]
        [InlineData("password: hunter2 in prose")]
        public void Fields_that_are_not_secret_stay(string text)
        {
            Assert.Equal(text, SecretRedactor.Redact(text));
        }

        [Theory]
        [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl")]
        [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.")] // unsigned: an empty signature
        [InlineData("eyJab-_9.Ab-_9.X-_z")] // every character the segments may hold
        [InlineData("eyJ01234.56789.")] // the shortest shape: five characters after eyJ, five in the payload
        public void Jwt_shaped_strings_are_masked_whole(string jwt)
        {
            Assert.Equal("before " + Mask + " after", SecretRedactor.Redact("before " + jwt + " after"));
            Assert.Equal("[" + Mask + "]", SecretRedactor.Redact("[" + jwt + "]"));
        }

        [Theory]
        [InlineData("eyJ0123.56789.abc")] // four after eyJ
        [InlineData("eyJ01234.5678.abc")] // a payload of four
        [InlineData("eyJ01234 56789.abc")]
        [InlineData("eyj01234.56789.abc")] // not the base64 of '{"'
        [InlineData("call 1.2.3 at eyJ-ish.x.y")]
        public void Shorter_or_other_shapes_are_ordinary_text(string text)
        {
            Assert.Equal(text, SecretRedactor.Redact(text));
        }

        // Query parameters that authorise a link on their own (a recording's signed URL, an echoed request).
        [Theory]
        [InlineData("token")]
        [InlineData("access_token")]
        [InlineData("auth")]
        [InlineData("key")]
        [InlineData("sig")]
        [InlineData("signature")]
        [InlineData("x-amz-signature")]
        [InlineData("x-amz-credential")]
        [InlineData("x-amz-security-token")]
        [InlineData("TOKEN")]
        [InlineData("X-Amz-Signature")]
        public void Query_tokens_are_masked_and_the_rest_of_the_link_kept(string name)
        {
            Assert.Equal("https://h/r.mp3?" + name + "=" + Mask, SecretRedactor.Redact("https://h/r.mp3?" + name + "=abc123"));
            Assert.Equal("https://h/r.mp3?callId=1.2&" + name + "=" + Mask + "&x=1", SecretRedactor.Redact("https://h/r.mp3?callId=1.2&" + name + "=abc123&x=1"));
            // As JSON escapes '&' (System.Text.Json writes \u0026).
            Assert.Equal("\"https://h/r.mp3?a=1\\u0026" + name + "=" + Mask + "\"", SecretRedactor.Redact("\"https://h/r.mp3?a=1\\u0026" + name + "=abc123\""));
        }

        // The value ends where a link would: the next parameter, a quote, a backslash, white space or markup.
        [Theory]
        [InlineData("&", "&x=1")]
        [InlineData("\"", "\"}")]
        [InlineData("'", "'>")]
        [InlineData("\\", "\\u0026x=1")]
        [InlineData(" ", " next")]
        [InlineData("\n", "\nnext")]
        [InlineData("<", "</a>")]
        [InlineData(">", ">link")]
        public void A_query_token_ends_at_the_links_edge(string edge, string rest)
        {
            Assert.StartsWith(edge, rest);
            Assert.Equal("u?token=" + Mask + rest, SecretRedactor.Redact("u?token=abc123" + rest));
        }

        [Theory]
        [InlineData("https://h/r.mp3?callId=1.2&agent=7")]
        [InlineData("https://h/r.mp3?monkey=1")]
        [InlineData("https://h/r.mp3?tokens=1")]
        [InlineData("https://h/r.mp3?keys=1&signed=2")]
        [InlineData("/token=abc")]
        [InlineData("key=abc")]
        public void Other_parameters_are_kept(string text)
        {
            Assert.Equal(text, SecretRedactor.Redact(text));
        }

        // An echoed Authorization header, whatever the token looks like (an opaque console token has no JWT shape).
        [Theory]
        [InlineData("Authorization: Bearer ", "")]
        [InlineData("Authorization=Bearer ", "")]
        [InlineData("authorization: bearer ", "")]
        [InlineData("Bearer:", "")]
        [InlineData("Bearer=", "")]
        [InlineData("Bearer \t ", "")]
        public void A_bearer_value_is_masked(string before, string after)
        {
            const string token = "0123456789abcdefGHIJ";
            Assert.Equal(before + Mask + after, SecretRedactor.Redact(before + token + after));
        }

        [Theory]
        [InlineData(" ")]
        [InlineData("\"")]
        [InlineData("'")]
        [InlineData(",")]
        [InlineData(";")]
        [InlineData("&")]
        [InlineData("<")]
        [InlineData(">")]
        public void A_bearer_value_ends_at_a_separator(string separator)
        {
            Assert.Equal("Bearer " + Mask + separator + "rest", SecretRedactor.Redact("Bearer 0123456789abcdef" + separator + "rest"));
        }

        [Theory]
        [InlineData("the Bearer scheme is used")]
        [InlineData("Bearer 0123456789abcde")] // fifteen characters: a word, not a token
        [InlineData("Bearer")]
        [InlineData("NotBearer 0123456789abcdefGHIJ")]
        [InlineData("Bearer\"0123456789abcdefGHIJ")]
        public void Bearer_in_prose_is_not_a_token(string text)
        {
            Assert.Equal(text, SecretRedactor.Redact(text));
        }

        [Fact]
        public void The_shortest_bearer_token_is_masked()
        {
            Assert.Equal("Bearer " + Mask, SecretRedactor.Redact("Bearer 0123456789abcdef"));
        }

        [Fact]
        public void Known_secrets_are_masked_wherever_they_are()
        {
            Assert.Equal(Mask + " at the start", SecretRedactor.Redact("hunter22 at the start", "hunter22"));
            Assert.Equal("end " + Mask, SecretRedactor.Redact("end hunter22", "hunter22"));
            Assert.Equal(Mask + " and " + Mask, SecretRedactor.Redact("hunter22 and hunter22", "hunter22"));
            Assert.Equal("a " + Mask + " b " + Mask, SecretRedactor.Redact("a hunter22 b pass", null, "", "hunter22", "pass"));
            Assert.Equal("HUNTER22", SecretRedactor.Redact("HUNTER22", "hunter22"));
        }

        [Fact]
        public void Secrets_under_four_characters_are_not_masked_they_would_mask_ordinary_text()
        {
            Assert.Equal("a " + Mask + " b", SecretRedactor.Redact("a abcd b", "abcd"));
            Assert.Equal("a abc b", SecretRedactor.Redact("a abc b", "abc"));
        }

        [Fact]
        public void Known_secrets_go_first_so_a_pattern_cannot_cut_one_in_half()
        {
            // The secret holds "?key=": the query pattern alone would mask only its tail and leave "abc?key=" readable.
            Assert.Equal("link " + Mask, SecretRedactor.Redact("link abc?key=defghij", "abc?key=defghij"));
        }

        [Fact]
        public void Nothing_in_nothing_out()
        {
            Assert.Equal(string.Empty, SecretRedactor.Redact(null));
            Assert.Equal(string.Empty, SecretRedactor.Redact(""));
            Assert.Equal(string.Empty, SecretRedactor.Redact(null, "abcd"));
            Assert.Equal("plain text", SecretRedactor.Redact("plain text"));
        }

        [Fact]
        public void Truncate_keeps_short_text_and_says_how_long_the_rest_was()
        {
            Assert.Equal("abcde", SecretRedactor.Truncate("abcde", 5));
            Assert.Equal("abc", SecretRedactor.Truncate("abc", 5));
            Assert.Equal("abcd... (6 characters)", SecretRedactor.Truncate("abcdef", 4));
        }

        // SessionSecrets: the forms a secret takes when a server echoes it.
        [Theory]
        [InlineData("pa\"ss\\word", "{\"m\":\"pa\\\"ss\\\\word\"}", "{\"m\":\"***\"}")] // JSON's minimal escapes
        [InlineData("pa\"ss/word", "{\"m\":\"pa\\\"ss/word\"}", "{\"m\":\"***\"}")] // minimal escapes, '/' left alone (Json.NET, Go)
        [InlineData("pa\"ss/word", "said pa\"ss/word", "said ***")] // and unescaped
        [InlineData("pa/ss/word", "{\"m\":\"pa\\/ss\\/word\"}", "{\"m\":\"***\"}")] // PHP also escapes '/'
        [InlineData("p+ss<w>rd&é", "{\"m\":\"p\\u002Bss\\u003Cw\\u003Erd\\u0026\\u00E9\"}", "{\"m\":\"***\"}")] // System.Text.Json
        [InlineData("p+ss w/rd", "?x=p%2Bss%20w%2Frd", "?x=***")] // URL-encoded
        [InlineData("plainpassword", "said plainpassword", "said ***")]
        public void A_password_is_masked_in_every_form_it_is_echoed_in(string password, string echoed, string expected)
        {
            var secrets = new SessionSecrets();
            secrets.SetPassword(password);
            Assert.Equal(expected, secrets.Redact(echoed));
        }

        [Fact]
        public void A_password_is_masked_whole_not_by_the_pieces_between_its_dots()
        {
            // Only a JWT's segments identify it alone; a password's would mask ordinary text (a team name) anywhere.
            var secrets = new SessionSecrets();
            secrets.SetPassword("acme.Support-Team-Bangalore.2024");
            Assert.Equal("call from Support-Team-Bangalore", secrets.Redact("call from Support-Team-Bangalore"));
            Assert.Equal("p=" + Mask, secrets.Redact("p=acme.Support-Team-Bangalore.2024"));
        }

        [Fact]
        public void The_password_can_be_changed()
        {
            var secrets = new SessionSecrets();
            secrets.SetPassword("first-password");
            secrets.SetPassword("second-password");
            Assert.Equal(Mask, secrets.Redact("second-password"));
            Assert.Equal("first-password", secrets.Redact("first-password"));
        }

        [Fact]
        public void A_tokens_payload_or_signature_alone_is_masked()
        {
            const string payload = "eyJzdWIiOiIxMjM0NTY3ODkwIn0"; // 27 characters
            const string signature = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
            var secrets = new SessionSecrets();
            secrets.AddToken("eyJhbGciOiJIUzI1NiJ9." + payload + "." + signature);
            Assert.Equal("p=" + Mask, secrets.Redact("p=" + payload));
            Assert.Equal("s=" + Mask, secrets.Redact("s=" + signature));
        }

        [Fact]
        public void Segments_under_sixteen_characters_are_too_common_to_mask_alone()
        {
            var secrets = new SessionSecrets();
            secrets.AddToken("header.0123456789abcde.0123456789abcdef");
            Assert.Equal("x 0123456789abcde y", secrets.Redact("x 0123456789abcde y")); // fifteen
            Assert.Equal("x " + Mask + " y", secrets.Redact("x 0123456789abcdef y")); // sixteen
            Assert.Equal(Mask, secrets.Redact("header.0123456789abcde.0123456789abcdef"));

            var four = new SessionSecrets();
            four.AddToken("a.0123456789abcdef.b.c"); // not three parts: not a JWT
            Assert.Equal("0123456789abcdef", four.Redact("0123456789abcdef"));
            var payloadOnly = new SessionSecrets();
            payloadOnly.AddToken("h.0123456789abcdef.s");
            Assert.Equal(Mask, payloadOnly.Redact("0123456789abcdef"));
        }

        [Fact]
        public void The_newest_four_tokens_are_kept()
        {
            var secrets = new SessionSecrets();
            string[] tokens = { "token-number-one", "token-number-two", "token-number-three", "token-number-four", "token-number-five" };
            foreach (string token in tokens) secrets.AddToken(token);
            Assert.Equal("token-number-one", secrets.Redact("token-number-one"));
            for (int i = 1; i < tokens.Length; i++) Assert.Equal(Mask, secrets.Redact(tokens[i]));
        }

        [Fact]
        public void A_token_seen_again_does_not_push_out_the_others()
        {
            var secrets = new SessionSecrets();
            foreach (string token in new[] { "token-aaaa", "token-bbbb", "token-cccc", "token-dddd", "token-aaaa", "token-eeee" }) secrets.AddToken(token);
            // Four distinct tokens at most: the fifth distinct one forgets the oldest, once.
            Assert.Equal("token-aaaa", secrets.Redact("token-aaaa"));
            foreach (string kept in new[] { "token-bbbb", "token-cccc", "token-dddd", "token-eeee" }) Assert.Equal(Mask, secrets.Redact(kept));
        }

        [Fact]
        public void An_empty_token_is_ignored()
        {
            var secrets = new SessionSecrets();
            secrets.AddToken("token-aaaa");
            secrets.AddToken("");
            secrets.AddToken(null!);
            Assert.Equal(Mask, secrets.Redact("token-aaaa"));
            Assert.Equal("plain", secrets.Redact("plain"));
        }

        [Fact]
        public void A_secret_that_contains_another_is_masked_whole()
        {
            var secrets = new SessionSecrets();
            secrets.SetPassword("abcd");
            secrets.AddToken("abcdefgh-1234");
            Assert.Equal("[" + Mask + "]", secrets.Redact("[abcdefgh-1234]"));
            var other = new SessionSecrets();
            other.AddToken("abcd");
            other.SetPassword("xabcdx-longer");
            Assert.Equal("[" + Mask + "]", other.Redact("[xabcdx-longer]"));
        }

        [Fact]
        public void Redact_or_null_keeps_null()
        {
            var secrets = new SessionSecrets();
            secrets.SetPassword("password1");
            Assert.Null(secrets.RedactOrNull(null));
            Assert.Equal("p " + Mask, secrets.RedactOrNull("p password1"));
        }

        [Fact]
        public void Scrub_masks_the_exception_and_its_inner_exceptions()
        {
            var secrets = new SessionSecrets();
            secrets.SetPassword("password1");
            var error = new AcefoneException(AcefoneErrorKind.AuthenticationFailed, "login password1 refused", new InvalidOperationException("inner password1"))
            {
                ServerMessage = "bad password1",
                ResponseBody = "{\"p\":\"password1\"}",
            };
            AcefoneException scrubbed = secrets.Scrub(error);
            Assert.Equal(AcefoneErrorKind.AuthenticationFailed, scrubbed.Kind);
            Assert.DoesNotContain("password1", scrubbed.Message);
            Assert.DoesNotContain("password1", scrubbed.ServerMessage);
            Assert.DoesNotContain("password1", scrubbed.ResponseBody);
            Assert.DoesNotContain("password1", scrubbed.InnerException!.Message);
            var replaced = Assert.IsType<AcefoneRedactedException>(scrubbed.InnerException);
            Assert.Equal(typeof(InvalidOperationException).FullName, replaced.OriginalType);
        }
    }
}
