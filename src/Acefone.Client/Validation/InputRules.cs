using System;
using System.Collections.Generic;
using System.Text;

namespace Acefone.Client
{
    /// <summary>
    /// What a row may hold. Surrounding white space is trimmed everywhere; the rest is strict, because a
    /// value that is almost right (a look-alike digit, a stray separator) would reach a live customer call.
    /// </summary>
    internal static class InputRules
    {
        internal const int MaxCallIdLength = 128;
        internal const int MaxAgentIdLength = 32;
        internal const int MaxDestinationLength = 20;
        internal const int MaxDestinations = 10;

        internal static string ApiName(InputField field)
        {
            switch (field)
            {
                case InputField.Type: return "type";
                case InputField.CallId: return "call_id";
                case InputField.AgentId: return "agent_id";
                default: return "intercom";
            }
        }

        internal static bool IsBlank(string? value) => value == null || value.Trim().Length == 0;

        /// <summary>Opaque: never validated beyond non-empty, printable and of sane length (real ids carry prefixes).</summary>
        internal static string CallId(string? value)
        {
            if (IsBlank(value))
                throw new AcefoneInputException(InputField.CallId, value, "is required: the call_id of a live call (from Get-AcefoneLiveCall).");
            string trimmed = value!.Trim();
            if (trimmed.Length > MaxCallIdLength)
                throw new AcefoneInputException(InputField.CallId, value, $"is {trimmed.Length} characters long; a call id has at most {MaxCallIdLength}.");
            if (HasControlCharacter(trimmed))
                throw new AcefoneInputException(InputField.CallId, value, "contains a control character (such as a line break).");
            return trimmed;
        }

        internal static string AgentId(string value)
        {
            string trimmed = value.Trim();
            if (trimmed.Length > MaxAgentIdLength)
                throw new AcefoneInputException(InputField.AgentId, value, $"is {trimmed.Length} characters long; an agent id has at most {MaxAgentIdLength} digits.");
            if (!IsAsciiDigits(trimmed, 0))
                throw new AcefoneInputException(InputField.AgentId, value, "is not valid: an agent id is digits 0-9 only, kept as text (e.g. 0502842370097).");
            return trimmed;
        }

        internal static string Destination(string value)
        {
            string trimmed = value.Trim();
            if (trimmed.Length > MaxDestinationLength)
                throw new AcefoneInputException(InputField.Intercom, value, $"is {trimmed.Length} characters long; a destination has at most {MaxDestinationLength}.");
            int start = trimmed.StartsWith("+", StringComparison.Ordinal) ? 1 : 0;
            if (!IsAsciiDigits(trimmed, start))
                throw new AcefoneInputException(InputField.Intercom, value, "is not valid: a destination is digits 0-9 (a leading + allowed): a mobile number, an extension or a department intercom.");
            return trimmed;
        }

        /// <summary>Several destinations may arrive as array items or as one comma-separated cell (as results write them).</summary>
        internal static List<string> SplitDestinations(IEnumerable<string?>? values)
        {
            var list = new List<string>();
            if (values == null) return list;
            foreach (string? value in values)
            {
                if (IsBlank(value)) continue;
                foreach (string piece in value!.Split(','))
                {
                    if (piece.Trim().Length > 0) list.Add(piece);
                }
            }
            if (list.Count > MaxDestinations)
                throw new AcefoneInputException(InputField.Intercom, string.Join(",", list), $"lists {list.Count} destinations; at most {MaxDestinations} are allowed.");
            return list;
        }

        private static bool IsAsciiDigits(string text, int start)
        {
            if (text.Length <= start) return false;
            for (int i = start; i < text.Length; i++)
            {
                if (text[i] < '0' || text[i] > '9') return false;
            }
            return true;
        }

        private static bool HasControlCharacter(string text)
        {
            foreach (char c in text)
            {
                if (char.IsControl(c) || c == '\u2028' || c == '\u2029') return true;
            }
            return false;
        }

        /// <summary>A value as an error message may show it: short, quoted, control characters made visible.</summary>
        internal static string Display(string? value, int maxLength = 40)
        {
            if (value == null) return "(none)";
            var builder = new StringBuilder("'");
            int shown = 0;
            foreach (char c in value)
            {
                if (shown >= maxLength) break;
                if (c == '\r') builder.Append("\\r");
                else if (c == '\n') builder.Append("\\n");
                else if (c == '\t') builder.Append("\\t");
                else if (char.IsControl(c) || c == '\u2028' || c == '\u2029') builder.Append("\\u").Append(((int)c).ToString("x4"));
                else builder.Append(c);
                shown++;
            }
            builder.Append('\'');
            if (value.Length > maxLength) builder.Append($"... ({value.Length} characters)");
            return builder.ToString();
        }
    }
}
