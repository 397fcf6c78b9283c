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

    /// <summary>
    /// The secrets of one session: the token in use, the ones it replaced (a server may still echo those) and the
    /// password, each also as JSON, URL-encoded and JWT-segment forms. Every text the engine lets out passes here.
    /// </summary>
    internal sealed class SessionSecrets
    {
        private const int TokensKept = 4;
        private readonly object _lock = new object();
        private readonly List<string> _tokens = new List<string>();
        private string[] _password = Array.Empty<string>();
        private string[] _forms = Array.Empty<string>();

        internal void SetPassword(string password)
        {
            lock (_lock)
            {
                _password = FormsOf(password, false);
                Rebuild();
            }
        }

        /// <summary>Remembers a token; the oldest beyond a few are forgotten (the newest are the ones still echoed).</summary>
        internal void AddToken(string token)
        {
            if (string.IsNullOrEmpty(token)) return;
            lock (_lock)
            {
                if (_tokens.Contains(token)) return;
                _tokens.Add(token);
                if (_tokens.Count > TokensKept) _tokens.RemoveAt(0);
                Rebuild();
            }
        }

        internal string Redact(string? text) => SecretRedactor.Redact(text, Volatile.Read(ref _forms));

        internal string? RedactOrNull(string? text) => text == null ? null : Redact(text);

        /// <summary>The exception as it may leave the engine: message, API text and inner exceptions without secrets.</summary>
        internal AcefoneException Scrub(AcefoneException exception) => exception.WithTextRedacted(Redact);

        private void Rebuild()
        {
            var forms = new List<string>(_password);
            foreach (string token in _tokens) forms.AddRange(FormsOf(token, true));
            // Longest first, so a form that contains another is masked whole.
            forms.Sort((a, b) => b.Length.CompareTo(a.Length));
            Volatile.Write(ref _forms, forms.ToArray());
        }

        private static string[] FormsOf(string secret, bool isToken)
        {
            var forms = new List<string> { secret };
            void Add(string? form)
            {
                // Stryker disable once Logical,Equality : equivalent, Redact skips forms under four characters, and a form added twice masks nothing more
                if (!string.IsNullOrEmpty(form) && form!.Length >= 4 && !forms.Contains(form)) forms.Add(form);
            }
            // As JSON would quote it: minimal escapes, PHP's (which also escape '/'), and System.Text.Json's.
            string minimal = secret.Replace("\\", "\\\\").Replace("\"", "\\\"");
            Add(minimal);
            Add(minimal.Replace("/", "\\/"));
            Add(System.Text.Json.JsonEncodedText.Encode(secret).ToString());
            Add(Uri.EscapeDataString(secret));
            if (isToken)
            {
                // A JWT's payload and signature identify it on their own (the header is the same in every token).
                string[] parts = secret.Split('.');
                if (parts.Length == 3)
                {
                    if (parts[1].Length >= 16) Add(parts[1]);
                    if (parts[2].Length >= 16) Add(parts[2]);
                }
            }
            return forms.ToArray();
        }
    }

    /// <summary>Stands in for an inner exception whose text held a secret: its type and redacted message, nothing else.</summary>
    public sealed class AcefoneRedactedException : Exception
    {
        internal AcefoneRedactedException(string originalType, string message, Exception? inner)
            : base(message, inner)
        {
            OriginalType = originalType;
        }

        /// <summary>The full name of the exception this replaces.</summary>
        public string OriginalType { get; }
    }
}
