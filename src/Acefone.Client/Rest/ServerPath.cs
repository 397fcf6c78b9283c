using System;
using System.Collections.Generic;
using System.Text;

namespace Acefone.Client
{
    /// <summary>
    /// A request path as the server will see it, so a guard on it holds against every spelling. Servers, gateways and
    /// .NET itself decode percent-escapes, treat '\' as '/', merge '//' and resolve dot segments, compare routes
    /// case-insensitively (IIS) and drop ';params' (Java servers) or trailing dots and spaces (Windows): a guard that
    /// reads the path as typed is passed by any of those. Decoding is done once; a path that is still encoded after
    /// that (%25xx), or that encodes a separator (/ \ ? # ;), is refused instead of read, because how many times a
    /// chain of gateway and application decodes, and whether an encoded separator separates, differs between servers.
    /// </summary>
    internal static class ServerPath
    {
        private const string Separators = "/\\?#;";
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

        /// <summary>
        /// The path's segments as a server reads them: decoded, lower-case, without empty segments, ';params' or
        /// trailing dots and spaces. Null with <paramref name="problem"/> set when the path cannot be read one way only.
        /// </summary>
        /// <param name="path">The path without its query, relative or starting with '/'.</param>
        /// <param name="problem">Why the path is refused, as the end of a sentence starting "The path ...".</param>
        internal static IReadOnlyList<string>? Segments(string path, out string? problem)
        {
            string? decoded = DecodeOnce(path, out problem);
            if (decoded == null) return null;
            var segments = new List<string>();
            foreach (string raw in decoded.Split('/'))
            {
                if (raw.Length == 0) continue;
                int parameters = raw.IndexOf(';');
                string segment = parameters >= 0 ? raw.Substring(0, parameters) : raw;
                if (segment == "." || segment == ".." || (segment.Length > 0 && segment.TrimEnd('.', ' ').Length == 0))
                {
                    problem = "has a '.' or '..' segment, which could leave the base URI's path.";
                    return null;
                }
                segment = segment.TrimEnd('.', ' ');
                if (segment.Length > 0) segments.Add(segment.ToLowerInvariant());
            }
            return segments;
        }

        /// <summary>Whether <paramref name="segments"/> start with <paramref name="prefix"/> ("v1/auth"), segment by segment.</summary>
        internal static bool StartsWith(IReadOnlyList<string> segments, string prefix)
        {
            string[] wanted = prefix.ToLowerInvariant().Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            if (segments.Count < wanted.Length) return false;
            for (int i = 0; i < wanted.Length; i++)
            {
                if (!string.Equals(segments[i], wanted[i], StringComparison.Ordinal)) return false;
            }
            return true;
        }

        /// <summary>Percent-decodes once (UTF-8); null when the result would still be read differently by another server.</summary>
        private static string? DecodeOnce(string path, out string? problem)
        {
            problem = null;
            var bytes = new List<byte>(path.Length);
            var encodedSeparator = false;
            int literal = 0;
            for (int i = 0; i < path.Length; i++)
            {
                if (path[i] == '%' && i + 2 < path.Length && IsHex(path[i + 1]) && IsHex(path[i + 2]))
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(path.Substring(literal, i - literal)));
                    byte value = (byte)(HexValue(path[i + 1]) * 16 + HexValue(path[i + 2]));
                    if (Separators.IndexOf((char)value) >= 0) encodedSeparator = true;
                    bytes.Add(value);
                    i += 2;
                    literal = i + 1;
                }
            }
            bytes.AddRange(Encoding.UTF8.GetBytes(path.Substring(literal)));
            string decoded;
            try
            {
                decoded = StrictUtf8.GetString(bytes.ToArray());
            }
            catch (DecoderFallbackException)
            {
                problem = "holds percent-escapes that are not UTF-8 text, which servers read in different ways.";
                return null;
            }
            if (encodedSeparator)
            {
                problem = "encodes a separator (%2F, %5C, %3F, %23 or %3B), which some servers decode into one; write '/' plainly, or pass values with -Query.";
                return null;
            }
            for (int i = 0; i < decoded.Length; i++)
            {
                if (char.IsControl(decoded[i]))
                {
                    problem = "encodes a control character.";
                    return null;
                }
                if (decoded[i] == '%' && i + 2 < decoded.Length && IsHex(decoded[i + 1]) && IsHex(decoded[i + 2]))
                {
                    problem = "is still percent-encoded after decoding (%25 followed by hex digits), and servers differ in how often they decode.";
                    return null;
                }
            }
            return decoded;
        }

        private static bool IsHex(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

        private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }
}
