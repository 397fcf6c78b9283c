using System;
using System.Text;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>What Start-AcefoneCall sends: bare digits with the change said, async 1, and clear errors naming the field.</summary>
    public class ClickToCallRequestTests
    {
        [Fact]
        public void A_spreadsheet_number_is_sent_as_bare_digits_and_the_change_is_said()
        {
            ClickToCallRequest request = ClickToCallRequest.Create("0502842370001", " +91 98765-43210 ", null, "30", "T-1");
            Assert.Equal("{\"agent_number\":\"0502842370001\",\"destination_number\":\"919876543210\",\"async\":1,\"call_timeout\":30,\"custom_identifier\":\"T-1\"}",
                AcefoneSession.PreviewBody(request));
            Assert.Equal("destination_number '+91 98765-43210' sent as '919876543210' (removed the leading + and separators)", request.Changes);
            Assert.Contains(request.Changes!, request.Describe());
            Assert.Equal(string.Empty, request.CallId);
        }

        [Fact]
        public void Bare_digits_go_out_unchanged_with_nothing_said()
        {
            ClickToCallRequest request = ClickToCallRequest.Create("9876510001", "919812300001", "918069123400");
            Assert.Null(request.Changes);
            Assert.Equal("{\"agent_number\":\"9876510001\",\"destination_number\":\"919812300001\",\"caller_id\":\"918069123400\",\"async\":1}", AcefoneSession.PreviewBody(request));
        }

        [Theory]
        [InlineData("0502842370001", "98765X3210", InputField.DestinationNumber, "is not a number")]
        [InlineData("0502842370001", "98765\u09693210", InputField.DestinationNumber, "is not a number")]
        [InlineData("0502842370001", "987654321", InputField.DestinationNumber, "has 9 digits")]
        [InlineData("0502842370001", "9198765432101234", InputField.DestinationNumber, "has 16 digits")]
        [InlineData("0502842370001", "91+9876543210", InputField.DestinationNumber, "is not a number")]
        [InlineData("", "919876543210", InputField.AgentNumber, "is required")]
        [InlineData("agent7", "919876543210", InputField.AgentNumber, "is not a number")]
        [InlineData("0502842370001", null, InputField.DestinationNumber, "is required")]
        public void Bad_numbers_name_the_field_and_value(string? agent, string? destination, InputField field, string reason)
        {
            var error = Assert.Throws<AcefoneInputException>(() => ClickToCallRequest.Create(agent, destination));
            Assert.Equal(field, error.Field);
            Assert.Contains(reason, error.Message);
            Assert.Contains("Nothing was sent", error.Message);
        }

        [Theory]
        [InlineData("0")]
        [InlineData("601")]
        [InlineData("soon")]
        [InlineData("-5")]
        [InlineData("1.5")]
        public void A_call_timeout_is_1_to_600_whole_seconds(string timeout)
        {
            var error = Assert.Throws<AcefoneInputException>(() => ClickToCallRequest.Create("1001", "919876543210", null, timeout));
            Assert.Equal("call_timeout", error.FieldName);
        }

        [Fact]
        public void A_custom_identifier_with_a_line_break_or_too_long_is_refused()
        {
            Assert.Equal(InputField.CustomIdentifier, Assert.Throws<AcefoneInputException>(() => ClickToCallRequest.Create("1001", "919876543210", customIdentifier: "a\nb")).Field);
            Assert.Equal(InputField.CustomIdentifier, Assert.Throws<AcefoneInputException>(() => ClickToCallRequest.Create("1001", "919876543210", customIdentifier: new string('x', 129))).Field);
        }

        [Fact]
        public void The_duplicate_key_is_agent_destination_and_identifier_not_caller_id_or_timeout()
        {
            string key = ClickToCallRequest.Create("1001", "+91 98765 43210", null, null, "t").DuplicateKey;
            Assert.Equal(key, ClickToCallRequest.Create("1001", "919876543210", "918069123400", "20", "t").DuplicateKey);
            Assert.NotEqual(key, ClickToCallRequest.Create("1001", "919876543210", null, null, "u").DuplicateKey);
            Assert.NotEqual(key, ClickToCallRequest.Create("1002", "919876543210", null, null, "t").DuplicateKey);
        }

        [Fact]
        public void A_journal_line_reads_back_with_the_same_key()
        {
            string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "acefone-c2c-" + Guid.NewGuid().ToString("n") + ".jsonl");
            try
            {
                using RunJournal journal = RunJournal.Open(path, readOnly: false);
                foreach (ClickToCallRequest request in new[] { ClickToCallRequest.Create("1001", "919876543210", null, null, "t"), ClickToCallRequest.Create("1001", "919876543210") })
                {
                    string line = Encoding.UTF8.GetString(journal.Format(request, 3, JournalState.Sending, null, null, null)).TrimEnd('\n');
                    JournalRecord? record = JournalLines.Parse(line, out string? key);
                    Assert.NotNull(record);
                    Assert.Equal(request.DuplicateKey, key);
                    Assert.Equal("ClickToCall", record!.Operation);
                }
            }
            finally
            {
                System.IO.File.Delete(path);
            }
        }
    }
}
