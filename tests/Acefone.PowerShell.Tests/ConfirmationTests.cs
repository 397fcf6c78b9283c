using System.Collections.Generic;
using System.Threading.Tasks;
using Xunit;

namespace Acefone.PowerShell.Tests
{
    /// <summary>What a confirmation prompt shows: the exact body, even though unseen ShouldProcess texts leave it out.</summary>
    public class ConfirmationTests
    {
        private static Task<(RecordingHost Host, int Results, int Sent)> TransferAsync(string confirmPreference) =>
            AnsweredNoRun.RunAsync("$ConfirmPreference = $Preference; Invoke-AcefoneTransfer -CallId $Id -Intercom 8004", "/v1/call/options",
                simulator => new Dictionary<string, object> { ["Id"] = simulator.State.GenerateCalls(1)[0], ["Preference"] = confirmPreference });

        [Fact]
        public async Task A_ConfirmPreference_at_Medium_asks_with_the_exact_body_and_No_sends_nothing()
        {
            var (host, results, sent) = await TransferAsync("Medium");
            string prompt = Assert.Single(host.Confirmations);
            Assert.Matches(@"\{""type"":4,""call_id"":""[^""]+"",""intercom"":""8004""\}", prompt);
            Assert.Equal(0, results);
            Assert.Equal(0, sent);
        }

        [Fact]
        public async Task The_default_ConfirmPreference_does_not_ask_and_sends_once()
        {
            var (host, results, sent) = await TransferAsync("High");
            Assert.Empty(host.Confirmations);
            Assert.Equal(1, results);
            Assert.Equal(1, sent);
        }
    }
}
