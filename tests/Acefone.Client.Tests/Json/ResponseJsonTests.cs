using System;
using System.Text;
using System.Text.Json;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// Lenient reading of what the API really sends, and the one rule on anything unreadable: it becomes an
    /// AcefoneException of kind InvalidResponse, never another exception type and never a guessed success.
    /// </summary>
    public class ResponseJsonTests
    {
        private static readonly byte[] Bom = { 0xEF, 0xBB, 0xBF };

        private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

        private static byte[] WithBom(string text)
        {
            byte[] json = Bytes(text);
            var body = new byte[json.Length + 3];
            Bom.CopyTo(body, 0);
            json.CopyTo(body, 3);
            return body;
        }

        private static StatusEnvelope Status(string json)
        {
            byte[] body = Bytes(json);
            return ResponseJson.ReadStatus(body, body.Length);
        }

        private static T WithRoot<T>(string json, Func<JsonElement, T> read)
        {
            using (JsonDocument document = JsonDocument.Parse(json)) return read(document.RootElement);
        }

        private static AcefoneException Invalid(byte[] body, int length)
        {
            var error = Assert.Throws<AcefoneException>(() => ResponseJson.ReadStatus(body, length));
            Assert.Equal(AcefoneErrorKind.InvalidResponse, error.Kind);
            return error;
        }

        [Fact]
        public void A_byte_order_mark_is_skipped()
        {
            byte[] body = WithBom("{\"success\":true,\"message\":\"ok\"}");
            Assert.Equal(3, ResponseJson.JsonStart(body, body.Length));
            StatusEnvelope status = ResponseJson.ReadStatus(body, body.Length);
            Assert.True(status.Success);
            Assert.Equal("ok", status.Message);
            Assert.Equal("ok", ResponseJson.TryReadMessage(body, body.Length));
        }

        [Fact]
        public void Only_a_whole_byte_order_mark_is_one()
        {
            Assert.Equal(0, ResponseJson.JsonStart(new byte[] { 0xEF, 0xBB, 0x7B }, 3));
            Assert.Equal(0, ResponseJson.JsonStart(new byte[] { 0xEF, 0x7B, 0xBF }, 3));
            Assert.Equal(0, ResponseJson.JsonStart(new byte[] { 0x7B, 0xBB, 0xBF }, 3));
            Assert.Equal(0, ResponseJson.JsonStart(Bytes("{}"), 2));
            // The buffer may be longer than the answer: a mark cut by the answer's length is not one.
            Assert.Equal(0, ResponseJson.JsonStart(Bom, 2));
            Assert.Equal(3, ResponseJson.JsonStart(Bom, 3));
        }

        [Fact]
        public void A_body_that_is_only_a_byte_order_mark_is_empty()
        {
            Assert.Contains("empty body", Invalid(Bom, 3).Message);
            Assert.Contains("empty body", Invalid(Array.Empty<byte>(), 0).Message);
            Assert.Contains("empty body", Invalid(Bytes("{}"), 0).Message);
            Assert.Null(ResponseJson.TryReadMessage(Bom, 3));
            Assert.Null(ResponseJson.TryReadMessage(Array.Empty<byte>(), 0));
        }

        [Fact]
        public void Only_the_answers_length_is_read_from_a_larger_buffer()
        {
            byte[] buffer = Bytes("{\"success\":true} and what a pooled buffer held before");
            Assert.True(ResponseJson.ReadStatus(buffer, 16).Success);
            byte[] message = Bytes("{\"message\":\"m\"}garbage");
            Assert.Equal("m", ResponseJson.TryReadMessage(message, 15));
            byte[] bom = WithBom("{\"success\":false}xx");
            Assert.False(ResponseJson.ReadStatus(bom, bom.Length - 2).Success);
        }

        [Fact]
        public void Invalid_utf8_is_an_invalid_response()
        {
            byte[] body = { (byte)'{', (byte)'"', (byte)'m', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}' };
            AcefoneException error = Invalid(body, body.Length);
            Assert.Contains("UTF-8", error.Message);
            Assert.IsType<DecoderFallbackException>(error.InnerException);
        }

        [Theory]
        [InlineData("{\"success\":")]
        [InlineData("not json")]
        [InlineData("{\"a\":1}}")]
        [InlineData("<html><body>Bad gateway</body></html>")]
        public void Invalid_json_is_an_invalid_response(string text)
        {
            AcefoneException error = Invalid(Bytes(text), Bytes(text).Length);
            Assert.Contains("not valid JSON", error.Message);
            Assert.IsAssignableFrom<JsonException>(error.InnerException);
        }

        [Fact]
        public void Nesting_past_sixty_four_levels_is_refused_as_invalid()
        {
            string deep = new string('[', 65) + new string(']', 65);
            string fine = "{\"a\":" + new string('[', 62) + new string(']', 62) + ",\"success\":true}";
            Assert.Contains("not valid JSON", Invalid(Bytes(deep), deep.Length).Message);
            Assert.True(Status(fine).Success);
        }

        [Theory]
        [InlineData("[1,2]", "array")]
        [InlineData("\"ok\"", "string")]
        [InlineData("true", "true")]
        [InlineData("42", "number")]
        [InlineData("null", "null")]
        public void A_status_answer_must_be_an_object(string json, string kind)
        {
            AcefoneException error = Invalid(Bytes(json), json.Length);
            Assert.Contains("JSON " + kind + " where an object was expected", error.Message);
        }

        [Theory]
        [InlineData("{\"success\":true}", true)]
        [InlineData("{\"success\":false}", false)]
        [InlineData("{\"Success\":true}", true)]
        [InlineData("{\"SUCCESS\":false}", false)]
        [InlineData("{\"success\":\"true\"}", true)]
        [InlineData("{\"success\":\" TRUE \"}", true)]
        [InlineData("{\"success\":\"1\"}", true)]
        [InlineData("{\"success\":\"false\"}", false)]
        [InlineData("{\"success\":\"False\"}", false)]
        [InlineData("{\"success\":\"0\"}", false)]
        [InlineData("{\"success\":\" 0\"}", false)]
        [InlineData("{\"success\":1}", true)]
        [InlineData("{\"success\":0}", false)]
        public void Success_is_read_in_every_form_the_api_uses(string json, bool expected)
        {
            Assert.Equal(expected, Status(json).Success);
        }

        // What cannot be read as a success is not one: null, so the caller decides by the status code.
        [Theory]
        [InlineData("{}")]
        [InlineData("{\"message\":\"ok\"}")]
        [InlineData("{\"success\":null}")]
        [InlineData("{\"success\":\"yes\"}")]
        [InlineData("{\"success\":\"\"}")]
        [InlineData("{\"success\":\"2\"}")]
        [InlineData("{\"success\":1.5}")]
        [InlineData("{\"success\":-1}")]
        [InlineData("{\"success\":2}")]
        [InlineData("{\"success\":1.0}")]
        [InlineData("{\"success\":1e0}")]
        [InlineData("{\"success\":-0}")]
        [InlineData("{\"success\":0.0}")]
        [InlineData("{\"success\":10000000000}")]
        [InlineData("{\"success\":{}}")]
        [InlineData("{\"success\":[true]}")]
        [InlineData("{\"successful\":true}")]
        public void Anything_else_is_no_answer(string json)
        {
            Assert.Null(Status(json).Success);
        }

        [Theory]
        [InlineData("{\"message\":\"Invalid Call ID\"}", "Invalid Call ID")]
        [InlineData("{\"Message\":\"cased\"}", "cased")]
        [InlineData("{\"message\":42}", "42")]
        [InlineData("{\"message\":{\"call_id\":[\"required\"]}}", "{\"call_id\":[\"required\"]}")]
        [InlineData("{\"message\":[\"a\",\"b\"]}", "[\"a\",\"b\"]")]
        [InlineData("{\"message\":true}", "true")]
        [InlineData("{\"message\":null}", null)]
        [InlineData("{\"success\":false}", null)]
        public void The_message_is_text_whatever_its_shape(string json, string? expected)
        {
            Assert.Equal(expected, Status(json).Message);
            byte[] body = Bytes(json);
            Assert.Equal(expected, ResponseJson.TryReadMessage(body, body.Length));
        }

        [Fact]
        public void The_exact_name_wins_over_another_casing()
        {
            Assert.Equal("exact", Status("{\"MESSAGE\":\"other\",\"message\":\"exact\"}").Message);
            Assert.Equal("first", Status("{\"MESSAGE\":\"first\",\"Message\":\"second\"}").Message);
        }

        // The same key twice with different readings is a contradiction: never the first, never the last.
        [Theory]
        [InlineData("{\"success\":false,\"success\":true}")]
        [InlineData("{\"success\":true,\"success\":false}")]
        [InlineData("{\"Success\":false,\"success\":true}")]
        [InlineData("{\"success\":true,\"SUCCESS\":\"false\"}")]
        [InlineData("{\"success\":true,\"message\":\"ok\",\"success\":\"yes\"}")]
        [InlineData("{\"success\":null,\"success\":true}")]
        [InlineData("{\"success\":1,\"success\":0}")]
        public void The_outcome_stated_twice_differently_is_an_invalid_response(string json)
        {
            AcefoneException error = Invalid(Bytes(json), json.Length);
            Assert.Contains("'success' more than once", error.Message);
        }

        [Theory]
        [InlineData("{\"success\":true,\"success\":true}", true)]
        [InlineData("{\"success\":\"TRUE\",\"Success\":1}", true)]
        [InlineData("{\"success\":false,\"success\":\"0\"}", false)]
        public void The_outcome_stated_twice_alike_is_read(string json, bool expected)
        {
            Assert.Equal(expected, Status(json).Success);
        }

        [Fact]
        public void A_property_is_found_by_its_name_in_any_casing_or_not_at_all()
        {
            Assert.True(WithRoot("{\"Data\":[1]}", root => ResponseJson.TryGetProperty(root, "data", out JsonElement value) && value.GetArrayLength() == 1));
            Assert.True(WithRoot("{\"data\":2}", root => ResponseJson.TryGetProperty(root, "data", out JsonElement value) && value.GetInt32() == 2));
            Assert.False(WithRoot("{\"date\":1}", root => ResponseJson.TryGetProperty(root, "data", out _)));
            Assert.False(WithRoot("{}", root => ResponseJson.TryGetProperty(root, "data", out _)));
        }

        [Fact]
        public void A_name_that_cannot_be_decoded_matches_nothing()
        {
            StatusEnvelope status = Status("{\"\\udc00\":1,\"Success\":true,\"Message\":\"ok\"}");
            Assert.True(status.Success);
            Assert.Equal("ok", status.Message);
            Assert.Null(Status("{\"\\udc00\":true}").Success);
        }

        [Fact]
        public void Text_that_is_not_unicode_is_an_invalid_response_not_a_crash()
        {
            var error = Assert.Throws<AcefoneException>(() => Status("{\"message\":\"\\ud800\"}"));
            Assert.Equal(AcefoneErrorKind.InvalidResponse, error.Kind);
            Assert.IsType<InvalidOperationException>(error.InnerException);
            Assert.Throws<AcefoneException>(() => Status("{\"success\":\"\\ud800\"}"));
            Assert.Throws<AcefoneException>(() => WithRoot("{\"id\":\"\\udfff\"}", root => ResponseJson.ReadText(root, "id")));
            // An error answer's message is best effort: unreadable text gives no message, not an exception.
            byte[] body = Bytes("{\"message\":\"\\ud800\"}");
            Assert.Null(ResponseJson.TryReadMessage(body, body.Length));
        }

        [Theory]
        [InlineData(" {\"message\":\"m\"}", "m")]
        [InlineData("\n{\"message\":\"m\"}", "m")]
        [InlineData("[{\"message\":\"m\"}]", null)]
        [InlineData(" [{\"message\":\"m\"}]", null)]
        [InlineData("\"message\"", null)]
        [InlineData("{\"message\":", null)]
        [InlineData("<html>message</html>", null)]
        [InlineData("{\"message\":\"m\"", null)]
        public void Trying_for_a_message_never_throws(string text, string? expected)
        {
            byte[] body = Bytes(text);
            Assert.Equal(expected, ResponseJson.TryReadMessage(body, body.Length));
        }

        [Fact]
        public void Trying_for_a_message_in_invalid_utf8_gives_none()
        {
            byte[] body = { (byte)'{', (byte)'"', (byte)'m', (byte)'e', (byte)'s', (byte)'s', (byte)'a', (byte)'g', (byte)'e', (byte)'"', (byte)':', (byte)'"', 0xFF, (byte)'"', (byte)'}' };
            Assert.Null(ResponseJson.TryReadMessage(body, body.Length));
        }

        [Theory]
        [InlineData("{\"id\":\"abc\"}", "abc")]
        [InlineData("{\"id\":1.50}", "1.50")]
        [InlineData("{\"id\":12345678901234567890}", "12345678901234567890")]
        [InlineData("{\"id\":true}", "true")]
        [InlineData("{\"id\":false}", "false")]
        [InlineData("{\"ID\":\"cased\"}", "cased")]
        [InlineData("{\"id\":null}", null)]
        [InlineData("{\"id\":{}}", null)]
        [InlineData("{\"id\":[]}", null)]
        [InlineData("{}", null)]
        public void Text_fields_come_as_strings_or_numbers(string json, string? expected)
        {
            Assert.Equal(expected, WithRoot(json, root => ResponseJson.ReadText(root, "id")));
        }

        [Theory]
        [InlineData("{\"n\":123}", 123L)]
        [InlineData("{\"n\":\"123\"}", 123L)]
        [InlineData("{\"n\":\" 42 \"}", 42L)]
        [InlineData("{\"n\":-7}", -7L)]
        [InlineData("{\"n\":9007199254740993}", 9007199254740993L)]
        [InlineData("{\"n\":1.5}", null)]
        [InlineData("{\"n\":\"12a\"}", null)]
        [InlineData("{\"n\":\"1,000\"}", null)]
        [InlineData("{\"n\":true}", null)]
        [InlineData("{\"n\":null}", null)]
        [InlineData("{}", null)]
        public void Whole_numbers_are_read_exactly_or_not_at_all(string json, long? expected)
        {
            Assert.Equal(expected, WithRoot(json, root => ResponseJson.ReadInt64(root, "n")));
        }

        [Theory]
        [InlineData("{\"b\":true}", true)]
        [InlineData("{\"b\":false}", false)]
        [InlineData("{\"b\":1}", true)]
        [InlineData("{\"b\":0}", false)]
        [InlineData("{\"b\":\"1\"}", true)]
        [InlineData("{\"b\":\"0\"}", false)]
        [InlineData("{\"b\":\"TRUE\"}", true)]
        [InlineData("{\"b\":\" false \"}", false)]
        [InlineData("{\"B\":true}", true)]
        [InlineData("{\"b\":2}", null)]
        [InlineData("{\"b\":\"yes\"}", null)]
        [InlineData("{\"b\":\"\"}", null)]
        [InlineData("{\"b\":null}", null)]
        [InlineData("{\"b\":{}}", null)]
        [InlineData("{}", null)]
        public void Flags_are_read_in_every_form_or_not_at_all(string json, bool? expected)
        {
            Assert.Equal(expected, WithRoot(json, root => ResponseJson.ReadBool(root, "b")));
        }

        [Fact]
        public void Describe_names_a_page_without_echoing_it()
        {
            byte[] page = Bytes("  <!DOCTYPE html><html><body>secret-ish page content</body></html>");
            Assert.Equal($"an HTML or XML page of {page.Length} bytes", ResponseJson.Describe(page, page.Length));
            byte[] text = Bytes("upstream connect error or disconnect/reset before headers. reset reason: overflow");
            string described = ResponseJson.Describe(text, text.Length);
            Assert.StartsWith($"{text.Length} bytes starting 'upstream connect error or disc'", described);
            Assert.DoesNotContain("overflow", described);
            // Only the answer's own bytes, not what else the buffer holds.
            Assert.Equal("3 bytes starting 'abc'", ResponseJson.Describe(Bytes("abc<html>"), 3));
            Assert.Equal("0 bytes starting ''", ResponseJson.Describe(Bytes("<x"), 0));
        }

        [Fact]
        public void Errors_describe_what_came_back()
        {
            byte[] page = Bytes("<html>502</html>");
            Assert.Contains("an HTML or XML page of 16 bytes", Invalid(page, page.Length).Message);
            byte[] cut = Bytes("{\"success\":tr");
            Assert.Contains("13 bytes starting '{\"success\":tr'", Invalid(cut, cut.Length).Message);
        }

        [Theory]
        [InlineData("{\"success\":true,\"request_id\":\"req-42\"}", "req-42")]
        [InlineData("{\"success\":true,\"Request_Id\":42}", "42")]
        [InlineData("{\"success\":true}", null)]
        public void The_status_answer_keeps_the_request_id_the_API_gives(string json, string? requestId) =>
            Assert.Equal(requestId, Status(json).RequestId);
    }
}
