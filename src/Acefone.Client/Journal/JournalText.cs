using System.Globalization;

namespace Acefone.Client
{
    /// <summary>What the journal tells a person about a row it will not send again.</summary>
    internal static class JournalText
    {
        /// <summary>The AlreadySent error for a row the journal shows as sent: what the journal says, and when.</summary>
        internal static AcefoneException AlreadySent(string journal, CallActionRequest request, JournalRecord earlier)
        {
            string when = earlier.Time.HasValue ? " at " + earlier.Time.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : string.Empty;
            string what;
            switch (earlier.State)
            {
                case JournalState.Succeeded:
                    what = $"succeeded{when}";
                    break;
                case JournalState.Sending:
                    what = $"was sent{when} with no outcome recorded (that run was stopped or killed before the answer)";
                    break;
                default:
                    what = $"has an unknown outcome{when}" + (earlier.ErrorId != null ? $" ({earlier.ErrorId})" : string.Empty) + ": the API may have acted on it";
                    break;
            }
            return new AcefoneException(AcefoneErrorKind.AlreadySent,
                $"{request.Describe()}: the journal '{journal}' shows it {what}; it was not sent again. Check the call, then send it without this journal if it is still needed.")
            {
                CallId = request.CallId,
                Operation = (request as CallOptionRequest)?.Operation,
            };
        }
    }
}
