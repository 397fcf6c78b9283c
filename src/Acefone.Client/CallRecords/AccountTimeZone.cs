using System;
using System.Globalization;

namespace Acefone.Client
{
    /// <summary>
    /// The account's time zone, in which the API reads from_date/to_date and writes record times. The API does not
    /// say it: India-hosted accounts (India, Smartflo, Servetel) use India Standard Time (+05:30, no daylight saving);
    /// UK accounts use UK time (GMT, BST in summer), as the UK console shows times.
    /// </summary>
    public static class AccountTimeZone
    {
        // Stryker disable once String : display and standard names are text for people; the id and the offset are the zone
        public static readonly TimeZoneInfo IndiaStandardTime =
            TimeZoneInfo.CreateCustomTimeZone("India Standard Time", TimeSpan.FromMinutes(330), "(UTC+05:30) India Standard Time", "India Standard Time");

        public static TimeZoneInfo ForRegion(AcefoneRegion region) =>
            region == AcefoneRegion.UK || region == AcefoneRegion.UKLegacy ? UkTime() : IndiaStandardTime;

        /// <summary>The session's region, or the region whose host its base URI names; India otherwise.</summary>
        public static TimeZoneInfo ForSession(AcefoneSession session)
        {
            if (session == null) throw new ArgumentNullException(nameof(session));
            if (session.Region.HasValue) return ForRegion(session.Region.Value);
            foreach (AcefoneRegion region in new[] { AcefoneRegion.UK, AcefoneRegion.UKLegacy })
            {
                if (string.Equals(AcefoneRegions.GetBaseUri(region).Host, session.BaseUri.Host, StringComparison.OrdinalIgnoreCase)) return UkTime();
            }
            return IndiaStandardTime;
        }

        /// <summary>A zone by Windows or IANA id (India Standard Time, Asia/Kolkata, GMT Standard Time, Europe/London, UTC), or InvalidInput.</summary>
        public static TimeZoneInfo Find(string id)
        {
            string name = (id ?? string.Empty).Trim();
            switch (name.ToUpperInvariant())
            {
                case "INDIA STANDARD TIME": case "IST": case "ASIA/KOLKATA": case "ASIA/CALCUTTA": return IndiaStandardTime;
                case "UTC": case "ETC/UTC": case "Z": return TimeZoneInfo.Utc;
                case "GMT STANDARD TIME": case "EUROPE/LONDON": case "UK": return UkTime();
            }
            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(name);
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException || ex is InvalidTimeZoneException || ex is ArgumentException)
            {
                throw new AcefoneException(AcefoneErrorKind.InvalidInput,
                    $"The time zone {InputRules.Display(id)} is not known here; give a Windows or IANA id such as 'India Standard Time', 'Asia/Kolkata', 'Europe/London' or 'UTC'. Nothing was sent.", ex);
            }
        }

        private static TimeZoneInfo UkTime()
        {
            // Stryker disable once String : equivalent here, .NET with ICU finds UK time by either id; both are listed for hosts that know only one
            foreach (string id in new[] { "Europe/London", "GMT Standard Time" })
            {
                try
                {
                    return TimeZoneInfo.FindSystemTimeZoneById(id);
                }
                // Stryker disable once Logical : reached only on a host without either id, which this machine is not
                catch (Exception ex) when (ex is TimeZoneNotFoundException || ex is InvalidTimeZoneException)
                {
                }
            }
            return TimeZoneInfo.Utc;
        }

