using System;

namespace Acefone.Client
{
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

        internal override AcefoneException WithTextRedacted(System.Func<string?, string> redact) => this;

        internal override AcefoneException Copy() => new AcefoneInputException(Field, Value, _reason) { RowNumber = RowNumber };

        public AcefoneInputException WithRow(long rowNumber)
        {
            var copy = new AcefoneInputException(Field, Value, _reason) { RowNumber = rowNumber };
            return copy;
        }
    }
}
