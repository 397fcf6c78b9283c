using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Acefone.Client
{
    /// <summary>
    /// Where a run went: the API's base URI and the account, as a line of the journal (issue 24 item 2). A journal
    /// reused against another account or API would skip every row as already sent; knowing its target, it refuses instead.
    /// The account is the login id, or for a console token its JWT subject, or else a fingerprint of the token: never the token.
    /// </summary>
    public sealed class JournalTarget : IEquatable<JournalTarget>
    {
        // A fixed context, so the fingerprint means nothing outside this use (and cannot be matched against a plain hash of the token).
        private const string FingerprintContext = "Acefone run journal target v1\n";

        internal JournalTarget(string baseUri, string account)
        {
            BaseUri = baseUri;
            Account = account;
        }

        /// <summary>The API's base URI, as the session sends to it ("https://api.acefone.in/").</summary>
        public string BaseUri { get; }

        /// <summary>"login:&lt;login id&gt;", "sub:&lt;the token's JWT subject&gt;" or "token:&lt;16 hex digits of a SHA-256 fingerprint&gt;".</summary>
        public string Account { get; }

        /// <summary>The target of <paramref name="session"/>'s requests.</summary>
        public static JournalTarget For(AcefoneSession session)
        {
            if (session == null) throw new ArgumentNullException(nameof(session));
            return new JournalTarget(session.BaseUri.AbsoluteUri, AccountOf(session.LoginId, session.Tokens.FixedAccessToken));
        }

        /// <summary>The account part: the login id (lower case), else the token's JWT subject, else the token's fingerprint.</summary>
        internal static string AccountOf(string? loginId, string? accessToken)
        {
            if (loginId != null) return "login:" + loginId.Trim().ToLowerInvariant();
            if (accessToken == null) return "unknown";
            string? subject = ReadJwtSubject(accessToken);
            return subject != null ? "sub:" + subject : "token:" + Fingerprint(accessToken);
        }

        /// <summary>The first 16 hex digits (64 bits) of SHA-256 over a fixed context and the token: tells tokens apart, reveals nothing.</summary>
        internal static string Fingerprint(string token)
        {
            using (SHA256 sha = SHA256.Create())
            {
                byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(FingerprintContext + token));
                var text = new StringBuilder(16);
                for (int i = 0; i < 8; i++) text.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
                return text.ToString();
            }
        }

        /// <summary>A JWT's "sub" claim (who the token is for; not a secret), or null for a token that is not a JWT or has none.</summary>
        internal static string? ReadJwtSubject(string token) =>
            JwtClaims.Read(token, payload =>
            {
                if (!payload.TryGetProperty("sub", out JsonElement sub)) return null;
                string? value = sub.ValueKind == JsonValueKind.String ? sub.GetString()
                    : sub.ValueKind == JsonValueKind.Number ? sub.GetRawText() : null;
                return string.IsNullOrWhiteSpace(value) ? null : value;
            });

        /// <summary>Writes the target line: "target" and "account" mark it; it has no "state", so it is never read as a row.</summary>
        internal void Write(Utf8JsonWriter writer, string run)
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", JournalLines.FormatVersion);
            writer.WriteString("time", DateTime.UtcNow);
            writer.WriteString("target", BaseUri);
            writer.WriteString("account", Account);
            writer.WriteString("module", JournalLines.Module);
            writer.WriteString("run", run);
            writer.WriteEndObject();
        }

        /// <summary>A target line as a target; null for any other line.</summary>
        internal static JournalTarget? Parse(string line)
        {
            if (line.IndexOf("\"target\"", StringComparison.Ordinal) < 0) return null;
            try
            {
                using (JsonDocument document = JsonDocument.Parse(line))
                {
                    JsonElement root = document.RootElement;
                    if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("state", out _)) return null;
                    if (!root.TryGetProperty("target", out JsonElement target) || target.ValueKind != JsonValueKind.String) return null;
                    if (!root.TryGetProperty("account", out JsonElement account) || account.ValueKind != JsonValueKind.String) return null;
                    return new JournalTarget(target.GetString()!, account.GetString()!);
                }
            }
            catch (JsonException)
            {
                return null;
            }
        }

        public bool Equals(JournalTarget? other) =>
            other != null && string.Equals(BaseUri, other.BaseUri, StringComparison.OrdinalIgnoreCase) && string.Equals(Account, other.Account, StringComparison.Ordinal);

        public override bool Equals(object? obj) => Equals(obj as JournalTarget);

        public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(BaseUri) ^ Account.GetHashCode();

        public override string ToString() => $"{BaseUri} as {Account}";
    }
}
