using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>The journal knows whose it is (issue 24 item 2): the target line, the refusal, old journals, edited destinations.</summary>
    public sealed class JournalTargetTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "acefone-target-" + Guid.NewGuid().ToString("n"));

        public JournalTargetTests() => Directory.CreateDirectory(_folder);

        public void Dispose()
        {
            try { Directory.Delete(_folder, true); } catch (IOException) { }
        }

        private string NewPath() => Path.Combine(_folder, Guid.NewGuid().ToString("n") + ".jsonl");

        private static readonly JournalTarget India = new JournalTarget("https://api.acefone.in/", "login:admin@example.com");
        private static readonly JournalTarget OtherAccount = new JournalTarget("https://api.acefone.in/", "login:other@example.com");
        private static readonly JournalTarget OtherApi = new JournalTarget("https://api.acefone.co.uk/", "login:admin@example.com");

        private static string Jwt(string payloadJson)
        {
            static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return B64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + B64(payloadJson) + ".c2lnbmF0dXJlLW5vdC1jaGVja2Vk";
        }

        [Fact]
        public void The_account_is_the_login_id_or_the_tokens_subject_or_a_fingerprint_never_the_token()
        {
            Assert.Equal("login:admin@example.com", JournalTarget.AccountOf(" Admin@Example.com ", "ignored-token"));
            Assert.Equal("sub:4711", JournalTarget.AccountOf(null, Jwt("{\"sub\":\"4711\",\"exp\":2000000000}")));
            Assert.Equal("sub:4711", JournalTarget.AccountOf(null, Jwt("{\"sub\":4711}")));

            const string token = "sim-console-token-7f3a9c2e51b04d8e";
            string account = JournalTarget.AccountOf(null, token);
            Assert.Matches("^token:[0-9a-f]{16}$", account);
            Assert.DoesNotContain(token, account);
            Assert.DoesNotContain(token.Substring(0, 8), account);
            // The same token always gives the same fingerprint; another token another one; a JWT without a subject a fingerprint.
            Assert.Equal(account, JournalTarget.AccountOf(null, token));
            Assert.NotEqual(account, JournalTarget.AccountOf(null, token + "x"));
            Assert.StartsWith("token:", JournalTarget.AccountOf(null, Jwt("{\"exp\":2000000000}")));
            // With a fixed context: not a plain SHA-256 of the token, which anyone holding it could match elsewhere.
            using var sha = System.Security.Cryptography.SHA256.Create();
            string plain = string.Concat(sha.ComputeHash(Encoding.UTF8.GetBytes(token)).Take(8).Select(b => b.ToString("x2")));
            Assert.NotEqual("token:" + plain, account);
        }

        [Fact]
        public void A_console_token_sessions_target_is_its_base_uri_and_fingerprint_and_the_journal_never_holds_the_token()
        {
            string path = NewPath();
            using (AcefoneSession session = Sessions.WithHandler(new HttpClientHandler()))
            {
                JournalTarget target = JournalTarget.For(session);
                Assert.Equal("http://127.0.0.1:9/", target.BaseUri);
                Assert.Equal(JournalTarget.AccountOf(null, Sessions.Token), target.Account);
                using RunJournal journal = RunJournal.Open(path, readOnly: false);
                journal.UseTarget(target, allowOtherTarget: false);
            }
            string text = File.ReadAllText(path);
            Assert.Contains("\"target\":\"http://127.0.0.1:9/\"", text);
            Assert.DoesNotContain(Sessions.Token, text);
        }

        [Fact]
        public async Task A_journal_used_against_another_account_or_api_is_refused_before_anything_is_sent()
        {
            string path = NewPath();
            using (RunJournal first = RunJournal.Open(path, readOnly: false))
            {
                first.UseTarget(India, allowOtherTarget: false);
                await first.Send(Sessions.Transfer("1714657799.1", "8004"), 1, () => Task.FromResult(1));
            }
            foreach (JournalTarget other in new[] { OtherAccount, OtherApi })
            {
                using RunJournal again = RunJournal.Open(path, readOnly: false);
                Assert.Equal(India, again.RecordedTarget);
                RunJournalException refused = Assert.Throws<RunJournalException>(() => again.UseTarget(other, allowOtherTarget: false));
                Assert.Equal("JournalTargetMismatch", refused.ErrorId);
                Assert.Contains(India.ToString(), refused.Message);
                Assert.Contains(other.ToString(), refused.Message);
                Assert.Contains("-IgnoreJournalTarget", refused.Message);
            }
            // -WhatIf reads the same way.
            using (RunJournal preview = RunJournal.Open(path, readOnly: true))
                Assert.Throws<RunJournalException>(() => preview.UseTarget(OtherAccount, allowOtherTarget: false));
            // The same target again is fine, and adds no second target line.
            using (RunJournal same = RunJournal.Open(path, readOnly: false))
                same.UseTarget(new JournalTarget("HTTPS://api.acefone.in/", "login:admin@example.com"), allowOtherTarget: false);
            Assert.Single(File.ReadAllLines(path), l => l.Contains("\"target\""));
        }

        [Fact]
        public void The_override_uses_the_journal_and_makes_it_the_new_targets()
        {
            string path = NewPath();
            using (RunJournal first = RunJournal.Open(path, readOnly: false)) first.UseTarget(India, false);
            using (RunJournal moved = RunJournal.Open(path, readOnly: false)) moved.UseTarget(OtherAccount, allowOtherTarget: true);
            using RunJournal after = RunJournal.Open(path, readOnly: false);
            Assert.Equal(OtherAccount, after.RecordedTarget);
            Assert.Throws<RunJournalException>(() => after.UseTarget(India, false));
            Assert.Empty(after.Warnings);
        }

        [Fact]
        public void A_journal_written_before_target_lines_still_works_and_gets_one()
        {
            string path = NewPath();
            File.WriteAllText(path,
                "{\"v\":1,\"time\":\"2026-12-02T07:40:00.1234567Z\",\"state\":\"sending\",\"row\":1,\"operation\":\"Transfer\",\"callId\":\"1714657799.1\",\"intercom\":\"8004\",\"module\":\"0.1.0\",\"run\":\"a\"}\n" +
                "{\"v\":1,\"time\":\"2026-12-02T07:40:00.2234567Z\",\"state\":\"succeeded\",\"row\":1,\"operation\":\"Transfer\",\"callId\":\"1714657799.1\",\"intercom\":\"8004\",\"module\":\"0.1.0\",\"run\":\"a\"}\n");
            using (RunJournal old = RunJournal.Open(path, readOnly: false))
            {
                Assert.Null(old.RecordedTarget);
                old.UseTarget(OtherApi, allowOtherTarget: false);
                Assert.NotNull(old.FindSent(Sessions.Transfer("1714657799.1", "8004")));
            }
            using RunJournal now = RunJournal.Open(path, readOnly: true);
            Assert.Equal(OtherApi, now.RecordedTarget);
            Assert.Empty(now.Warnings);
        }

        [Fact]
        public async Task The_reader_lists_targets_apart_from_rows_and_never_warns_about_them()
        {
            string path = NewPath();
            using (RunJournal journal = RunJournal.Open(path, readOnly: false))
            {
                journal.UseTarget(India, false);
                await journal.Send(Sessions.Transfer("1714657799.1", "8004"), 1, () => Task.FromResult(1));
            }
            JournalContents contents = JournalReader.ReadFile(path);
            Assert.Equal(new[] { India }, contents.Targets);
            Assert.Single(contents.Rows);
            Assert.Empty(contents.Warnings);
        }

        [Fact]
        public async Task A_call_acted_on_with_another_destination_or_agent_is_found_and_the_same_destination_is_not()
        {
            string path = NewPath();
            using (RunJournal first = RunJournal.Open(path, readOnly: false))
            {
                await first.Send(Sessions.Transfer("1.1", "8004"), 1, () => Task.FromResult(1));
                await first.Send(CallOptionRequest.Create(CallOperation.Monitor, "1.2", "0502842370001"), 2, () => Task.FromResult(1));
                // Failed: certainly did not act, so another destination for it is no conflict.
                await Assert.ThrowsAsync<AcefoneException>(() => first.Send<int>(Sessions.Transfer("1.3", "8004"), 3, () => throw new AcefoneException(AcefoneErrorKind.CallNotActive, "ended")));
            }
            using RunJournal again = RunJournal.Open(path, readOnly: false);
            JournalRecord? edited = again.FindOtherDestination(Sessions.Transfer("1.1", "8005"));
            Assert.NotNull(edited);
            Assert.Equal("8004", edited!.Intercom);
            Assert.Equal(JournalState.Succeeded, edited.State);
            Assert.Equal("0502842370001", again.FindOtherDestination(CallOptionRequest.Create(CallOperation.Monitor, "1.2", "0502842370009"))!.AgentId);
            Assert.Null(again.FindOtherDestination(Sessions.Transfer("1.1", "8004")));
            Assert.Null(again.FindOtherDestination(CallOptionRequest.Create(CallOperation.Whisper, "1.2", "0502842370009")));
            Assert.Null(again.FindOtherDestination(Sessions.Transfer("1.3", "8005")));
            Assert.Null(again.FindOtherDestination(Sessions.Transfer("1.9", "8005")));
        }
    }
}
