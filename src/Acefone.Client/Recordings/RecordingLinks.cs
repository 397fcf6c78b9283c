using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Acefone.Client
{
    /// <summary>
    /// Decisions about recording links: which host gets the session's token, how a link is shown, and what its
    /// file is called. Pure, so each rule is tested on its own.
    /// </summary>
    public static class RecordingLinks
    {
        private static readonly string[] KnownExtensions = { ".mp3", ".wav", ".ogg", ".opus", ".m4a", ".mp4", ".webm", ".gsm", ".amr", ".flac", ".aac", ".bin" };

        /// <summary>
        /// True only when the link's host and port are the session's API host, or one named in
        /// <paramref name="tokenHosts"/> ("host" for the scheme's default port, "host:port" exactly), and the link is
        /// https (or http to loopback). Every other host gets no Authorization header.
        /// </summary>
        public static bool ShouldSendToken(Uri url, Uri apiBaseUri, IEnumerable<string>? tokenHosts)
        {
            if (url == null) throw new ArgumentNullException(nameof(url));
            if (apiBaseUri == null) throw new ArgumentNullException(nameof(apiBaseUri));
            if (!url.IsAbsoluteUri) return false;
            bool secure = string.Equals(url.Scheme, "https", StringComparison.OrdinalIgnoreCase) ||
                          (string.Equals(url.Scheme, "http", StringComparison.OrdinalIgnoreCase) && TransportPolicy.IsLoopbackHost(url.Host));
            if (!secure) return false;
            if (string.Equals(url.Scheme, apiBaseUri.Scheme, StringComparison.OrdinalIgnoreCase) &&
                string.Equals(url.Host, apiBaseUri.Host, StringComparison.OrdinalIgnoreCase) && url.Port == apiBaseUri.Port)
                return true;
            if (tokenHosts == null) return false;
            foreach (string entry in tokenHosts)
            {
                if (string.IsNullOrWhiteSpace(entry)) continue;
                string host = entry.Trim();
                int port = url.Port;   // an entry without a port names the default one only (below)
                int colon = host.LastIndexOf(':');
                if (colon > 0 && host.IndexOf(']') < colon && int.TryParse(host.Substring(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int given))
                {
                    port = given;
                    host = host.Substring(0, colon);
                }
                else if (!url.IsDefaultPort)
                {
                    continue;
                }
                if (string.Equals(host.Trim('[', ']'), url.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase) && port == url.Port) return true;
            }
            return false;
        }

        /// <summary>The link with every query value replaced by *** (live links carry a token of their own there).</summary>
        public static string Redact(Uri url)
        {
            if (url == null) throw new ArgumentNullException(nameof(url));
            if (!url.IsAbsoluteUri) return SecretRedactor.Mask;
            string left = url.GetLeftPart(UriPartial.Path);
            string query = url.Query.TrimStart('?');
            if (query.Length == 0) return left;
            var text = new StringBuilder(left).Append('?');
            string[] pairs = query.Split('&');
            for (int i = 0; i < pairs.Length; i++)
            {
                if (i > 0) text.Append('&');
                int equals = pairs[i].IndexOf('=');
                text.Append(equals < 0 ? pairs[i] : pairs[i].Substring(0, equals)).Append('=').Append(SecretRedactor.Mask);
            }
            return text.ToString();
        }

        /// <summary>The query values of a link, as secrets for <see cref="SecretRedactor"/>.</summary>
        internal static string[] QuerySecrets(Uri url)
        {
            if (!url.IsAbsoluteUri || url.Query.Length <= 1) return Array.Empty<string>();
            var secrets = new List<string>();
            foreach (string pair in url.Query.TrimStart('?').Split('&'))
            {
                int equals = pair.IndexOf('=');
                if (equals < 0 || equals == pair.Length - 1) continue;
                string raw = pair.Substring(equals + 1);
                secrets.Add(raw);
                string decoded = Uri.UnescapeDataString(raw.Replace('+', ' '));
                if (decoded != raw) secrets.Add(decoded);
            }
            // Longest first, so a value that contains another is masked whole.
            secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
            return secrets.ToArray();
        }

        /// <summary>
        /// "20261102-140322_1788265388.67524": start time (account time) and call id, safe on every file system; never
        /// anything from the link. Only ASCII letters, digits, '.', '-' and '_'; no leading or trailing dot (Windows
        /// drops trailing dots and spaces, so two ids could name one file); never a name Windows reserves for a device
        /// (CON, PRN, AUX, NUL, COM0-9, LPT0-9, with or without an extension), which gets a leading '_'.
        /// </summary>
        public static string FileBaseName(string callId, DateTimeOffset? startedAt)
        {
            var safe = new StringBuilder();
            foreach (char c in (callId ?? string.Empty).Trim())
                // Stryker disable once Equality : equivalent, char 128 is a control character, never a letter or digit
                safe.Append(char.IsLetterOrDigit(c) && c < 128 || c == '.' || c == '-' || c == '_' ? c : '_');
            string id = safe.ToString();
            // Stryker disable once Equality : equivalent, cutting 120 characters to 120 changes nothing
            if (id.Length > 120) id = id.Substring(0, 120);
            id = id.Trim('.');
            if (id.Length == 0) id = "call";
            string name = startedAt.HasValue ? startedAt.Value.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "_" + id : id;
            return IsWindowsDeviceName(name) ? "_" + name : name;
        }

        /// <summary>Whether Windows opens a device instead of a file for this name: its part before the first dot (trailing spaces ignored) is CON, PRN, AUX, NUL, COM0-9 or LPT0-9, in any case.</summary>
        public static bool IsWindowsDeviceName(string name)
        {
            if (name == null) throw new ArgumentNullException(nameof(name));
            int dot = name.IndexOf('.');
            // Stryker disable once Equality : equivalent, a name starting with '.' has no device stem either way
            string stem = (dot >= 0 ? name.Substring(0, dot) : name).TrimEnd(' ').ToUpperInvariant();
            switch (stem)
            {
                case "CON": case "PRN": case "AUX": case "NUL": case "CONIN$": case "CONOUT$":
                    return true;
            }
            return stem.Length == 4 && (stem.StartsWith("COM", StringComparison.Ordinal) || stem.StartsWith("LPT", StringComparison.Ordinal)) &&
                   ((stem[3] >= '0' && stem[3] <= '9') || stem[3] == '\u00B9' || stem[3] == '\u00B2' || stem[3] == '\u00B3');
        }

        /// <summary>The extension for a content type: .mp3, .wav, .ogg, ...; .bin when it names no audio format known here.</summary>
        public static string ExtensionFor(string? contentType)
        {
            switch ((contentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant())
            {
                case "audio/mpeg": case "audio/mp3": case "audio/mpeg3": case "audio/x-mpeg-3": return ".mp3";
                case "audio/wav": case "audio/x-wav": case "audio/wave": case "audio/vnd.wave": return ".wav";
                case "audio/ogg": case "application/ogg": return ".ogg";
                case "audio/opus": return ".opus";
                case "audio/mp4": case "audio/x-m4a": case "audio/m4a": return ".m4a";
                case "video/mp4": return ".mp4";
                case "audio/webm": return ".webm";
                case "audio/gsm": case "audio/x-gsm": return ".gsm";
                case "audio/amr": return ".amr";
                case "audio/flac": case "audio/x-flac": return ".flac";
                case "audio/aac": return ".aac";
                default: return ".bin";
            }
        }

        internal static IReadOnlyList<string> Extensions => KnownExtensions;
    }
}
