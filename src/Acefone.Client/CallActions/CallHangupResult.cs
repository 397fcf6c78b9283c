using System;

namespace Acefone.Client
{
    /// <summary>A hangup the API accepted. Flat, so Export-Csv writes it as one row.</summary>
    // Not sealed: the cmdlets add the input row to it, hidden from views and CSV.
    public class CallHangupResult
    {
        public CallHangupResult(string callId, bool success, string? message, int statusCode, DateTime timestamp)
        {
            CallId = callId;
            Success = success;
            Message = message;
            StatusCode = statusCode;
            Timestamp = timestamp;
        }

        /// <summary>A copy of <paramref name="other"/>, for a type that adds to it.</summary>
        protected CallHangupResult(CallHangupResult other)
            : this((other ?? throw new ArgumentNullException(nameof(other))).CallId, other.Success, other.Message, other.StatusCode, other.Timestamp)
        {
            RequestId = other.RequestId;
        }

        public string CallId { get; }
        public bool Success { get; }
        public string? Message { get; }
        public int StatusCode { get; }
        /// <summary>When the answer arrived, in UTC.</summary>
        public DateTime Timestamp { get; }
        /// <summary><see cref="Timestamp"/> as ISO 8601 in UTC ("2026-12-02T05:54:53.123Z"): what Export-Csv writes the same in every culture.</summary>
        public string TimestampIso8601 => Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        /// <summary>The API's id for this request when its answer gives one (request_id), for a support case; else null.</summary>
        public string? RequestId { get; internal set; }

        public override string ToString() => $"Hangup {CallId}: {Message}";
    }
}
