using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>Webhook bodies in every shape live captures show, into one typed event; what is not a webhook says so.</summary>
    public class WebhookReaderTests
    {
        [Theory]
        [InlineData("{\"call_id\":\"1.1\",\"answered_agent\":{\"id\":\"0502\",\"name\":\"Asha\",\"number\":\"9876\"}}")]
        [InlineData("{\"call_id\":\"1.1\",\"answered_agent\":\"{\\\"id\\\":\\\"0502\\\",\\\"name\\\":\\\"Asha\\\",\\\"number\\\":\\\"9876\\\"}\"}")]
        [InlineData("call_id=1.1&answered_agent=%7B%22id%22%3A%220502%22%2C%22name%22%3A%22Asha%22%2C%22number%22%3A%229876%22%7D")]
        [InlineData("{\"$call_id\":\"1.1\",\"answered_agent\":\"Asha\",\"answered_agent_number\":\"9876\",\"answered_agent_id\":\"0502\"}")]
        [InlineData("[{\"CALL_ID\":\"1.1\",\"answered_agent\":[{\"agent_id\":\"0502\",\"agent_name\":\"Asha\",\"follow_me_number\":\"9876\"}]}]")]
        public void An_agent_as_an_object_a_JSON_string_a_form_field_or_flat_fields_is_one_shape(string body)
        {
            AcefoneWebhookEvent e = Assert.Single(WebhookReader.Read(body));
            Assert.Equal("1.1", e.CallId);
            Assert.Equal("Asha", e.AgentName);
            Assert.Equal("9876", e.AgentNumber);
            Assert.Equal("0502", e.AnsweredAgentId);
        }

        [Fact]
        public void Inbound_and_outbound_put_the_customer_in_the_right_field_and_unknown_fields_are_kept()
        {
            AcefoneWebhookEvent inbound = WebhookReader.Read("{\"call_id\":\"1\",\"direction\":\"inbound\",\"caller_id_number\":\"9198\",\"call_to_number\":\"9180\",\"zz\":{\"a\":1}}")[0];
            Assert.Equal("9198", inbound.CustomerNumber);
            Assert.Equal("9180", inbound.Did);
            Assert.Equal(CallDirection.Inbound, inbound.Direction);
            Assert.IsType<Dictionary<string, object?>>(inbound.Fields["zz"]);
            AcefoneWebhookEvent outbound = WebhookReader.Read("{\"call_id\":\"1\",\"direction\":\"click_to_call\",\"caller_id_number\":\"9180\",\"call_to_number\":\"9198\"}")[0];
            Assert.Equal("9198", outbound.CustomerNumber);
            Assert.Null(outbound.Did);
        }

        [Theory]
        [InlineData("", "empty")]
        [InlineData("{\"hello\":\"world\"}", "not an Acefone call webhook")]
        [InlineData("<html>502</html>", "neither JSON nor form-encoded")]
        [InlineData("{\"call_id\":", "not valid JSON")]
        [InlineData("[1,2]", "not an event object")]
        [InlineData("just some text", "neither JSON nor form-encoded")]
        public void What_is_not_a_webhook_is_a_clear_error(string body, string says)
        {
            var error = Assert.Throws<FormatException>(() => WebhookReader.Read(body));
            Assert.Contains(says, error.Message);
        }

        [Fact]
        public void A_repeated_delivery_has_the_same_key_in_any_field_order_and_a_different_one_does_not()
        {
            string a = WebhookReader.Read("{\"call_id\":\"1\",\"uuid\":\"u\",\"t\":\"1\"}")[0].DeliveryKey;
            Assert.Equal(a, WebhookReader.Read("{\"uuid\":\"u\",\"t\":\"1\",\"call_id\":\"1\"}")[0].DeliveryKey);
            Assert.Equal(a, WebhookReader.Read("call_id=1&uuid=u&t=1")[0].DeliveryKey);
            Assert.NotEqual(a, WebhookReader.Read("{\"call_id\":\"1\",\"uuid\":\"u\",\"t\":\"2\"}")[0].DeliveryKey);
            var by = new[] { "uuid" };
            Assert.Equal(WebhookReader.Read("{\"uuid\":\"u\",\"t\":\"1\"}", by)[0].DeliveryKey, WebhookReader.Read("{\"uuid\":\"u\",\"t\":\"2\"}", by)[0].DeliveryKey);
            Assert.Contains("no field 'uuid'", Assert.Throws<FormatException>(() => WebhookReader.Read("{\"call_id\":\"1\"}", by)).Message);
        }

        [Fact]
        public void The_seen_list_adds_a_key_once_and_read_only_adds_nothing()
        {
            string path = Path.Combine(Path.GetTempPath(), "acefone-seen-" + Guid.NewGuid().ToString("n"));
            try
            {
                Assert.True(WebhookSeenList.TryAdd(path, "k1", readOnly: true));
                Assert.False(File.Exists(path));
                Assert.True(WebhookSeenList.TryAdd(path, "k1"));
                Assert.False(WebhookSeenList.TryAdd(path, "k1"));
                Assert.False(WebhookSeenList.TryAdd(path, "k1", readOnly: true));
                Assert.True(WebhookSeenList.TryAdd(path, "k2"));
                Assert.Equal(new[] { "k1", "k2" }, File.ReadAllLines(path));
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public async Task Two_runs_adding_one_key_at_the_same_time_add_it_once()
        {
            string path = Path.Combine(Path.GetTempPath(), "acefone-seen-" + Guid.NewGuid().ToString("n"));
            try
            {
                bool[] added = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => WebhookSeenList.TryAdd(path, "same"))));
                Assert.Equal(1, added.Count(a => a));
                Assert.Single(File.ReadAllLines(path));
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void A_missing_folder_is_SeenListUnavailable()
        {
            var error = Assert.Throws<RunJournalException>(() => WebhookSeenList.TryAdd(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("n"), "seen.txt"), "k"));
            Assert.Equal("SeenListUnavailable", error.ErrorId);
        }
    }
}
