using System;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    public class InputRulesTests
    {
        [Theory]
        [InlineData("Monitor", CallOperation.Monitor)]
        [InlineData("  whisper ", CallOperation.Whisper)]
        [InlineData("BARGE", CallOperation.Barge)]
        [InlineData("4", CallOperation.Transfer)]
        [InlineData(" 1 ", CallOperation.Monitor)]
        public void Operations_read_as_names_or_numbers(string text, CallOperation expected)
        {
            Assert.True(CallOperations.TryParse(text, out CallOperation operation));
            Assert.Equal(expected, operation);
        }

        [Theory]
        [InlineData("0")]
        [InlineData("5")]
        [InlineData("Monitorr")]
        [InlineData("Mоnitor")] // Cyrillic o
        [InlineData("")]
        [InlineData(null)]
        [InlineData("Transfer;Monitor")]
        public void Anything_else_is_not_an_operation(string? text)
        {
            Assert.False(CallOperations.TryParse(text, out _));
        }

        [Theory]
        [InlineData("Transfer", "", null, "8004", InputField.CallId)]
        [InlineData("Transfer", "   ", null, "8004", InputField.CallId)]
        [InlineData("Transfer", "1.2\n3", null, "8004", InputField.CallId)]
        [InlineData("Transfer", "1.2", "0502842370097", "8004", InputField.AgentId)]
        [InlineData("Transfer", "1.2", null, "", InputField.Intercom)]
        [InlineData("Transfer", "1.2", null, "80-04", InputField.Intercom)]
        [InlineData("Transfer", "1.2", null, "80 04", InputField.Intercom)]
        [InlineData("Transfer", "1.2", null, "８００４", InputField.Intercom)]
        [InlineData("Monitor", "1.2", "", null, InputField.AgentId)]
        [InlineData("Monitor", "1.2", "05028 42370097", null, InputField.AgentId)]
        [InlineData("Monitor", "1.2", "0502842370O97", null, InputField.AgentId)]
        [InlineData("Monitor", "1.2", "٠٥٠٢", null, InputField.AgentId)]
        [InlineData("Monitor", "1.2", "0502842370097", "8004", InputField.Intercom)]
        [InlineData("Launch", "1.2", "0502842370097", null, InputField.Type)]
        [InlineData("", "1.2", "0502842370097", null, InputField.Type)]
        public void Bad_rows_name_the_field(string type, string callId, string? agentId, string? intercom, InputField field)
        {
            var error = Assert.Throws<AcefoneInputException>(() => CallOptionRequest.Create(type, callId, agentId, intercom == null ? null : new[] { intercom }));
            Assert.Equal(field, error.Field);
            Assert.Equal(AcefoneErrorKind.InvalidInput, error.Kind);
            Assert.Contains(error.FieldName, error.Message);
        }

        [Fact]
        public void Messages_name_the_row_and_show_values_safely()
        {
            var error = Assert.Throws<AcefoneInputException>(() => CallOptionRequest.Create("Monitor", "1.2", new string('9', 10000) + "x", null)).WithRow(42);
            Assert.StartsWith("Row 42: agent_id '9999", error.Message);
            Assert.Contains("(10001 characters)", error.Message);
            Assert.True(error.Message.Length < 400);

            var control = Assert.Throws<AcefoneInputException>(() => CallOptionRequest.Create("Transfer", "a\u0001b", null, new[] { "8004" }));
            Assert.Contains("'a\\u0001b'", control.Message);
        }

        [Fact]
        public void Surrounding_white_space_is_tolerated_and_trimmed()
        {
            var request = CallOptionRequest.Create(" monitor ", " 1714657799.1 ", " 0502842370097 ", null);
            Assert.Equal("1714657799.1", request.CallId);
            Assert.Equal("0502842370097", request.AgentId);
        }
    }
}
