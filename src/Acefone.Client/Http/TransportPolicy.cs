using System;
using System.Net;

namespace Acefone.Client
{
    /// <summary>
    /// Which base URIs a session may use. Decided from the URI's text alone, before any connection or name
    /// lookup: https anywhere; plain http only to loopback (127.0.0.0/8, ::1, localhost).
    /// </summary>
    public static class TransportPolicy
    {
        public static void EnsureAllowed(Uri baseUri)
        {
            if (baseUri == null) throw new ArgumentNullException(nameof(baseUri));
            if (!baseUri.IsAbsoluteUri)
                throw Refuse(baseUri, "is not an absolute URI (expected e.g. https://api.acefone.in).");
            if (!string.IsNullOrEmpty(baseUri.UserInfo))
                throw Refuse(baseUri, "carries a user name or password; pass secrets with -Credential or -AccessToken instead.");
            if (!string.IsNullOrEmpty(baseUri.Query) || !string.IsNullOrEmpty(baseUri.Fragment))
                throw Refuse(baseUri, "has a query string or fragment; give only scheme, host, port and path.");
            if (string.Equals(baseUri.Scheme, "https", StringComparison.OrdinalIgnoreCase)) return;
            if (string.Equals(baseUri.Scheme, "http", StringComparison.OrdinalIgnoreCase))
            {
                if (IsLoopbackHost(baseUri.Host)) return;
                throw Refuse(baseUri, "uses plain http to a host that is not loopback; the token would cross the network unencrypted. Use https.");
            }
            throw Refuse(baseUri, $"uses the scheme '{baseUri.Scheme}'; only https (or http to loopback) is allowed.");
        }

        /// <summary>True for localhost, 127.0.0.0/8 and ::1, by the text alone (no name lookup).</summary>
        public static bool IsLoopbackHost(string host)
        {
            if (string.IsNullOrEmpty(host)) return false;
            string trimmed = host.TrimEnd('.');
            if (string.Equals(trimmed, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
            string literal = trimmed.StartsWith("[", StringComparison.Ordinal) && trimmed.EndsWith("]", StringComparison.Ordinal)
                ? trimmed.Substring(1, trimmed.Length - 2)
                : trimmed;
            // Only dotted-quad or IPv6 literals count: IPAddress.TryParse would also accept forms like "127.1" or "2130706433".
            if (literal.IndexOf(':') < 0 && literal.Split('.').Length != 4) return false;
            return IPAddress.TryParse(literal, out IPAddress? address) && IPAddress.IsLoopback(address);
        }

        private static AcefoneException Refuse(Uri uri, string reason) =>
            new AcefoneException(AcefoneErrorKind.InsecureBaseUri, $"The base URI '{uri.OriginalString}' {reason}");
    }
}
