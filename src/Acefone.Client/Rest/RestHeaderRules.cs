using System;

namespace Acefone.Client
{
    /// <summary>
    /// Which request headers a caller may add to an <see cref="AcefoneRestRequest"/>. The session owns its auth header
    /// (a second Authorization would send another identity's token, or leak the session's to a proxy) and HTTP owns
    /// framing (Host, Content-Length, Transfer-Encoding, ...): those are refused before anything is sent. Errors name
    /// the header, never its value, which may be a secret.
    /// </summary>
    internal static class RestHeaderRules
    {
        private static readonly string[] Owned =
        {
            "Authorization", "Proxy-Authorization", "Host", "Content-Length", "Content-Type", "Transfer-Encoding",
            "Connection", "Keep-Alive", "Proxy-Connection", "Upgrade", "TE", "Trailer", "Expect", "Cookie2",
        };

        internal static AcefoneException? Problem(string? name, string? value)
        {
            string shown = InputRules.Display(name, 60);
            if (string.IsNullOrWhiteSpace(name))
                return Refuse("A header has an empty name.");
            foreach (char c in name!)
            {
                // RFC 9110 token characters only: anything else could split or smuggle a header.
                if (c <= ' ' || c >= 127 || "\"(),/:;<=>?@[\\]{}".IndexOf(c) >= 0)
                    return Refuse($"The header name {shown} holds a character a header name cannot have.");
            }
            foreach (string owned in Owned)
            {
                if (string.Equals(owned, name, StringComparison.OrdinalIgnoreCase))
                    return Refuse(string.Equals(owned, "Authorization", StringComparison.OrdinalIgnoreCase) || string.Equals(owned, "Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
                        ? $"The header {owned} is the session's own: the session sends its token itself (Connect-Acefone), and a second identity is never sent with it. Leave it out of -Headers."
                        : string.Equals(owned, "Content-Type", StringComparison.OrdinalIgnoreCase)
                            ? "The header Content-Type is set by the module (a body is sent as application/json). Leave it out of -Headers."
                            : $"The header {owned} is set by the module or HTTP itself. Leave it out of -Headers.");
            }
            if (value != null)
            {
                foreach (char c in value)
                {
                    if (c == '\r' || c == '\n' || c == '\0')
                        return Refuse($"The value of the header {shown} holds a line break or NUL, which would start another header (value not shown).");
                }
            }
            return null;
        }

        private static AcefoneException Refuse(string what) =>
            new AcefoneException(AcefoneErrorKind.InvalidInput, what + " Nothing was sent.");
    }
}
