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
            Assert.Contains("no field or event property 'uuid'", Assert.Throws<WebhookKeyException>(() => WebhookReader.Read("{\"call_id\":\"1\"}", by)).Message);
        }

        // Field names that differ from the property's own, so the key can only come from the typed event.
        private const string EveryProperty =
            "{\"trigger\":\"call_ended\",\"call_status\":\"answered\",\"$call_id\":\"1.7\",\"uuid\":\"u-1\",\"direction\":\"inbound\"," +
            "\"caller_id_number\":\"919876543210\",\"call_to_number\":\"8001\",\"answered_agent\":{\"id\":\"a-5\",\"name\":\"Asha\",\"number\":\"0502\"}," +
            "\"ref_id\":\"cb-1\",\"start_time\":\"2026-12-07 10:00:05\"}";

        [Theory]
        [InlineData("CallId", "1.7")]
        [InlineData("callid", "1.7")]
        [InlineData("Uuid", "u-1")]
        [InlineData("CallStatus", "answered")]
        [InlineData("Event", "call_ended")]
        [InlineData("CustomIdentifier", "cb-1")]
        [InlineData("CustomerNumber", "919876543210")]
        [InlineData("Did", "8001")]
        [InlineData("AgentNumber", "0502")]
        [InlineData("AnsweredAgentId", "a-5")]
        [InlineData("StartedAt", "2026-12-07T10:00:05")]
        public void DeduplicateBy_may_name_an_event_property_as_the_output_shows_it(string name, string value)
        {
            Assert.Contains(name, WebhookReader.KeyProperties, StringComparer.OrdinalIgnoreCase);
            Assert.Equal(name.ToLowerInvariant() + "=" + value, WebhookReader.Read(EveryProperty, new[] { name })[0].DeliveryKey);
        }

        [Fact]
        public void A_property_key_joins_with_field_keys_and_a_property_the_event_lacks_is_an_error_naming_both_lists()
        {
            Assert.Equal("callid=1.7&call_status=answered", WebhookReader.Read(EveryProperty, new[] { "CallId", "call_status" })[0].DeliveryKey);
            // Two deliveries of one call, one as JSON and one as a form, with a delivery time that differs: one key.
            var by = new[] { "CallId" };
            Assert.Equal(WebhookReader.Read("{\"call_id\":\"1.7\",\"at\":\"1\"}", by)[0].DeliveryKey, WebhookReader.Read("call_id=1.7&at=2", by)[0].DeliveryKey);
            string message = Assert.Throws<WebhookKeyException>(() => WebhookReader.Read("{\"uuid\":\"u-1\"}", new[] { "AgentNumber" })).Message;
            Assert.Contains("no field or event property 'AgentNumber'", message);
            Assert.Contains("its fields: 'uuid'", message);
            Assert.Contains("the event's properties: " + string.Join(", ", WebhookReader.KeyProperties), message);
            // A body field wins over an event property of the same name: keys a seen list already holds for field names stay as they were.
            Assert.Equal("did=555", WebhookReader.Read("{\"call_id\":\"1.7\",\"did\":\"555\",\"direction\":\"inbound\",\"call_to_number\":\"8001\"}", new[] { "Did" })[0].DeliveryKey);
            Assert.Equal("event= Missed ", WebhookReader.Read("{\"call_id\":\"1.7\",\"event\":\" Missed \"}", new[] { "event" })[0].DeliveryKey);
            // A name that is neither: not silently a key of nothing.
            Assert.Throws<WebhookKeyException>(() => WebhookReader.Read(EveryProperty, new[] { "Agents" }));
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
