using System;
using System.Text;

namespace Acefone.Client
{
    /// <summary>Builds a query string of the given (non-blank) values, each URL-encoded.</summary>
    internal sealed class QueryBuilder
    {
        private readonly StringBuilder _text = new StringBuilder();

        internal void Add(string name, string? value)
        {
            if (string.IsNullOrWhiteSpace(value)) return;
            if (_text.Length > 0) _text.Append('&');
            _text.Append(name).Append('=').Append(Uri.EscapeDataString(value!.Trim()));
        }

        /// <summary>Null when no filter was given, so no '?' is sent.</summary>
        internal string? Text => _text.Length == 0 ? null : _text.ToString();
    }
}
