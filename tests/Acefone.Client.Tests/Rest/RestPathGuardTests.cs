using System.Collections.Generic;
using System.Threading.Tasks;
using Acefone.Client;
using Acefone.Simulator;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// Issue 24 item 3: the escape hatch's refusals hold against every spelling a server, a gateway or .NET reads as
    /// the refused route (percent-escapes, case, '//', dot segments, ';params', trailing dots), and paths whose
    /// reading differs between servers are refused rather than guessed.
    /// </summary>
    public class RestPathGuardTests
    {
        public static IEnumerable<object[]> AuthSpellings() => new[]
        {
            new object[] { "/v1/auth/logout" },
            new object[] { "/v1/%61uth/logout" },
            new object[] { "/v1/%41UTH/logout" },
            new object[] { "/%76%31/%61%75%74%68/%6c%6f%67%6f%75%74" },
            new object[] { "/V1/Auth/Logout" },
            new object[] { "/v1//auth/logout" },
            new object[] { "//v1/auth/logout" },
            new object[] { "v1/auth" },
            new object[] { "/v1/auth/" },
            new object[] { "/v1/auth;x=1/logout" },
            new object[] { "/v1;x/auth/refresh" },
            new object[] { "/v1/auth./logout" },
            new object[] { "/v1/auth%20/logout" },
            new object[] { "/v1/auth%2e/logout" },
            new object[] { "/v1/users/../auth/logout" },
            new object[] { "/v1/users/%2e%2e/auth/logout" },
            new object[] { "/v1/users/%2E./auth/logout" },
            new object[] { "/v1/./auth/logout" },
            new object[] { "/v1/%2fauth/logout" },
            new object[] { "/v1%2Fauth%2Flogout" },
            new object[] { "/v1%5Cauth%5Clogout" },
            new object[] { "/v1/auth%3F/logout" },
            new object[] { "/v1/auth%23/logout" },
            new object[] { "/v1/%2561uth/logout" },
            new object[] { "/v1/%252561uth/logout" },
            new object[] { "/v1/auth%00/logout" },
            new object[] { "/v1/%c0%ae%c0%ae/auth/logout" },
            new object[] { "/v1/auth\\logout" },
        };

        [Theory]
        [MemberData(nameof(AuthSpellings))]
        public void Every_spelling_of_a_login_route_is_refused(string path)
        {
            var error = Assert.Throws<AcefoneException>(() => new AcefoneRestRequest("POST", path));
            Assert.Equal(AcefoneErrorKind.InvalidInput, error.Kind);
            Assert.Contains("Nothing was sent", error.Message);
        }

        [Theory]
        [InlineData("/v1/users", "v1|users")]
        [InlineData("/V1//Users/", "v1|users")]
        [InlineData("/v1/user%2D1/x", "v1|user-1|x")]
        [InlineData("/v1/user;jsessionid=1/x", "v1|user|x")]
        [InlineData("/v1/notes. /x", "v1|notes|x")]
        [InlineData("/v1/caf%C3%A9", "v1|café")]
        [InlineData("/v1/100%25", "v1|100%")]
        [InlineData("/v1/a%zz", "v1|a%zz")]
        public void A_path_is_read_as_the_server_reads_it(string path, string expected)
        {
            IReadOnlyList<string>? segments = ServerPath.Segments(path, out string? problem);
            Assert.Null(problem);
            Assert.Equal(expected, string.Join("|", segments!));
        }

        [Theory]
        [InlineData("/v1/%2561", "still percent-encoded")]
        [InlineData("/v1/a%2Fb", "encodes a separator")]
        [InlineData("/v1/a%3bb", "encodes a separator")]
        [InlineData("/v1/%ff", "not UTF-8")]
        [InlineData("/v1/%c0%af", "not UTF-8")]
        [InlineData("/v1/a%0Ab", "control character")]
        [InlineData("/v1/...", "'.' or '..' segment")]
        [InlineData("/v1/..%20/x", "'.' or '..' segment")]
        public void A_path_that_servers_read_differently_is_refused_with_its_reason(string path, string reason)
        {
            Assert.Null(ServerPath.Segments(path, out string? problem));
            Assert.Contains(reason, problem);
            var error = Assert.Throws<AcefoneException>(() => new AcefoneRestRequest("GET", path));
            Assert.Contains(reason, error.Message);
        }

        [Theory]
        [InlineData("/v1/users")]
        [InlineData("/v1/authors")]
        [InlineData("/v1/user/auth")]
        [InlineData("/v2/auth/logout")]
        [InlineData("/v1/auth.json")]
        [InlineData("/v1/click_to_call")]
        [InlineData("/v1/user/0502842370097")]
        public void Paths_that_are_not_login_routes_pass(string path)
        {
            var request = new AcefoneRestRequest("POST", path);
            Assert.Equal(path.TrimStart('/'), request.RelativePath);
        }

        [Fact]
        public void Segments_are_compared_whole()
        {
            Assert.True(ServerPath.StartsWith(new[] { "v1", "auth", "x" }, "v1/auth"));
            Assert.True(ServerPath.StartsWith(new[] { "v1", "auth" }, "/V1/Auth/"));
            Assert.False(ServerPath.StartsWith(new[] { "v1" }, "v1/auth"));
            Assert.False(ServerPath.StartsWith(new[] { "v1", "authx" }, "v1/auth"));
            Assert.False(ServerPath.StartsWith(new[] { "x", "auth" }, "v1/auth"));
        }

        // The harm itself: a logout sent through the escape hatch revoked the session's token. No spelling reaches the API.
        [Fact]
        public async Task No_spelling_of_logout_reaches_the_simulator_and_the_session_keeps_working()
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            // The spelling is dangerous: sent as is, the router decodes it into the logout route.
            simulator.State.AddConsoleToken("another-console-token-0123");
            using (var raw = new System.Net.Http.HttpClient { BaseAddress = simulator.BaseUri })
            {
                raw.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer another-console-token-0123");
                var answer = await raw.PostAsync("/v1/%61uth/logout", new System.Net.Http.StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
                Assert.Equal(200, (int)answer.StatusCode);
            }
            Assert.Equal(1, simulator.State.GetStats().Logouts);
            using AcefoneSession session = Sessions.ForSimulator(simulator, login: true);
            await session.GetUsersAsync();

            foreach (object[] spelling in AuthSpellings())
                Assert.Throws<AcefoneException>(() => new AcefoneRestRequest("POST", (string)spelling[0]));

            Assert.Equal(1, simulator.State.GetStats().Logouts);
            AcefoneRestResponse users = await session.InvokeRestAsync(new AcefoneRestRequest("GET", "/v1/users"));
            Assert.Equal(200, users.StatusCode);
        }
    }
}
