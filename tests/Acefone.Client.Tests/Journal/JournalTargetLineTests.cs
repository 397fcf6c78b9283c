using System.IO;
using System.Text;
using System.Text.Json;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// How a journal's target line is read and compared: only a target line is a target (never a row, never a broken
    /// line), the base URI compares without case and the account with it. (Mutation testing found these unchecked.)
    /// </summary>
    public class JournalTargetLineTests
    {
        [Fact]
        public void A_written_target_line_reads_back_as_the_same_target_and_is_no_row()
        {
            var target = new JournalTarget("https://api.acefone.in/", "login:admin@example.com");
            var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer)) target.Write(writer, "run-1");
            string line = Encoding.UTF8.GetString(buffer.ToArray());
            using (JsonDocument document = JsonDocument.Parse(line))
            {
                JsonElement root = document.RootElement;
                Assert.Equal("https://api.acefone.in/", root.GetProperty("target").GetString());
                Assert.Equal("login:admin@example.com", root.GetProperty("account").GetString());
                Assert.Equal("run-1", root.GetProperty("run").GetString());
                // What a reader of the journal is told besides: the line format, when and by which module.
                Assert.Equal(JournalLines.FormatVersion, root.GetProperty("v").GetInt32());
                Assert.Equal(JournalLines.Module, root.GetProperty("module").GetString());
                Assert.InRange(root.GetProperty("time").GetDateTime(), System.DateTime.UtcNow.AddMinutes(-5), System.DateTime.UtcNow.AddMinutes(5));
                Assert.False(root.TryGetProperty("state", out _));
                Assert.False(root.TryGetProperty("callId", out _));
            }
            JournalTarget? read = JournalTarget.Parse(line);
            Assert.NotNull(read);
            Assert.Equal(target, read);
            Assert.Equal("https://api.acefone.in/ as login:admin@example.com", read!.ToString());
        }

        [Theory]
        [InlineData("{\"v\":1,\"state\":\"sending\",\"callId\":\"1.2\",\"target\":\"x\",\"account\":\"y\"}")]   // a row that happens to say target
        [InlineData("{\"target\":5,\"account\":\"login:a\"}")]
        [InlineData("{\"target\":\"https://a/\"}")]
        [InlineData("{\"target\":\"https://a/\",\"account\":null}")]
        [InlineData("[\"target\",\"account\"]")]
        [InlineData("{\"target\":\"https://a/\",\"account\":\"login:a\"")]
        [InlineData("{\"v\":1,\"state\":\"succeeded\",\"callId\":\"1.2\"}")]
        public void Any_other_line_is_no_target(string line)
        {
            Assert.Null(JournalTarget.Parse(line));
        }

        [Fact]
        public void The_base_uri_compares_without_case_and_the_account_with_it()
        {
            var target = new JournalTarget("https://api.acefone.in/", "sub:Agent7");
            var sameHostOtherCase = new JournalTarget("HTTPS://API.ACEFONE.IN/", "sub:Agent7");
            Assert.True(target.Equals(sameHostOtherCase));
            Assert.True(target.Equals((object)sameHostOtherCase));
            Assert.Equal(target.GetHashCode(), sameHostOtherCase.GetHashCode());
            Assert.False(target.Equals(new JournalTarget("https://api.acefone.in/", "sub:agent7")));
            Assert.False(target.Equals(new JournalTarget("https://api.acefone.co.uk/", "sub:Agent7")));
            Assert.False(target.Equals((JournalTarget?)null));
            Assert.False(target.Equals("https://api.acefone.in/ as sub:Agent7"));
        }

        [Fact]
        public void With_neither_a_login_nor_a_token_the_account_is_unknown()
        {
            Assert.Equal("unknown", JournalTarget.AccountOf(null, null));
            Assert.Equal("login:a@b.c", JournalTarget.AccountOf("A@B.C", null));
        }

        [Fact]
        public void The_fingerprint_is_sixteen_lower_case_hex_digits()
        {
            Assert.Matches("^[0-9a-f]{16}$", JournalTarget.Fingerprint("any token"));
            Assert.Matches("^[0-9a-f]{16}$", JournalTarget.Fingerprint(string.Empty));
            Assert.NotEqual(JournalTarget.Fingerprint("a"), JournalTarget.Fingerprint("b"));
        }
    }
}
