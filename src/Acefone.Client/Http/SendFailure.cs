using System;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Authentication;

namespace Acefone.Client
{
    /// <summary>
    /// Tells a failure that happened before the request left this machine (safe to resend) from one after it
    /// may have reached the API (never resent: a transfer or barge must not act twice).
    /// </summary>
    internal static class SendFailure
    {
        internal static bool RequestNeverLeft(Exception exception)
        {
            for (Exception? current = exception; current != null; current = current.InnerException)
            {
                // .NET 8+ says it directly; netstandard2.0 cannot name the property, so read it by reflection.
                string? error = HttpRequestError(current);
                if (error == "NameResolutionError" || error == "ConnectionError" || error == "SecureConnectionError" || error == "ProxyTunnelError")
                    return true;
                if (error == "ResponseEnded" || error == "InvalidResponse" || error == "HttpProtocolError")
                    return false;

                if (current is SocketException socket)
                    return IsConnectFailure(socket.SocketErrorCode);
                if (current is WebException web)
                    return web.Status == WebExceptionStatus.ConnectFailure || web.Status == WebExceptionStatus.NameResolutionFailure ||
                           web.Status == WebExceptionStatus.ProxyNameResolutionFailure || web.Status == WebExceptionStatus.TrustFailure ||
                           web.Status == WebExceptionStatus.SecureChannelFailure;
                if (current is AuthenticationException)
                    return true;
            }
            return false;
        }

        /// <summary>
        /// A 407 to the CONNECT of an https tunnel arrives as an exception, not a response: without this it would
        /// look like a network failure and be retried, when only credentials can cure it.
        /// </summary>
        internal static bool IsProxyAuthenticationRequired(Exception exception)
        {
            for (Exception? current = exception; current != null; current = current.InnerException)
            {
                // HttpRequestException.StatusCode (.NET 5+), by reflection for netstandard2.0.
                object? status = current.GetType().GetProperty("StatusCode", BindingFlags.Public | BindingFlags.Instance)?.GetValue(current);
                if (status is HttpStatusCode code && code == HttpStatusCode.ProxyAuthenticationRequired) return true;
                if (current is WebException web && web.Response is HttpWebResponse response && response.StatusCode == HttpStatusCode.ProxyAuthenticationRequired)
                    return true;
                if (HttpRequestError(current) == "ProxyTunnelError" && current.Message.IndexOf("407", StringComparison.Ordinal) >= 0)
                    return true;
            }
            return false;
        }

        private static bool IsConnectFailure(SocketError code) =>
            code == SocketError.ConnectionRefused || code == SocketError.HostNotFound || code == SocketError.HostUnreachable ||
            code == SocketError.NetworkUnreachable || code == SocketError.TryAgain || code == SocketError.NoData ||
            code == SocketError.AddressNotAvailable || code == SocketError.AddressFamilyNotSupported;

        private static string? HttpRequestError(Exception exception)
        {
            PropertyInfo? property = exception.GetType().GetProperty("HttpRequestError", BindingFlags.Public | BindingFlags.Instance);
            if (property == null) return null;
            // "Unknown" needs no mapping: it matches none of the names the callers test, so the chain is read on.
            return property.GetValue(exception)?.ToString();
        }
    }
}
