namespace Acefone.Client
{
    /// <summary>What a token header can carry (printable ASCII, no space), and how a character it cannot is named without showing the token.</summary>
    internal static class TokenText
    {
        /// <summary>The index of the first character that cannot be in a token header value (printable ASCII, no space), or -1.</summary>
        internal static int FindNonHeaderCharacter(string value)
        {
            for (int i = 0; i < value.Length; i++)
            {
                if (value[i] < 0x21 || value[i] > 0x7E) return i;
            }
            return -1;
        }

        internal static string DescribeCharacter(char c)
        {
            string code = "U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
            if (c == ' ') return "a space";
            if (char.IsControl(c)) return $"a control character ({code})";
            if (char.IsWhiteSpace(c) || System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
                return $"an invisible character ({code})";
            return $"a non-ASCII character ({code})";
        }
    }
}
