using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>The numbers click-to-call sends: bare digits, the separators a spreadsheet adds removed and said, each field's length.</summary>
    public class PhoneNumbersTests
    {
        [Theory]
        [InlineData("+919876543210", "919876543210", "(removed the leading +)")]
        [InlineData("98765 43210", "9876543210", "(removed separators)")]
        [InlineData("(98765) 432.10", "9876543210", "(removed separators)")]
        [InlineData("98765\u00a043210", "9876543210", "(removed separators)")]
        [InlineData("+91 (98765) 43210", "919876543210", "(removed the leading + and separators)")]
        public void Separators_and_a_leading_plus_are_removed_and_the_change_says_which(string given, string sent, string removed)
        {
            CleanedNumber number = PhoneNumbers.Destination(given);
            Assert.Equal(sent, number.Value);
            Assert.Equal($"destination_number '{given}' sent as '{sent}' {removed}", number.Change);
        }

        [Fact]
        public void Spaces_around_bare_digits_are_no_change_worth_saying()
        {
            CleanedNumber number = PhoneNumbers.Destination("  9876543210 ");
            Assert.Equal("9876543210", number.Value);
            Assert.Null(number.Change);
        }

        [Theory]
        [InlineData("1234567890", true)]       // 10 digits, the shortest customer number
        [InlineData("123456789012345", true)]  // 15, the longest
        [InlineData("123456789", false)]
        [InlineData("1234567890123456", false)]
        public void A_destination_has_10_to_15_digits(string given, bool accepted) =>
            Assert.Equal(accepted, Accepts(() => PhoneNumbers.Destination(given), InputField.DestinationNumber));

        [Theory]
        [InlineData("12", true)]                     // a short intercom
        [InlineData("12345678901234567890", true)]   // 20
        [InlineData("1", false)]
        [InlineData("123456789012345678901", false)]
        public void An_agent_number_has_2_to_20_digits(string given, bool accepted) =>
            Assert.Equal(accepted, Accepts(() => PhoneNumbers.AgentNumber(given), InputField.AgentNumber));

        [Theory]
        [InlineData("123", true)]
        [InlineData("123456789012345", true)]
        [InlineData("12", false)]
        [InlineData("1234567890123456", false)]
        public void A_caller_id_has_3_to_15_digits(string given, bool accepted) =>
            Assert.Equal(accepted, Accepts(() => PhoneNumbers.CallerId(given), InputField.CallerId));

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("   ")]
        public void No_caller_id_is_none_not_an_error(string? given) => Assert.Null(PhoneNumbers.CallerId(given));

        [Theory]
        [InlineData("98765/43210", "'/'")]
        [InlineData("98765_43210", "'_'")]
        [InlineData("9876543210+", "'+'")]
        public void Any_other_character_is_an_error_naming_the_field_and_what_was_found(string given, string found)
        {
            var error = Assert.Throws<AcefoneInputException>(() => PhoneNumbers.Destination(given));
            Assert.Equal(InputField.DestinationNumber, error.Field);
            Assert.Contains("is not a number", error.Message);
            Assert.Contains(found, error.Message);
        }

        [Fact]
        public void A_length_error_counts_the_digits_and_names_the_range()
        {
            var error = Assert.Throws<AcefoneInputException>(() => PhoneNumbers.AgentNumber("+1"));
            Assert.Equal(InputField.AgentNumber, error.Field);
            Assert.Contains("has 1 digits; the agent's id, intercom, extension or number has 2-20 digits", error.Message);
        }

        private static bool Accepts(System.Func<CleanedNumber?> clean, InputField field)
        {
            try
            {
                return clean() != null;
            }
            catch (AcefoneInputException ex)
            {
                Assert.Equal(field, ex.Field);
                Assert.Contains("digits", ex.Message);
                return false;
            }
        }
    }
}
