using System;
using System.Collections.Generic;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// The rules on each field one by one, at their edges: what is refused before anything is sent (a value that is
    /// almost right would reach a live customer call), and that the error names the field, the value and the reason.
    /// </summary>
    public class InputRulesMutationTests
    {
        private static AcefoneInputException Refused(InputField field, Action action, string reason)
        {
            var error = Assert.Throws<AcefoneInputException>(action);
            Assert.Equal(field, error.Field);
            Assert.Equal(AcefoneErrorKind.InvalidInput, error.Kind);
            Assert.Contains(reason, error.Message);
            return error;
        }

        [Theory]
        [InlineData(InputField.Type, "type")]
        [InlineData(InputField.CallId, "call_id")]
        [InlineData(InputField.AgentId, "agent_id")]
        [InlineData(InputField.Intercom, "intercom")]
        public void Fields_are_named_as_the_api_names_them(InputField field, string name)
        {
            Assert.Equal(name, InputRules.ApiName(field));
        }

        [Theory]
        [InlineData(null, true)]
        [InlineData("", true)]
        [InlineData("   ", true)]
        [InlineData("\t\r\n", true)]
        [InlineData("0", false)]
        [InlineData(" a ", false)]
        public void Blank_is_nothing_but_white_space(string? value, bool blank)
        {
            Assert.Equal(blank, InputRules.IsBlank(value));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData(" \t ")]
        public void A_call_id_is_required(string? value)
        {
            AcefoneInputException error = Refused(InputField.CallId, () => InputRules.CallId(value), "is required");
            Assert.Equal(value, error.Value);
        }

        [Fact]
        public void A_call_id_is_opaque_but_of_sane_length()
        {
            string longest = new string('x', InputRules.MaxCallIdLength);
            Assert.Equal(longest, InputRules.CallId(longest));
            Assert.Equal(longest, InputRules.CallId("  " + longest + "\t"));
            Assert.Equal("pfx-1714657799.1", InputRules.CallId(" pfx-1714657799.1 "));
            AcefoneInputException error = Refused(InputField.CallId, () => InputRules.CallId(longest + "y"), $"is {InputRules.MaxCallIdLength + 1} characters long");
            Assert.Contains($"at most {InputRules.MaxCallIdLength}", error.Message);
        }

        [Theory]
        [InlineData("1.2\n3")]
        [InlineData("1.2\r3")]
        [InlineData("1.2\t3")]
        [InlineData("1.2\u00003")]
        [InlineData("1.2\u007f3")]
        [InlineData("1.2\u00853")]
        [InlineData("1.2\u20283")]
        [InlineData("1.2\u20293")]
        public void A_call_id_with_a_control_character_is_refused(string value)
        {
            Refused(InputField.CallId, () => InputRules.CallId(value), "control character");
        }

        [Theory]
        [InlineData("0")]
        [InlineData("9")]
        [InlineData("0502842370097")]
        [InlineData("01234567890123456789012345678901")] // 32 digits
        public void An_agent_id_is_ascii_digits(string value)
        {
            Assert.Equal(value, InputRules.AgentId(value));
            Assert.Equal(value, InputRules.AgentId(" " + value + " "));
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("/")] // the character before '0'
        [InlineData(":")] // the character after '9'
        [InlineData("12/4")]
        [InlineData("12:4")]
        [InlineData("+12")]
        [InlineData("-12")]
        [InlineData("1 2")]
        [InlineData("12a")]
        [InlineData("a12")]
        [InlineData("١٢")] // Arabic-Indic digits
        [InlineData("１２")] // full-width digits
        public void Anything_else_is_not_an_agent_id(string value)
        {
            AcefoneInputException error = Refused(InputField.AgentId, () => InputRules.AgentId(value), "digits 0-9 only");
            Assert.Equal(value, error.Value);
        }

        [Fact]
        public void An_agent_id_has_at_most_thirty_two_digits()
        {
            string tooLong = new string('1', InputRules.MaxAgentIdLength + 1);
            AcefoneInputException error = Refused(InputField.AgentId, () => InputRules.AgentId(tooLong), $"is {InputRules.MaxAgentIdLength + 1} characters long");
            Assert.Contains($"at most {InputRules.MaxAgentIdLength}", error.Message);
        }

        [Theory]
        [InlineData("8004")]
        [InlineData("0")]
        [InlineData("9")]
        [InlineData("+919876543210")]
        [InlineData("+1")]
        [InlineData("12345678901234567890")] // 20
        [InlineData("+1234567890123456789")] // 20 with the +
        public void A_destination_is_digits_with_an_optional_leading_plus(string value)
        {
            Assert.Equal(value, InputRules.Destination(value));
            Assert.Equal(value, InputRules.Destination("\t" + value + " "));
        }

        [Theory]
        [InlineData("")]
        [InlineData("+")]
        [InlineData("++1")]
        [InlineData("1+2")]
        [InlineData("12+")]
        [InlineData("/")]
        [InlineData(":")]
        [InlineData("+/")]
        [InlineData("80-04")]
        [InlineData("80 04")]
        [InlineData("８００４")]
        [InlineData("#8004")]
        public void Anything_else_is_not_a_destination(string value)
        {
            Refused(InputField.Intercom, () => InputRules.Destination(value), "digits 0-9 (a leading + allowed)");
        }

        [Fact]
        public void A_destination_has_at_most_twenty_characters()
        {
            string tooLong = new string('1', InputRules.MaxDestinationLength + 1);
            AcefoneInputException error = Refused(InputField.Intercom, () => InputRules.Destination(tooLong), $"is {InputRules.MaxDestinationLength + 1} characters long");
            Assert.Contains($"at most {InputRules.MaxDestinationLength}", error.Message);
            Refused(InputField.Intercom, () => InputRules.Destination("+" + new string('1', InputRules.MaxDestinationLength)), "characters long");
        }

        [Fact]
        public void Destinations_come_as_items_or_as_one_comma_separated_cell()
        {
            Assert.Empty(InputRules.SplitDestinations(null));
            Assert.Empty(InputRules.SplitDestinations(new string?[] { null, "", "  " }));
            Assert.Equal(new[] { "8004", "8005", "+919876543210" }, InputRules.SplitDestinations(new[] { "8004,8005", "+919876543210" }));
            Assert.Equal(new[] { "8004", "8005" }, InputRules.SplitDestinations(new[] { "8004,,8005," }));
            Assert.Equal(new[] { "8004", "8005" }, InputRules.SplitDestinations(new[] { "8004, ,8005" }));
            // Pieces are checked (and trimmed) one by one afterwards.
            Assert.Equal(new[] { "8004", " 8005 " }, InputRules.SplitDestinations(new[] { "8004, 8005 " }));
        }

        [Fact]
        public void At_most_ten_destinations()
        {
            var ten = new List<string?>();
            for (int i = 0; i < InputRules.MaxDestinations; i++) ten.Add((8000 + i).ToString());
            Assert.Equal(InputRules.MaxDestinations, InputRules.SplitDestinations(ten).Count);
            ten.Add("8999");
            AcefoneInputException error = Refused(InputField.Intercom, () => InputRules.SplitDestinations(ten), $"lists {InputRules.MaxDestinations + 1} destinations");
            Assert.Contains($"at most {InputRules.MaxDestinations}", error.Message);
            Assert.Equal(string.Join(",", ten), error.Value);
            Refused(InputField.Intercom, () => InputRules.SplitDestinations(new[] { "1,2,3,4,5,6", "7,8,9,10,11" }), "lists 11 destinations");
        }

        [Theory]
        [InlineData(null, "(none)")]
        [InlineData("", "''")]
        [InlineData("abc", "'abc'")]
        [InlineData("a\rb\nc\td", "'a\\rb\\nc\\td'")]
        [InlineData("a\u0001b\u007f", "'a\\u0001b\\u007f'")]
        [InlineData("a\u2028b\u2029", "'a\\u2028b\\u2029'")]
        [InlineData("é ü", "'é ü'")]
        public void Display_shows_a_value_safely(string? value, string shown)
        {
            Assert.Equal(shown, InputRules.Display(value));
        }

        [Fact]
        public void Display_keeps_to_its_length_and_says_how_long_the_value_was()
        {
            Assert.Equal("'" + new string('x', 40) + "'", InputRules.Display(new string('x', 40)));
            Assert.Equal("'" + new string('x', 40) + "'... (41 characters)", InputRules.Display(new string('x', 41)));
            Assert.Equal("'abc'... (5 characters)", InputRules.Display("abcde", 3));
            Assert.Equal("'abc'", InputRules.Display("abc", 3));
            // An escape counts as one character shown, and the cut never splits one.
            Assert.Equal("'\\n\\n'... (3 characters)", InputRules.Display("\n\n\n", 2));
        }
    }
}
