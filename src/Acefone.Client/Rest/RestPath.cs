using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text;

namespace Acefone.Client
{
    /// <summary>Splits and checks -Path, and encodes queries.</summary>
    internal static class RestPath
    {
        internal static (string Relative, string? Query) Split(string? path)
        {
            string text = (path ?? string.Empty).Trim();
            if (text.Length == 0) throw Refuse(path, "is empty; give a path such as /v1/users.");
            foreach (char c in text)
            {
                if (char.IsControl(c) || char.IsWhiteSpace(c))
                    throw Refuse(path, "holds white space or a control character; encode it (%20) or pass values with -Query.");
            }
            if (text.IndexOf("://", StringComparison.Ordinal) >= 0 || text.StartsWith("//", StringComparison.Ordinal) || text.StartsWith("\\", StringComparison.Ordinal) ||
                (Uri.TryCreate(text, UriKind.Absolute, out Uri? absolute) && !text.StartsWith("/", StringComparison.Ordinal) && absolute.Scheme.Length > 1))
            {
                string host = Uri.TryCreate(text.StartsWith("//", StringComparison.Ordinal) ? "https:" + text : text, UriKind.Absolute, out Uri? uri) ? uri.Host : "?";
                throw Refuse(path, $"is an absolute URL (host '{host}'); only a path relative to the session's base URI is sent, so the session's token never goes to another host. Give the path alone, e.g. /v1/users.");
            }
            if (text.IndexOf('#') >= 0) throw Refuse(path, "has a fragment (#); leave it out.");
            if (text.IndexOf('\\') >= 0) throw Refuse(path, "holds a backslash; use / between segments.");
            string? query = null;
            int mark = text.IndexOf('?');
            if (mark >= 0)
            {
                query = text.Substring(mark + 1);
                text = text.Substring(0, mark);
                if (query.Length == 0) query = null;
            }
            string relative = text.TrimStart('/');
            // Read as the server will (decoded, '//' merged, any case, ...): see ServerPath.
            IReadOnlyList<string>? segments = ServerPath.Segments(relative, out string? problem);
            if (segments == null) throw Refuse(path, problem!);
            // The session owns its tokens: a refresh here would revoke the session's token and write the new one out.
            if (ServerPath.StartsWith(segments, "v1/auth"))
                throw Refuse(path, "is one of the login routes, which the session manages itself (Connect-Acefone logs in and refreshes, Disconnect-Acefone logs out).");
            return (relative, query);
        }

        internal static string? EncodeQuery(string? existing, IEnumerable<KeyValuePair<string, object?>>? parameters)
        {
            var text = new StringBuilder(existing ?? string.Empty);
            if (parameters != null)
            {
                foreach (KeyValuePair<string, object?> parameter in parameters)
                {
                    if (string.IsNullOrWhiteSpace(parameter.Key))
                        throw new AcefoneException(AcefoneErrorKind.InvalidInput, "A query parameter has an empty name; nothing was sent.");
                    if (parameter.Value is IEnumerable list && !(parameter.Value is string))
                    {
                        foreach (object? item in list) Append(text, parameter.Key, item);
                    }
                    else
                    {
                        Append(text, parameter.Key, parameter.Value);
                    }
                }
            }
            return text.Length == 0 ? null : text.ToString();
        }

        private static void Append(StringBuilder text, string name, object? value)
        {
            if (value == null) return;
            if (text.Length > 0) text.Append('&');
            text.Append(Uri.EscapeDataString(name.Trim())).Append('=').Append(Uri.EscapeDataString(Format(value)));
        }

        internal static string Format(object value)
        {
            switch (value)
            {
                case bool flag: return flag ? "true" : "false";
                // The API's own date format (account-local wall-clock time).
                case DateTime time: return time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                case DateTimeOffset moment: return moment.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                case IFormattable formattable: return formattable.ToString(null, CultureInfo.InvariantCulture);
                default: return value.ToString() ?? string.Empty;
            }
        }

        private static AcefoneException Refuse(string? path, string reason) =>
            new AcefoneException(AcefoneErrorKind.InvalidInput, $"The path {InputRules.Display(path, 120)} {reason} Nothing was sent.");
    }
}
