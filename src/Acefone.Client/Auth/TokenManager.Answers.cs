using System;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>Reading a login or refresh answer: the token, its expiry (expires_in, else the JWT's exp), a throttled login.</summary>
    internal sealed partial class TokenManager
    {
        private TokenLease ReadToken(ApiRequest request, ApiResponse response)
        {
            if (response.StatusCode == 429 && request.Path == "v1/auth/login")
                throw Throttled(request, response);
            if (!response.IsSuccessStatus && response.StatusCode != 401 && response.StatusCode != 403)
                throw ResponseErrors.ForStatus(request, response);

            string? message = null;
            if (response.Length > 0)
            {
                try
                {
                    using (JsonDocument document = ResponseJson.Parse(response.Body, response.Length))
                    {
                        JsonElement root = document.RootElement;
                        if (root.ValueKind == JsonValueKind.Object)
                        {
                            message = ResponseJson.ReadMessage(root);
                            string? token = ResponseJson.ReadText(root, "access_token");
                            if (response.IsSuccessStatus && ResponseJson.ReadSuccess(root) != false && !string.IsNullOrWhiteSpace(token))
                            {
                                token = token!.Trim();
                                int bad = TokenText.FindNonHeaderCharacter(token);
                                if (bad >= 0)
                                    throw ResponseErrors.Create(request, response, AcefoneErrorKind.InvalidResponse,
                                        $"the API's token has {TokenText.DescribeCharacter(token[bad])} at position {bad + 1}, so it cannot go in a request header.", null, null, RequestReach.AnswerUnreadable);
                                DateTimeOffset now = _time.GetUtcNow();
                                return new TokenLease(token, now, ReadExpiry(root, token, now));
                            }
                            long? failures = ResponseJson.ReadInt64(root, "login_failed_count");
                            if (failures.HasValue) message = $"{message} (failed logins so far: {failures.Value})";
                        }
                    }
                }
                catch (AcefoneException) when (!response.IsSuccessStatus)
                {
                    // An unreadable 401 body still means the credential was refused.
                }
            }
            throw _sender.Secrets.Scrub(new AcefoneException(AcefoneErrorKind.AuthenticationFailed,
                $"{request.Subject} failed: {message ?? "the API returned no token"} (HTTP {response.StatusCode}). Check the credential; repeated failures can lock the account." +
                (CanRenew && request.Path == "v1/auth/login" ? " This session will not log in again with it: run Connect-Acefone with the right credential." : string.Empty))
            {
                StatusCode = response.StatusCode,
                ServerMessage = message,
                Attempts = response.Attempts,
                Request = request.Display,
            });
        }

        /// <summary>expires_in when it is a sane number of seconds; else the JWT's exp; else unknown (never an exception).</summary>
        private static DateTimeOffset? ReadExpiry(JsonElement root, string token, DateTimeOffset now)
        {
            long? expiresIn = ResponseJson.ReadInt64(root, "expires_in");
            if (expiresIn.HasValue && expiresIn.Value > 0 && expiresIn.Value <= MaxLifetimeSeconds && now <= DateTimeOffset.MaxValue.AddSeconds(-expiresIn.Value))
                return now.AddSeconds(expiresIn.Value);
            return ReadJwtExpiry(token);
        }

        private AcefoneException Throttled(ApiRequest request, ApiResponse response)
        {
            string? message = ResponseJson.TryReadMessage(response.Body, response.Length);
            string waited = response.Attempts > 1 ? " after the session waited once as the API asked" : string.Empty;
            string asked = response.RetryAfter.HasValue
                ? $" The API asked to wait {RetryAfter.Describe(response.RetryAfter.Value)}" + (response.RetryAfter.Value > RetryAfter.Cap ? $", longer than the {RetryAfter.Describe(RetryAfter.Cap)} this module waits" : string.Empty) + "; this session does not log in again before then."
                : $" This session does not log in again for {RetryAfter.Describe(ThrottledWithoutTime)}.";
            AcefoneException error = ResponseErrors.Create(request, response, AcefoneErrorKind.RateLimited,
                $"the API throttled the login (429){waited}.{asked} Repeated logins can lock the account.", message);
            error.RetryAfter = response.RetryAfter;
            return error;
        }

        /// <summary>Console tokens are JWTs; their exp claim tells when they end, for Get-AcefoneSession to show.</summary>
        internal static DateTimeOffset? ReadJwtExpiry(string token)
        {
            try
            {
                long? exp = JwtClaims.ReadValue(token, payload => ResponseJson.ReadInt64(payload, "exp"));
                return exp.HasValue ? DateTimeOffset.FromUnixTimeSeconds(exp.Value) : (DateTimeOffset?)null;
            }
            catch (Exception ex) when (ex is ArgumentException || ex is InvalidOperationException || ex is AcefoneException)
            {
                return null;   // an exp that is not a number, or out of range: no expiry to show
            }
        }
    }
}
