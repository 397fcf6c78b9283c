namespace Acefone.Client
{
    /// <summary>
    /// Why a request failed. The names are stable: the PowerShell cmdlets use them as ErrorIds and
    /// about_Acefone_Errors documents each one.
    /// </summary>
    public enum AcefoneErrorKind
    {
        /// <summary>Our own validation refused the input; nothing was sent.</summary>
        InvalidInput,
        /// <summary>422 "Invalid Call ID": the call has ended or the id is not a live call id.</summary>
        CallNotActive,
        /// <summary>HTTP 200 with success false: the API refused the operation (e.g. the agent is not available).</summary>
        Rejected,
        /// <summary>Another 400 or 422: the API found the request malformed.</summary>
        InvalidRequest,
        /// <summary>403: not allowed, or (from the API gateway) no such route for this account's region.</summary>
        Forbidden,
        /// <summary>The API answered that the item asked for does not exist.</summary>
        NotFound,
        /// <summary>429 after every allowed retry.</summary>
        RateLimited,
        /// <summary>5xx (503 after every allowed retry).</summary>
        ServerError,
        /// <summary>The request may have reached the API but no answer came (timeout, connection lost after sending). Not resent.</summary>
        OutcomeUnknown,
        /// <summary>401 that a fresh token cannot cure, or a failed login.</summary>
        AuthenticationFailed,
        /// <summary>The API could not be reached; nothing was processed.</summary>
        NetworkError,
        /// <summary>The answer could not be read (not JSON, truncated, too large, a redirect).</summary>
        InvalidResponse,
        /// <summary>407 from the proxy.</summary>
        ProxyAuthenticationRequired,
        /// <summary>The base URI breaks the transport policy (plain http to a non-loopback host, or not http/https).</summary>
        InsecureBaseUri,
        /// <summary>The run journal shows this row as sent by an earlier run (sending, unknown or succeeded); nothing was sent again.</summary>
        AlreadySent,
    }
}
