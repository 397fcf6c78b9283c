using System;

namespace Acefone.Client
{
    public static class CallOperations
    {
        /// <summary>Monitor, Whisper and Barge act for a supervisor and need an agent id; Transfer needs a destination.</summary>
        public static bool RequiresAgent(CallOperation operation) => operation != CallOperation.Transfer;

        /// <summary>
        /// Reads an operation as a person or a CSV writes it: a name in any letter case or 1-4,
        /// surrounding white space ignored. Anything else (including "0", "5", look-alike letters) fails.
        /// </summary>
        public static bool TryParse(string? text, out CallOperation operation)
        {
            operation = default;
            if (text == null) return false;
            string trimmed = text.Trim();
            switch (trimmed)
            {
                case "1": operation = CallOperation.Monitor; return true;
                case "2": operation = CallOperation.Whisper; return true;
                case "3": operation = CallOperation.Barge; return true;
                case "4": operation = CallOperation.Transfer; return true;
            }
            foreach (CallOperation candidate in new[] { CallOperation.Monitor, CallOperation.Whisper, CallOperation.Barge, CallOperation.Transfer })
            {
                if (string.Equals(trimmed, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    operation = candidate;
                    return true;
                }
            }
            return false;
        }
    }
}
