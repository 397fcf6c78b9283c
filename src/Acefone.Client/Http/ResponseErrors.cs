using System;

namespace Acefone.Client
{
    /// <summary>Turns an HTTP status and the API's message into the module's error kinds.</summary>
    internal static class ResponseErrors
    {
        /// <summary>Said for a 407, whether it answered the request itself (http) or the CONNECT for an https tunnel.</summary>
        internal const string ProxyAuthenticationRequired =
            "the proxy requires authentication, or refused the credentials given (407): pass -ProxyCredential or -ProxyUseDefaultCredentials to Connect-Acefone.";

        internal static AcefoneException ForStatus(ApiRequest request, ApiResponse response)
        {
            int status = response.StatusCode;
            string? serverMessage = ResponseJson.TryReadMessage(response.Body, response.Length);
            AcefoneErrorKind kind;
            string what;
            if (status == 401)
            {
                kind = AcefoneErrorKind.AuthenticationFailed;
                what = request.Auth != RequestAuth.Session ? "the API refused the token (401)."
                    : response.TokenRenewed ? "the API refused the token (401) and a fresh one did not help: connect again."
                    // A console token is never renewed: nothing was retried, and only a new token or another scheme can help.
                    : "the API refused the access token (401); a console token cannot be renewed by the module. Issue a new token in the Acefone console (API Connect, API Tokens) and connect again, and check Connect-Acefone -AuthScheme (Bearer, or Raw for accounts that take the token without a scheme).";
            }
            else if (status == 403)
            {
                kind = AcefoneErrorKind.Forbidden;
                what = "forbidden (403). The account may lack the permission, or the route may not exist for this account's region (the API gateway answers 403 for unknown routes): check -Region or -BaseUri.";
            }
            else if (status == 404)
            {
                kind = AcefoneErrorKind.NotFound;
                what = "not found (404).";
            }
            else if (status == 407)
            {
                kind = AcefoneErrorKind.ProxyAuthenticationRequired;
                what = ProxyAuthenticationRequired;
            }
            else if (status == 422 && serverMessage != null && serverMessage.IndexOf("Invalid Call ID", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                kind = AcefoneErrorKind.CallNotActive;
                what = "the call is not active: it has ended, or the id is not a live call id (422).";
            }
            else if (status == 429 && response.RetryAfter > RetryAfter.Cap)
            {
                kind = AcefoneErrorKind.RateLimited;
                what = $"rate limited (429): the API asked to wait {RetryAfter.Describe(response.RetryAfter!.Value)}, longer than the {RetryAfter.Describe(RetryAfter.Cap)} this module waits, so it was not resent and the rest of the run was not paused.";
            }
            else if (status == 429)
            {
                kind = AcefoneErrorKind.RateLimited;
                what = $"still rate limited (429) after {response.Attempts} attempts" +
                    // Stryker disable once String : message wording (the closing full stop)
                    (response.RetryAfter.HasValue ? $"; the API last asked to wait {RetryAfter.Describe(response.RetryAfter.Value)}." : ".");
            }
            else if (status == 503 && response.RetryAfter > RetryAfter.Cap)
            {
                kind = AcefoneErrorKind.ServerError;
                what = $"the service is unavailable (503) and asked to wait {RetryAfter.Describe(response.RetryAfter!.Value)}, longer than the {RetryAfter.Describe(RetryAfter.Cap)} this module waits; nothing was processed and it was not resent.";
            }
            else if (status >= 500)
            {
                kind = AcefoneErrorKind.ServerError;
                what = status == 503
                    ? $"the service stayed unavailable (503) over {response.Attempts} attempts; nothing was processed."
                    : $"the API failed with {status}; it may or may not have acted (a {status} is not resent).";
            }
            else if (status >= 400)
            {
                kind = AcefoneErrorKind.InvalidRequest;
                what = $"the API refused the request as invalid ({status}).";
            }
            // 400 and above took the branch before ("&& status < 400" here was dead code, found by mutation testing).
            else if (status >= 300)
            {
                kind = AcefoneErrorKind.InvalidResponse;
                what = $"the API redirected ({status}) to '{response.Location}'; redirects are not followed, so the token never goes elsewhere.";
            }
            else
            {
                kind = AcefoneErrorKind.InvalidResponse;
                what = $"unexpected answer {status}.";
            }
            AcefoneException error = Create(request, response, kind, what, serverMessage);
            error.RetryAfter = response.RetryAfter;
            return error;
        }

        /// <summary>
        /// The one failure builder: "Subject: what", with the request's operation, call id, status and attempts. The caller
        /// redacts (the sender scrubs every error it throws; <see cref="Create"/> redacts what the API said). How far the
        /// request got is recorded with it: from that, the kind and the status, <see cref="Outcome"/> decides MayHaveActed.
        /// </summary>
        internal static AcefoneException Failure(ApiRequest request, AcefoneErrorKind kind, string what, int? status, int attempts, Exception? inner, RequestReach reach)
        {
            var error = new AcefoneException(kind, $"{request.Subject ?? request.Display}: {what}", inner)
            {
                Operation = request.Operation,
                CallId = request.CallId,
                StatusCode = status,
                Attempts = attempts,
                Request = request.Display,
            };
            return Outcome.Record(error, reach, request.Idempotent);
        }

        /// <summary>The error for an answer that arrived: <see cref="RequestReach.AnswerUnreadable"/> when it does not say what happened.</summary>
        internal static AcefoneException Create(ApiRequest request, ApiResponse response, AcefoneErrorKind kind, string what, string? serverMessage, Exception? inner = null,
            RequestReach reach = RequestReach.Answered)
        {
            // Redact before cutting: a secret cut in half by the display limit would no longer be recognised.
            Func<string?, string> redact = response.Secrets != null ? (Func<string?, string>)response.Secrets.Redact : text => SecretRedactor.Redact(text);
            serverMessage = serverMessage == null ? null : redact(serverMessage);
            string text = serverMessage == null ? what : $"{what} The API said: {InputRules.Display(serverMessage, 200)}";
            AcefoneException error = Failure(request, kind, text, response.StatusCode, response.Attempts, inner, reach);
            error.ServerMessage = serverMessage;
            error.ResponseBody = SecretRedactor.Truncate(redact(response.TextStart(4096)), 2048);
            error.RetryAfter = response.RetryAfter;
            return response.Secrets != null ? response.Secrets.Scrub(error) : error.WithTextRedacted(t => SecretRedactor.Redact(t));
        }
    }
}
