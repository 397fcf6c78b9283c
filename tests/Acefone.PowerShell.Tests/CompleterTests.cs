using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.PowerShell.Tests
{
    /// <summary>The completers' lists (pure) and their per-session cache, without a network.</summary>
    public class CompleterTests
    {
        private static AcefoneSession NewSession()
        {
            var token = new SecureString();
            foreach (char c in "test-token-for-completion") token.AppendChar(c);
            return AcefoneSession.Create(new AcefoneSessionOptions { BaseUri = new Uri("http://127.0.0.1:9/") }, AcefoneCredential.FromAccessToken(token));
        }

        private static AcefoneUser Agent(long id, string name, AgentStatus status, string? extension = null) =>
            new AcefoneUser(id) { Name = name, AgentId = "05028423" + id.ToString("00000"), AgentStatus = status, Extension = extension };

        [Fact]
        public void AgentId_lists_available_agents_first_then_busy_then_the_rest_with_the_status_in_the_list_text()
        {
            var users = new[] { Agent(1, "Agent 001", AgentStatus.Offline), Agent(2, "Agent 002", AgentStatus.Busy), Agent(3, "Agent 003", AgentStatus.Available), new AcefoneUser(4) { Name = "No agent" } };
            var results = AgentIdCompleter.Complete(users, "").ToArray();
            Assert.Equal(new[] { "'0502842300003'", "'0502842300002'", "'0502842300001'" }, results.Select(r => r.CompletionText).ToArray());
            Assert.Equal("0502842300002 (Agent 002, Busy)", results[1].ListItemText);
        }

        [Theory]
        [InlineData("lead", 1)]
        [InlineData("Team", 1)]
        [InlineData("eam", 0)]
        [InlineData("0502842300007", 1)]
        [InlineData("\"05028423", 2)]
        public void AgentId_matches_the_start_of_the_id_the_name_or_a_word_of_it(string word, int count)
        {
            var users = new[] { Agent(7, "Team Lead 7", AgentStatus.Available), Agent(8, "Agent 008", AgentStatus.Available) };
            Assert.Equal(count, AgentIdCompleter.Complete(users, word).Count());
        }

        [Fact]
        public void CallId_is_quoted_so_a_dotted_id_is_never_read_as_a_number()
        {
            var calls = new[] { new AcefoneLiveCall("1714657799.11930963") { AgentName = "Agent 006", State = "Ringing", Direction = CallDirection.Inbound, Duration = TimeSpan.FromSeconds(3725) } };
            var result = Assert.Single(LiveCallIdCompleter.Complete(calls, "1714"));
            Assert.Equal("'1714657799.11930963'", result.CompletionText);
            Assert.Equal("Agent 006, Inbound, Ringing, 01:02:05", result.ToolTip);
            Assert.Empty(LiveCallIdCompleter.Complete(calls, "9"));
        }

        [Fact]
        public void Department_names_are_quoted_only_when_they_need_it_or_a_quote_was_typed()
        {
            var departments = new[] { new AcefoneDepartment("1", Array.Empty<AcefoneDepartmentAgent>()) { Name = "Sales" }, new AcefoneDepartment("2", Array.Empty<AcefoneDepartmentAgent>()) { Name = "Key Accounts" } };
            Assert.Equal(new[] { "Sales", "'Key Accounts'" }, DepartmentNameCompleter.Complete(departments, "").Select(r => r.CompletionText).ToArray());
            Assert.Equal(new[] { "'Sales'" }, DepartmentNameCompleter.Complete(departments, "'sa").Select(r => r.CompletionText).ToArray());
            Assert.Equal(new[] { "'Key Accounts'" }, DepartmentNameCompleter.Complete(departments, "acc").Select(r => r.CompletionText).ToArray());
        }

        [Fact]
        public void Intercom_lists_department_intercoms_then_agent_extensions_once_each()
        {
            var departments = new[] { new AcefoneDepartment("12", Array.Empty<AcefoneDepartmentAgent>()) { Name = "Sales", Intercom = "8004" } };
            var users = new[] { Agent(4, "Agent 004", AgentStatus.Available, "1004"), Agent(5, "Agent 005", AgentStatus.Busy, "8004"), new AcefoneUser(6) { Name = "No agent", Extension = "1006" } };
            var results = IntercomCompleter.Complete(departments, users, "").ToArray();
            Assert.Equal(new[] { "'8004'", "'1004'" }, results.Select(r => r.CompletionText).ToArray());
            Assert.Equal("8004 (Sales department)", results[0].ListItemText);
            Assert.Equal("1004 (Agent 004, extension)", results[1].ListItemText);
        }

        [Fact]
        public void The_cache_fetches_once_per_session_gives_nothing_while_the_fetch_runs_and_its_answer_once_it_is_in()
        {
            int fetches = 0;
            var answer = new TaskCompletionSource<IReadOnlyList<string>>();
            var source = new CompletionSource<IReadOnlyList<string>>((_, _) => { Interlocked.Increment(ref fetches); return answer.Task; }, TimeSpan.FromMinutes(1));
            using AcefoneSession session = NewSession();
            using AcefoneSession other = NewSession();

            Assert.Null(source.Get(session));
            Assert.Null(source.Get(session));
            Assert.Equal(1, fetches);
            answer.SetResult(new[] { "a" });
            Assert.Equal(new[] { "a" }, source.Get(session));
            Assert.Equal(1, fetches);

            Assert.Equal(new[] { "a" }, source.Get(other));   // a session of its own fetches its own
            Assert.Equal(2, fetches);
        }

        [Fact]
        public void A_failed_fetch_gives_no_completions_and_no_exception()
        {
            var source = new CompletionSource<IReadOnlyList<string>>((_, _) => Task.FromException<IReadOnlyList<string>>(new AcefoneException(AcefoneErrorKind.NetworkError, "down")), TimeSpan.FromMinutes(1));
            using AcefoneSession session = NewSession();
            Assert.Null(source.Get(session));
            var throwing = new CompletionSource<IReadOnlyList<string>>((_, _) => throw new InvalidOperationException("bad"), TimeSpan.FromMinutes(1));
            Assert.Null(throwing.Get(session));
        }
    }
}