        /// <summary>A time as the account's wall clock shows it (Kind Unspecified is taken as that already).</summary>
        public static DateTime ToAccountTime(DateTime time, TimeZoneInfo zone)
        {
            switch (time.Kind)
            {
                case DateTimeKind.Utc: return DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(time, zone), DateTimeKind.Unspecified);
                case DateTimeKind.Local: return DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(time, TimeZoneInfo.Local, zone), DateTimeKind.Unspecified);
                default: return time;
            }
        }

        /// <summary>yyyy-MM-dd HH:mm:ss, the API's format.</summary>
        public static string Format(DateTime accountTime) => accountTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

        /// <summary>
        /// A record's start and end (account wall-clock times) with their offsets. Where the zone makes a time
        /// ambiguous (the hour the clocks go back), the record decides: of the readings of start and end, those where
        /// the call ends after it starts and, when the record says how long it lasted, whose length is closest to that
        /// duration. One start (and end) left: it is used. Several: the zone's standard offset, and Ambiguous says so,
        /// never a silent guess.
        /// </summary>
        internal static RecordTimes Resolve(DateTime startLocal, DateTime? endLocal, TimeSpan? duration, TimeZoneInfo zone)
        {
            DateTimeOffset[] starts = Readings(startLocal, zone);
            DateTimeOffset?[] ends = endLocal.HasValue ? Array.ConvertAll(Readings(endLocal.Value, zone), e => (DateTimeOffset?)e) : new DateTimeOffset?[] { null };
            if (starts.Length == 1 && ends.Length == 1) return new RecordTimes(starts[0], ends[0], false);

            // Every reading that makes sense, each with how far its length is from the stated duration.
            var fits = new System.Collections.Generic.List<(DateTimeOffset Start, DateTimeOffset? End, TimeSpan Miss)>();
            foreach (DateTimeOffset start in starts)
            {
                foreach (DateTimeOffset? end in ends)
                {
                    if (end.HasValue && end.Value < start) continue;
                    TimeSpan miss = end.HasValue && duration.HasValue ? (end.Value - start - duration.Value).Duration() : TimeSpan.Zero;
                    fits.Add((start, end, miss));
                }
            }
            TimeSpan best = TimeSpan.MaxValue;
            // Stryker disable once Equality : equivalent, an equal miss sets best to the same value
            foreach (var fit in fits) if (fit.Miss < best) best = fit.Miss;
            fits.RemoveAll(fit => fit.Miss > best);

            DateTimeOffset? startFound = Single(fits.ConvertAll(fit => (DateTimeOffset?)fit.Start));
            // Once one start is found every fit has it, so the fits' ends are that start's ends.
            DateTimeOffset? endFound = Single(fits.ConvertAll(fit => fit.End));
            // Stryker disable once Unary,Boolean : equivalent, without an end only an ambiguous start gets here, and no start is found then
            bool endDecided = !endLocal.HasValue || endFound.HasValue;
            return new RecordTimes(
                startFound ?? WithOffset(startLocal, zone),
                endLocal.HasValue ? endFound ?? WithOffset(endLocal.Value, zone) : (DateTimeOffset?)null,
                !startFound.HasValue || !endDecided);
        }

        /// <summary>The instants a wall-clock time can be: two in the hour the clocks go back, else one.</summary>
        private static DateTimeOffset[] Readings(DateTime local, TimeZoneInfo zone)
        {
            DateTime unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
            if (!zone.IsAmbiguousTime(unspecified)) return new[] { WithOffset(unspecified, zone) };
            TimeSpan[] offsets = zone.GetAmbiguousTimeOffsets(unspecified);
            return Array.ConvertAll(offsets, offset => new DateTimeOffset(unspecified, offset));
        }

        /// <summary>The one distinct value, or null when there are none or several.</summary>
        private static DateTimeOffset? Single(System.Collections.Generic.List<DateTimeOffset?> values)
        {
            DateTimeOffset? found = null;
            foreach (DateTimeOffset? value in values)
            {
                // Stryker disable once Statement : equivalent, the ends are all null (no end) or all set, and nulls alone leave found null
                if (!value.HasValue) continue;
                if (found.HasValue && found.Value.UtcDateTime != value.Value.UtcDateTime) return null;
                found = value;
            }
            return found;
        }

        /// <summary>An account wall-clock time with the zone's offset at that moment.</summary>
        public static DateTimeOffset WithOffset(DateTime accountTime, TimeZoneInfo zone)
        {
            DateTime unspecified = DateTime.SpecifyKind(accountTime, DateTimeKind.Unspecified);
            return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
        }
    }
}
