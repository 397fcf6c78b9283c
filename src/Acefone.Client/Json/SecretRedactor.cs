using System;
using System.Text.RegularExpressions;

namespace Acefone.Client
{
    /// <summary>Removes secrets from text that Debug output or an error may show.</summary>
    internal static class SecretRedactor
    {
        internal const string Mask = "***";

        private static readonly Regex SecretFields = new Regex(
            "(\"(?:password|access_token|token|refresh_token|secret|api_key)\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        // JWT-shaped strings, wherever they appear.
        private static readonly Regex Jwt = new Regex(
            "eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*",
            RegexOptions.CultureInvariant | RegexOptions.Compiled);

        // Issue 15: links with a token of their own in the query (recording_url in call records), wherever they appear.
        private static readonly Regex QueryTokens = new Regex(
            @"((?:[?&]|\\u0026)(?:token|access_token|auth|key|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token)=)[^&""'\\\s<>]+",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        internal static string Redact(string? text, params string?[] knownSecrets)
        {
            if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
            string result = SecretFields.Replace(text, "$1\"" + Mask + "\"");
            result = Jwt.Replace(result, Mask);
            result = QueryTokens.Replace(result, "$1" + Mask);
            foreach (string? secret in knownSecrets)
            {
                if (!string.IsNullOrEmpty(secret) && secret!.Length >= 4)
                    result = result.Replace(secret, Mask);
            }
            return result;
        }

        internal static string Truncate(string text, int max) =>
            text.Length <= max ? text : text.Substring(0, max) + $"... ({text.Length} characters)";
    }
}
