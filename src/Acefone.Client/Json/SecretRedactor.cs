using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using System.Threading;

namespace Acefone.Client
{
    /// <summary>Removes secrets from text that Debug output or an error may show.</summary>
    internal static class SecretRedactor
    {
        internal const string Mask = "***";

        private static readonly Regex SecretFields = new Regex(
            "(\"(?:password|access_token|token|refresh_token|secret|api_key|authorization)\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        // JWT-shaped strings, wherever they appear.
        // Stryker disable once Bitwise : equivalent, without IgnoreCase CultureInvariant changes no match, and Compiled only speed
        private static readonly Regex Jwt = new Regex(
            "eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*",
            RegexOptions.CultureInvariant | RegexOptions.Compiled);

        // Issue 15: links with a token of their own in the query (recording_url in call records), wherever they appear.
        private static readonly Regex QueryTokens = new Regex(
            @"((?:[?&]|\\u0026)(?:token|access_token|auth|key|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token)=)[^&""'\\\s<>]+",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        // What follows a scheme in an echoed header ("Authorization=Bearer abc", "bearer: abc"), whatever the token looks like.
        private static readonly Regex BearerValue = new Regex(
            "(\\bBearer[\\s:=]+)[^\\s\"',;&<>]{16,}",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        internal static string Redact(string? text, params string?[] knownSecrets) => Redact(text, (IEnumerable<string?>)knownSecrets);

        internal static string Redact(string? text, IEnumerable<string?> knownSecrets)
        {
            if (string.IsNullOrEmpty(text)) return string.Empty;
            string result = text!;
            // Known secrets first: the patterns below could cut one in half and leave the rest readable.
            foreach (string? secret in knownSecrets)
            {
                if (!string.IsNullOrEmpty(secret) && secret!.Length >= 4 && result.IndexOf(secret, StringComparison.Ordinal) >= 0)
                    result = result.Replace(secret, Mask);
            }
            result = SecretFields.Replace(result, "$1\"" + Mask + "\"");
            result = Jwt.Replace(result, Mask);
            result = BearerValue.Replace(result, "$1" + Mask);
            result = QueryTokens.Replace(result, "$1" + Mask);
            return result;
        }

        internal static string Truncate(string text, int max) =>
            text.Length <= max ? text : text.Substring(0, max) + $"... ({text.Length} characters)";
    }
}
