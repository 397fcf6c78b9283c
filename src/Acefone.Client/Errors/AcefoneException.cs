using System;

namespace Acefone.Client
{
    /// <summary>Every failure the engine reports: what was being done, to which call, and what the API said.</summary>
    public class AcefoneException : Exception
    {
        public AcefoneException(AcefoneErrorKind kind, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            Kind = kind;
        }

        public AcefoneErrorKind Kind { get; }
        public CallOperation? Operation { get; internal set; }
        public string? CallId { get; internal set; }
        /// <summary>The HTTP status, or null when no answer arrived.</summary>
        public int? StatusCode { get; internal set; }
        /// <summary>The API's own message, when it sent one.</summary>
        public string? ServerMessage { get; internal set; }
        /// <summary>The start of the answer's body (at most 2 KB, secrets redacted), for diagnosis.</summary>
        public string? ResponseBody { get; internal set; }
        /// <summary>How many times the request was sent.</summary>
        public int Attempts { get; internal set; }
        /// <summary>The method and path of the request that failed, e.g. "POST /v1/call/options".</summary>
        public string? Request { get; internal set; }
    }

    /// <summary>Input that failed validation before anything was sent.</summary>
    public sealed class AcefoneInputException : AcefoneException
    {
        private readonly string _reason;

        public AcefoneInputException(InputField field, string? value, string reason)
            : base(AcefoneErrorKind.InvalidInput, reason)
        {
            Field = field;
            Value = value;
            _reason = reason;
        }

        public InputField Field { get; }
        /// <summary>The field's name as the API and CSV headers spell it (call_id, agent_id, intercom, type).</summary>
        public string FieldName => InputRules.ApiName(Field);
        public string? Value { get; }
        /// <summary>The input row (1 for the first object piped in), when the caller knows it.</summary>
        public long? RowNumber { get; internal set; }

        public override string Message =>
            (RowNumber.HasValue ? $"Row {RowNumber.Value}: " : string.Empty) +
            $"{FieldName} {InputRules.Display(Value)} {_reason} Nothing was sent for this row.";

        public AcefoneInputException WithRow(long rowNumber)
        {
            var copy = new AcefoneInputException(Field, Value, _reason) { RowNumber = rowNumber };
            return copy;
        }
    }
}
