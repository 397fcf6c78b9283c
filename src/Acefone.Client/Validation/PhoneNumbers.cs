using System.Text;

namespace Acefone.Client
{
    /// <summary>A number as it will be sent, and what cleaning changed (null when the value went out as given).</summary>
    public readonly struct CleanedNumber
    {
        internal CleanedNumber(string value, string? change)
        {
            Value = value;
            Change = change;
        }

        public string Value { get; }
        /// <summary>"'+91 98765-43210' sent as '919876543210' (removed the leading +, spaces, '-')", or null.</summary>
        public string? Change { get; }
    }

    /// <summary>
    /// The numbers click-to-call takes. Live clients found a leading + refused in destination_number, so numbers go
    /// out as bare digits; the separators a spreadsheet adds (spaces, '-', '.', brackets) are removed, and the change is
    /// said, never made silently. Anything else that is not a digit is an error naming the field: a look-alike digit
    /// or a letter would ring the wrong person.
    /// </summary>
    internal static class PhoneNumbers
    {
        internal const int MinDestinationDigits = 10;
        internal const int MaxDestinationDigits = 15;
        internal const int MaxAgentNumberDigits = 20;

        internal static CleanedNumber Clean(InputField field, string? value, int minDigits, int maxDigits, string what)
        {
            if (InputRules.IsBlank(value))
                throw new AcefoneInputException(field, value, $"is required: {what}.");
            string trimmed = value!.Trim();
            var digits = new StringBuilder(trimmed.Length);
            bool plus = false, separators = false;
            for (int i = 0; i < trimmed.Length; i++)
            {
                char c = trimmed[i];
                if (c >= '0' && c <= '9') digits.Append(c);
                else if (c == '+' && i == 0) plus = true;
                else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '\u00a0') separators = true;
                else
                    throw new AcefoneInputException(field, value,
                        $"is not a number: only digits 0-9 are sent (a leading + and spaces, '-', '.', brackets are removed); found {InputRules.Display(c.ToString())}.");
            }
            if (digits.Length < minDigits || digits.Length > maxDigits)
                throw new AcefoneInputException(field, value,
                    $"has {digits.Length} digits; {what} has {minDigits}-{maxDigits} digits (country code included, no leading +).");
            string clean = digits.ToString();
            if (clean == trimmed) return new CleanedNumber(clean, null);
            string removed = plus && separators ? "the leading + and separators" : plus ? "the leading +" : "separators";
            return new CleanedNumber(clean, $"{InputRules.ApiName(field)} '{trimmed}' sent as '{clean}' (removed {removed})");
        }

        internal static CleanedNumber Destination(string? value) =>
            Clean(InputField.DestinationNumber, value, MinDestinationDigits, MaxDestinationDigits, "the customer's number");

        /// <summary>An agent id, intercom, extension or DID: short intercoms are numbers too.</summary>
        internal static CleanedNumber AgentNumber(string? value) =>
            Clean(InputField.AgentNumber, value, 2, MaxAgentNumberDigits, "the agent's id, intercom, extension or number");

        internal static CleanedNumber? CallerId(string? value) =>
            InputRules.IsBlank(value) ? (CleanedNumber?)null : Clean(InputField.CallerId, value, 3, MaxDestinationDigits, "a caller id (one of the account's DIDs)");
    }
}
