using System;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>A request's side of auth alone, and the one-way wiring of sender, token manager and pipeline.</summary>
    public class RequestAuthorizationTests
    {
        private static readonly TokenLease SessionToken = new TokenLease("session-token", DateTimeOffset.UnixEpoch, null);
        private static readonly TokenLease OwnToken = new TokenLease("own-token", DateTimeOffset.UnixEpoch, null);

        private sealed class FakeTokens : ISessionTokens
        {
            internal FakeTokens(bool canRenew) => CanRenew = canRenew;
            internal int Gets { get; private set; }
            public bool CanRenew { get; }

            public Task<TokenLease> GetAsync(IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
            {
                Gets++;
                return Task.FromResult(SessionToken);
            }

            public Task RenewAfterUnauthorizedAsync(TokenLease used, IAcefoneRequestObserver? observer, CancellationToken cancellationToken) =>
                throw new InvalidOperationException("not renewed here");
        }

        private static ApiRequest Request(string auth) => new ApiRequest(HttpMethod.Get, "v1/x")
        {
            Auth = (RequestAuth)Enum.Parse(typeof(RequestAuth), auth),
            ExplicitToken = OwnToken,
        };

        [Theory]
        [InlineData("Session", "session-token", 1)]
        [InlineData("Explicit", "own-token", 0)]
        [InlineData("None", null, 0)]
        public async Task A_request_goes_with_the_session_token_its_own_or_none(string auth, string? expected, int gets)
        {
            var tokens = new FakeTokens(canRenew: true);
            TokenLease? token = await RequestAuthorization.TokenForAsync(Request(auth), tokens, null, CancellationToken.None);
            Assert.Equal(expected, token?.Value);
            Assert.Equal(gets, tokens.Gets);
        }

        [Fact]
        public async Task A_session_request_without_a_token_manager_is_a_bug_not_a_request_without_a_token()
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => RequestAuthorization.TokenForAsync(Request("Session"), null, null, CancellationToken.None));
        }

        [Theory]
        // auth, renewed already, tokens (none / renewable / console), token sent, may renew
        [InlineData("Session", false, "renewable", true, true)]
        [InlineData("Session", true, "renewable", true, false)]
        [InlineData("Session", false, "console", true, false)]
        [InlineData("Session", false, "none", true, false)]
        [InlineData("Session", false, "renewable", false, false)]
        [InlineData("Explicit", false, "renewable", true, false)]
        [InlineData("None", false, "renewable", true, false)]
        public void A_401_renews_only_a_renewable_session_token_once(string auth, bool renewed, string tokens, bool tokenSent, bool expected)
        {
            ISessionTokens? manager = tokens == "none" ? null : new FakeTokens(tokens == "renewable");
            Assert.Equal(expected, RequestAuthorization.MayRenewAfterUnauthorized(Request(auth), renewed, manager, tokenSent ? SessionToken : null));
        }

        [Fact]
        public void The_bearer_scheme_puts_the_token_after_Bearer()
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/");
            RequestAuthorization.Apply(message, SessionToken, AcefoneAuthScheme.Bearer);
            Assert.Equal("Bearer", message.Headers.Authorization!.Scheme);
            Assert.Equal("session-token", message.Headers.Authorization.Parameter);
            Assert.Equal("Bearer session-token", Assert.Single(message.Headers.GetValues("Authorization")));
        }

        [Fact]
        public void The_raw_scheme_sends_the_token_as_it_is()
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/");
            RequestAuthorization.Apply(message, SessionToken, AcefoneAuthScheme.Raw);
            Assert.Equal("session-token", Assert.Single(message.Headers.GetValues("Authorization")));
        }

        [Theory]
        [InlineData("abc def", 4, "a space")]
        [InlineData("abc\u00e9", 4, "a non-ASCII character (U+00E9)")]
        [InlineData("\u200babc", 1, "an invisible character (U+200B)")]
        [InlineData("ab\ncd", 3, "a control character (U+000A)")]
        public void A_token_a_header_cannot_carry_is_refused_by_position_never_shown(string value, int position, string described)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/");
            var error = Assert.Throws<AcefoneException>(() => RequestAuthorization.Apply(message, new TokenLease(value, DateTimeOffset.UnixEpoch, null), AcefoneAuthScheme.Bearer));
            Assert.Equal(AcefoneErrorKind.AuthenticationFailed, error.Kind);
            Assert.Equal($"the token has {described} at position {position}, which cannot go in a request header; nothing was sent.", error.Message);
            Assert.False(message.Headers.Contains("Authorization"));
        }

        [Fact]
        public void Nothing_points_back_the_token_manager_sends_through_its_own_sender_and_the_pipeline_is_built_on_both()
        {
            const BindingFlags all = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
            Assert.DoesNotContain(typeof(TokenManager).GetFields(all), f => f.FieldType == typeof(AuthorizedSender));
            Assert.Contains(typeof(TokenManager).GetFields(all), f => f.FieldType == typeof(RequestSender));
            Assert.DoesNotContain(typeof(RequestSender).GetFields(all), f => typeof(ISessionTokens).IsAssignableFrom(f.FieldType) || f.FieldType == typeof(AuthorizedSender));
            // Built in one go: no token manager set after construction.
            PropertyInfo tokens = typeof(AuthorizedSender).GetProperty("Tokens", all)!;
            Assert.Null(tokens.SetMethod);
            Assert.Contains(typeof(AuthorizedSender).GetConstructors(all), c => c.GetParameters().Select(p => p.ParameterType).SequenceEqual(new[] { typeof(RequestSender), typeof(TokenManager) }));
        }
    }
}
