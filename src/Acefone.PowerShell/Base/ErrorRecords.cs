using System;
using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>Engine errors as ErrorRecords: the error kind is the ErrorId, documented in about_Acefone_Errors.</summary>
    internal static class ErrorRecords
    {
        internal const string NotConnected = "NotConnected";
        internal const string UnexpectedError = "UnexpectedError";

        /// <param name="exception">The engine's error; its kind is the ErrorId.</param>
        /// <param name="target">The TargetObject: what a re-run would bind.</param>
        /// <param name="row">For piped input, the row number to put in front of the message (input errors carry their own).</param>
        internal static ErrorRecord From(AcefoneException exception, object? target, long? row = null)
        {
            string message = row.HasValue && !(exception is AcefoneInputException) ? $"Row {row.Value}: {exception.Message}" : exception.Message;
            return new ErrorRecord(exception, exception.Kind.ToString(), Category(exception.Kind), target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = exception.RecommendedAction ?? RecommendedAction(exception) },
            };
        }

        internal static ErrorRecord Unexpected(Exception exception, object? target) =>
            new ErrorRecord(exception, UnexpectedError, ErrorCategory.NotSpecified, target);

        internal static ErrorRecord NotConnectedRecord() =>
            new ErrorRecord(new InvalidOperationException("No Acefone session. " + AcefoneEnvironment.HowToConnect),
                NotConnected, ErrorCategory.ConnectionError, null)
            {
                ErrorDetails = new ErrorDetails("No Acefone session. " + AcefoneEnvironment.HowToConnect)
                {
                    RecommendedAction = "Connect-Acefone -AccessToken (Read-Host -AsSecureString) -Region India",
                },
            };

        internal static ErrorCategory Category(AcefoneErrorKind kind)
        {
            switch (kind)
            {
                case AcefoneErrorKind.InvalidInput: return ErrorCategory.InvalidArgument;
                case AcefoneErrorKind.CallNotActive: return ErrorCategory.ObjectNotFound;
                case AcefoneErrorKind.Rejected: return ErrorCategory.InvalidOperation;
                case AcefoneErrorKind.InvalidRequest: return ErrorCategory.InvalidArgument;
                case AcefoneErrorKind.Forbidden: return ErrorCategory.PermissionDenied;
                case AcefoneErrorKind.NotFound: return ErrorCategory.ObjectNotFound;
                case AcefoneErrorKind.RateLimited: return ErrorCategory.LimitsExceeded;
                case AcefoneErrorKind.ServerError: return ErrorCategory.ResourceUnavailable;
                case AcefoneErrorKind.OutcomeUnknown: return ErrorCategory.OperationTimeout;
                case AcefoneErrorKind.AuthenticationFailed: return ErrorCategory.AuthenticationError;
                case AcefoneErrorKind.NetworkError: return ErrorCategory.ConnectionError;
                case AcefoneErrorKind.InvalidResponse: return ErrorCategory.InvalidResult;
                case AcefoneErrorKind.ProxyAuthenticationRequired: return ErrorCategory.AuthenticationError;
                case AcefoneErrorKind.InsecureBaseUri: return ErrorCategory.SecurityError;
                case AcefoneErrorKind.AlreadySent: return ErrorCategory.ResourceExists;
                default: return ErrorCategory.NotSpecified;
            }
        }

        internal static string RecommendedAction(AcefoneException exception)
        {
            switch (exception.Kind)
            {
                // Only a piped row's input error carries a row number; any other came from one call's parameters or settings.
                case AcefoneErrorKind.InvalidInput:
                    return exception is AcefoneInputException { RowNumber: not null }
                        ? "Correct the named field in this row and run the row again."
                        : "Correct the named parameter and run the command again; nothing was sent.";
                case AcefoneErrorKind.CallNotActive: return "The call has ended. List live calls with Get-AcefoneLiveCall.";
                case AcefoneErrorKind.Rejected: return "Read the API's message: the agent may be busy or offline, or the destination wrong.";
                case AcefoneErrorKind.InvalidRequest: return "Read the API's message; the request's fields did not pass its checks.";
                case AcefoneErrorKind.Forbidden: return "Check the account's permissions and that -Region or -BaseUri matches the account.";
                case AcefoneErrorKind.NotFound: return "Check the id.";
                case AcefoneErrorKind.RateLimited: return "Run again later, with a lower -ThrottleLimit or Connect-Acefone -MaxRequestsPerSecond.";
                case AcefoneErrorKind.ServerError: return "Check the call's state before running this row again.";
                case AcefoneErrorKind.OutcomeUnknown: return "Check the call's state (Get-AcefoneLiveCall) before sending this row again: it may have been acted on.";
                case AcefoneErrorKind.AuthenticationFailed: return "Connect again with a valid token or credential.";
                case AcefoneErrorKind.NetworkError: return "Check the network, proxy and base URI, then run the row again; nothing was sent.";
                case AcefoneErrorKind.InvalidResponse: return "Check the base URI and proxy; if it persists, report the answer shown in the exception's ResponseBody.";
                case AcefoneErrorKind.ProxyAuthenticationRequired: return "Connect-Acefone -Proxy <uri> -ProxyCredential <PSCredential>, or -ProxyUseDefaultCredentials.";
                case AcefoneErrorKind.InsecureBaseUri: return "Use an https base URI (plain http is only for loopback test servers).";
                case AcefoneErrorKind.AlreadySent: return "Check the call (Get-AcefoneLiveCall); send the row again only without this journal, and only if it is still needed.";
                default: return string.Empty;
            }
        }
    }
}
