using System;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Acefone.Client
{
    /// <summary>
    /// How long the API asked a client to wait: a Retry-After header (seconds or an HTTP date), or the retry_after
    /// field of a throttled login ("YYYY-MM-DD HH:MM:SS" in the account's time zone, or seconds).
    /// </summary>
    internal static class RetryAfter
    {
        /// <summary>The longest wait honoured; a longer one fails the request at once and pauses nothing.</summary>
        internal static readonly TimeSpan Cap = TimeSpan.FromMinutes(2);

        internal static TimeSpan? FromHeader(HttpResponseMessage response, DateTimeOffset now) => FromHeader(response.Headers.RetryAfter, now);

        /// <summary>The header as parsed (null when absent or unreadable) against <paramref name="now"/> from the session's clock.</summary>
        internal static TimeSpan? FromHeader(RetryConditionHeaderValue? header, DateTimeOffset now)
        {
            if (header == null) return null;
            if (header.Delta.HasValue) return header.Delta.Value < TimeSpan.Zero ? TimeSpan.Zero : header.Delta.Value;
            if (header.Date.HasValue)
            {
                TimeSpan wait = header.Date.Value - now;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
            return null;
        }

        /// <summary>retry_after in a JSON object body, or null when there is none or it cannot be read.</summary>
        internal static TimeSpan? FromBody(byte[] body, int length, TimeSpan accountOffset, DateTimeOffset now)
        {
            if (length == 0) return null;
            try
            {
                using (JsonDocument document = ResponseJson.Parse(body, length))
                {
                    if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
                    string? text = ResponseJson.ReadText(document.RootElement, "retry_after")?.Trim();
                    if (string.IsNullOrEmpty(text)) return null;
                    if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
                        return seconds > 0 && seconds < TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
                    if (DateTime.TryParseExact(text, new[] { "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss" }, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime local))
                    {
                        TimeSpan wait = new DateTimeOffset(local, accountOffset) - now;
                        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
                    }
                    if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset absolute))
                    {
                        TimeSpan wait = absolute - now;
                        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
                    }
                    return null;
                }
            }
            catch (AcefoneException)
            {
                return null;
            }
        }

        /// <summary>
        /// The account's UTC offset, which the API's local datetimes are in: India for the India, Smartflo and Servetel
        /// hosts (and for a base URI, whose region is unknown), London's for the UK.
        /// </summary>
        internal static TimeSpan AccountOffset(AcefoneRegion? region, DateTimeOffset now)
        {
            if (region == AcefoneRegion.UK || region == AcefoneRegion.UKLegacy)
            {
                foreach (string id in new[] { "Europe/London", "GMT Standard Time" })
                {
                    try
                    {
                        return TimeZoneInfo.FindSystemTimeZoneById(id).GetUtcOffset(now);
                    }
                    catch (Exception ex) when (ex is TimeZoneNotFoundException || ex is InvalidTimeZoneException)
                    {
                    }
                }
                return TimeSpan.Zero;
            }
            return TimeSpan.FromMinutes(330);
        }

        /// <summary>"3600 s (1 h)": seconds always, and a rounder unit once it is long.</summary>
        internal static string Describe(TimeSpan wait)
        {
            double seconds = Math.Ceiling(wait.TotalSeconds);
            string text = seconds.ToString("0", CultureInfo.InvariantCulture) + " s";
            if (wait >= TimeSpan.FromDays(2)) return text + $" ({wait.TotalDays.ToString("0.#", CultureInfo.InvariantCulture)} days)";
            if (wait >= TimeSpan.FromHours(1)) return text + $" ({wait.TotalHours.ToString("0.#", CultureInfo.InvariantCulture)} h)";
            if (wait >= TimeSpan.FromMinutes(2)) return text + $" ({wait.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min)";
            return text;
        }
    }
}
