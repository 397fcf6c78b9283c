using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using System.Threading;

namespace Acefone.Client
{
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
}
