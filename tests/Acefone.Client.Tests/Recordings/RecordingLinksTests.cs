using System;
using System.Linq;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>RecordingLinks' rules one by one: the token's hosts, what a shown link hides, the names and extensions of files.</summary>
    public class RecordingLinksTests
    {
        private static readonly Uri Api = new Uri("https://api.acefone.in/");

        [Theory]
        [InlineData("audio/mpeg", ".mp3")]
        [InlineData("audio/x-wav", ".wav")]
        [InlineData("application/ogg", ".ogg")]
        [InlineData("audio/opus", ".opus")]
        [InlineData("audio/x-m4a", ".m4a")]
        [InlineData("video/mp4", ".mp4")]
        [InlineData("audio/webm", ".webm")]
        [InlineData("audio/x-gsm", ".gsm")]
        [InlineData("audio/amr", ".amr")]
        [InlineData("audio/x-flac", ".flac")]
        [InlineData("audio/aac", ".aac")]
        [InlineData(" AUDIO/OGG ; codecs=opus", ".ogg")]
        [InlineData(null, ".bin")]
        [InlineData("text/html", ".bin")]
        public void Each_audio_type_gets_its_extension_and_a_finished_file_of_it_is_found_on_a_rerun(string? contentType, string extension)
        {
            Assert.Equal(extension, RecordingLinks.ExtensionFor(contentType));
            // The downloader skips a recording already saved under any of these: every extension it writes must be one.
            Assert.Contains(extension, RecordingLinks.Extensions);
        }

        [Fact]
        public void The_extensions_a_rerun_looks_for_are_exactly_those_a_download_can_write()
        {
            string[] written = { ".mp3", ".wav", ".ogg", ".opus", ".m4a", ".mp4", ".webm", ".gsm", ".amr", ".flac", ".aac", ".bin" };
            Assert.Equal(written.OrderBy(e => e, StringComparer.Ordinal), RecordingLinks.Extensions.OrderBy(e => e, StringComparer.Ordinal));
        }

        [Fact]
        public void A_relative_link_gets_no_token_and_shows_nothing_of_itself()
        {
            var relative = new Uri("/file/recording?token=abc", UriKind.Relative);
            Assert.False(RecordingLinks.ShouldSendToken(relative, Api, new[] { "api.acefone.in" }));
            Assert.Equal("***", RecordingLinks.Redact(relative));
            Assert.Empty(RecordingLinks.QuerySecrets(relative));
        }

        [Theory]
        [InlineData("https://console.acefone.in/file", new[] { " ", "console.acefone.in" }, true)]        // a blank entry is skipped, not the end
        [InlineData("https://console.acefone.in:8443/file", new[] { "console.acefone.in", "console.acefone.in:8443" }, true)]
        [InlineData("https://console.acefone.in:8443/file", new[] { "console.acefone.in:443" }, false)]
        [InlineData("https://console.acefone.in/file", new[] { "console.acefone.in:8443" }, false)]
        [InlineData("https://[::1]:8443/file", new[] { "[::1]:8443" }, true)]
        [InlineData("https://[::1]/file", new[] { "[::1]" }, true)]
        [InlineData("https://[::1]:8443/file", new[] { "[::1]" }, false)]
        [InlineData("https://console.acefone.in/file", new[] { ":443" }, false)]
        [InlineData("https://console.acefone.in/file", new[] { "console.acefone.in:x" }, false)]
        public void TokenHost_entries_name_a_port_only_when_they_say_one(string url, string[] trusted, bool expected) =>
            Assert.Equal(expected, RecordingLinks.ShouldSendToken(new Uri(url), Api, trusted));

        [Fact]
        public void A_query_value_is_masked_however_the_pair_is_written()
        {
            string shown = RecordingLinks.Redact(new Uri("https://console.acefone.in/r?=secret1&flag&k=secret2"));
            Assert.Equal("https://console.acefone.in/r?=***&flag=***&k=***", shown);
        }

        [Fact]
        public void Query_secrets_are_every_value_decoded_too_longest_first_and_never_empty()
        {
            string[] secrets = RecordingLinks.QuerySecrets(new Uri("https://h.example/r?=tok123&a=&flag&b=x%2By&c=longer-value-here"));
            Assert.Contains("tok123", secrets);
            Assert.Contains("x%2By", secrets);
            Assert.Contains("x+y", secrets);
            Assert.DoesNotContain("", secrets);
            Assert.Equal(secrets.OrderByDescending(s => s.Length), secrets);
            Assert.Equal("longer-value-here", secrets[0]);
            Assert.Empty(RecordingLinks.QuerySecrets(new Uri("https://h.example/r?")));
        }

        [Theory]
        [InlineData("COM1", true)]
        [InlineData("lpt9.wav", true)]
        [InlineData("ABC1", false)]
        [InlineData("COM", false)]
        [InlineData("COMX", false)]
        [InlineData("CON .mp3", true)]
        public void Device_names_are_COM_and_LPT_with_a_digit_and_the_fixed_names(string name, bool device) =>
            Assert.Equal(device, RecordingLinks.IsWindowsDeviceName(name));

        [Fact]
        public void Device_name_and_link_arguments_are_required()
        {
            Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => RecordingLinks.IsWindowsDeviceName(null!)).ParamName);
            Assert.Equal("url", Assert.Throws<ArgumentNullException>(() => RecordingLinks.Redact(null!)).ParamName);
        }

        [Fact]
        public void A_call_id_is_cut_at_120_characters_and_a_missing_one_is_named_call()
        {
            Assert.Equal(new string('a', 120), RecordingLinks.FileBaseName(new string('a', 121), null));
            Assert.Equal("call", RecordingLinks.FileBaseName(null!, null));
            Assert.Equal("call", RecordingLinks.FileBaseName("...", null));
        }
    }
}
