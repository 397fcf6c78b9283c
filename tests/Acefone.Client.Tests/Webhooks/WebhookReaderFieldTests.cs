using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// WebhookReader field by field: every name a field may come under and which wins when a body has several, what makes
    /// a body a call webhook, the form encoding's edges, and the delivery key a seen list keeps across runs and upgrades.
    /// </summary>
    public class WebhookReaderFieldTests
    {
        private static AcefoneWebhookEvent One(string body, IReadOnlyList<string>? by = null) => Assert.Single(WebhookReader.Read(body, by));

        private static string Key(string body, IReadOnlyList<string>? by = null) => One(body, by).DeliveryKey;

        [Theory]
        [InlineData("call_id")]
        [InlineData("uuid")]
        [InlineData("caller_id_number")]
        [InlineData("call_to_number")]
        [InlineData("answered_agent")]
        [InlineData("missed_agent")]
        [InlineData("call_status")]
        [InlineData("customer_number")]
        [InlineData("answered_agent_number")]
        [InlineData("agent_number")]
        public void Any_one_call_field_makes_a_body_a_call_webhook(string field)
        {
            Assert.Equal("x", One($"{{\"{field}\":\"x\"}}").Fields[field]);
            Assert.Equal("form", One($"${field}=x").Format);
        }

        [Fact]
        public void A_body_with_no_call_field_names_the_call_fields_and_the_fields_it_has()
        {
            string none = Assert.Throws<FormatException>(() => WebhookReader.Read("{}")).Message;
            Assert.Contains("call_id, uuid, caller_id_number", none);
            Assert.Contains("(it has: no fields)", none);
            string two = Assert.Throws<FormatException>(() => WebhookReader.Read("{\"hello\":1,\"world\":2}")).Message;
            Assert.Contains("(it has: 'hello', 'world')", two);
            // At most 12 of them are named.
            string many = Assert.Throws<FormatException>(() => WebhookReader.Read("{" + string.Join(",", Enumerable.Range(1, 13).Select(i => $"\"f{i}\":1")) + "}")).Message;
            Assert.Contains("'f12'", many);
            Assert.DoesNotContain("'f13'", many);
        }

        [Fact]
        public void No_body_at_all_is_an_empty_body()
        {
            Assert.Contains("empty", Assert.Throws<FormatException>(() => WebhookReader.Read(null)).Message);
            Assert.Contains("empty", Assert.Throws<FormatException>(() => WebhookReader.Read(" \uFEFF")).Message);
        }

        [Fact]
        public void A_byte_order_mark_before_the_body_is_ignored()
        {
            Assert.Equal("1", One("\uFEFF{\"call_id\":\"1\"}").CallId);
        }

        [Fact]
        public void Json_objects_and_array_items_are_json_and_form_fields_are_form()
        {
            Assert.Equal("json", One("{\"call_id\":\"1\"}").Format);
            Assert.All(WebhookReader.Read("[{\"call_id\":\"1\"},{\"call_id\":\"2\"}]"), e => Assert.Equal("json", e.Format));
            Assert.Equal("form", One("call_id=1").Format);
        }

        [Fact]
        public void A_bad_array_item_is_named_by_its_position()
        {
            Assert.Contains("Item 3 of", Assert.Throws<FormatException>(() => WebhookReader.Read("[{\"call_id\":\"1\"},{\"call_id\":\"2\"},\"x\"]")).Message);
        }

        [Theory]
        [InlineData("=call_id")]           // no name before the first '='
        [InlineData("<p call_id=1>")]      // markup, not fields
        [InlineData("call_id=1\nuuid=2")]  // lines, not fields
        public void Text_that_is_not_form_fields_is_not_read_as_them(string body)
        {
            Assert.Contains("neither JSON nor form-encoded", Assert.Throws<FormatException>(() => WebhookReader.Read(body)).Message);
        }

        [Fact]
        public void Form_fields_without_a_value_or_without_a_name()
        {
            AcefoneWebhookEvent e = One("call_id=1&flag&&=orphan&ref_id=a%20b+c");
            Assert.Equal("", e.Fields["flag"]);
            Assert.Equal("a b c", e.CustomIdentifier);
            // A pair with no name is no field: not under "", nor under its text.
            Assert.Equal(new[] { "call_id", "flag", "ref_id" }, e.Fields.Keys.OrderBy(k => k, StringComparer.Ordinal));
        }

        [Fact]
        public void Fields_with_no_name_are_dropped_and_null_fields_are_refused()
        {
            AcefoneWebhookEvent e = WebhookReader.FromFields(new[]
            {
                new KeyValuePair<string, object?>("", "x"), new KeyValuePair<string, object?>("call_id", "1"),
            });
            Assert.Equal(new[] { "call_id" }, e.Fields.Keys);
            Assert.Throws<ArgumentNullException>(() => WebhookReader.FromFields(null!));
        }

        [Theory]
        [InlineData("\"event\":\"a\",\"trigger\":\"b\",\"event_type\":\"c\",\"webhook_event\":\"d\"", "a")]
        [InlineData("\"trigger\":\"b\",\"event_type\":\"c\",\"webhook_event\":\"d\"", "b")]
        [InlineData("\"event_type\":\"c\",\"webhook_event\":\"d\"", "c")]
        [InlineData("\"webhook_event\":\"d\"", "d")]
        [InlineData("\"event\":\" \",\"trigger\":\"b\"", "b")]
        public void The_event_is_event_then_trigger_then_event_type_then_webhook_event(string fields, string expected)
        {
            Assert.Equal(expected, One($"{{\"call_id\":\"1\",{fields}}}").Event);
        }

        [Fact]
        public void Status_uuid_duration_and_recording_are_read_from_their_fields()
        {
            AcefoneWebhookEvent e = One("{\"call_id\":\"1\",\"call_status\":\"missed\",\"uuid\":\"u-1\",\"duration\":\"75\",\"recording_url\":\"https://r/x.mp3\"}");
            Assert.Equal("missed", e.CallStatus);
            Assert.Equal("u-1", e.Uuid);
            Assert.Equal(TimeSpan.FromSeconds(75), e.Duration);
            Assert.Equal("https://r/x.mp3", e.RecordingUrl);
            Assert.Equal(TimeSpan.FromSeconds(9), One("{\"call_id\":\"1\",\"duration\":9}").Duration);
            Assert.Null(One("{\"call_id\":\"1\",\"duration\":\"-5\"}").Duration);
        }

        [Theory]
        [InlineData("\"start_stamp\":\"2026-03-01 10:20:30\",\"start_time\":\"2026-03-02 10:20:30\",\"created_at\":\"2026-03-03 10:20:30\"", "2026-03-01T10:20:30.000")]
        [InlineData("\"start_time\":\"2026-03-02 10:20:30\",\"created_at\":\"2026-03-03 10:20:30\"", "2026-03-02T10:20:30.000")]
        [InlineData("\"created_at\":\"2026-03-03 10:20:30\"", "2026-03-03T10:20:30.000")]
        [InlineData("\"start_stamp\":\"2026-03-01T10:20:30\"", "2026-03-01T10:20:30.000")]
        [InlineData("\"start_stamp\":\"2026-03-01 10:20:30.250\"", "2026-03-01T10:20:30.250")]
        public void The_start_is_start_stamp_then_start_time_then_created_at_in_any_of_three_forms(string fields, string expected)
        {
            DateTime? started = One($"{{\"call_id\":\"1\",{fields}}}").StartedAt;
            Assert.Equal(DateTime.ParseExact(expected, "yyyy-MM-dd'T'HH:mm:ss.fff", null), started);
            Assert.Equal(DateTimeKind.Unspecified, started!.Value.Kind);
        }

        [Fact]
        public void The_custom_identifier_is_custom_identifier_then_ref_id()
        {
            Assert.Equal("c", One("{\"call_id\":\"1\",\"custom_identifier\":\"c\",\"ref_id\":\"r\"}").CustomIdentifier);
            Assert.Equal("r", One("{\"call_id\":\"1\",\"ref_id\":\"r\"}").CustomIdentifier);
        }

        [Theory]
        // Outbound: call_to_number, then customer_number, then customer_no_with_prefix.
        [InlineData("out", "\"call_to_number\":\"1\",\"customer_number\":\"2\",\"customer_no_with_prefix\":\"3\"", "1")]
        [InlineData("out", "\"customer_number\":\"2\",\"customer_no_with_prefix\":\"3\"", "2")]
        [InlineData("out", "\"customer_no_with_prefix\":\"3\"", "3")]
        // Inbound (and no direction): caller_id_number, then customer_number, then customer_no_with_prefix.
        [InlineData("in", "\"caller_id_number\":\"1\",\"customer_number\":\"2\",\"customer_no_with_prefix\":\"3\"", "1")]
        [InlineData("in", "\"customer_number\":\"2\",\"customer_no_with_prefix\":\"3\"", "2")]
        [InlineData("", "\"customer_no_with_prefix\":\"3\"", "3")]
        public void The_customer_number_falls_back_by_direction(string direction, string fields, string expected)
        {
            Assert.Equal(expected, One($"{{\"call_id\":\"x\",\"direction\":\"{direction}\",{fields}}}").CustomerNumber);
        }

        [Fact]
        public void Flat_answered_agent_fields_win_over_the_plain_agent_fields()
        {
            AcefoneWebhookEvent both = One("{\"call_id\":\"1\",\"answered_agent_name\":\"Asha\",\"agent_name\":\"Ravi\",\"answered_agent_number\":\"9876\",\"agent_number\":\"1111\"}");
            Assert.Equal("Asha", both.AgentName);
            Assert.Equal("9876", both.AgentNumber);
            AcefoneWebhookEvent plain = One("{\"call_id\":\"1\",\"agent_name\":\"Ravi\",\"agent_number\":\"1111\"}");
            Assert.Equal("Ravi", plain.AgentName);
            Assert.Equal("1111", plain.AgentNumber);
        }

        [Theory]
        [InlineData("\"answered_agent_name\":\"Asha\"", null, "Asha", null)]
        [InlineData("\"answered_agent_number\":\"9876\"", null, null, "9876")]
        [InlineData("\"answered_agent_id\":\"0502\"", "0502", null, null)]
        public void Any_one_flat_agent_field_alone_is_the_answering_agent(string field, string? id, string? name, string? number)
        {
            AcefoneWebhookEvent e = One($"{{\"call_id\":\"1\",{field}}}");
            WebhookAgent agent = Assert.Single(e.Agents);
            Assert.Equal(id, agent.Id);
            Assert.Equal(name, agent.Name);
            Assert.Equal(number, agent.Number);
            Assert.Equal(id, e.AnsweredAgentId);
        }

        [Fact]
        public void An_agent_object_wins_over_the_flat_fields_which_fill_only_what_it_left_out()
        {
            AcefoneWebhookEvent full = One("{\"call_id\":\"1\",\"answered_agent\":{\"id\":\"0502\",\"name\":\"Asha\",\"number\":\"9876\"},"
                + "\"answered_agent_id\":\"X\",\"answered_agent_name\":\"Y\",\"answered_agent_number\":\"Z\"}");
            Assert.Equal(("0502", "Asha", "9876"), (full.AnsweredAgentId, full.AgentName, full.AgentNumber));
            AcefoneWebhookEvent idOnly = One("{\"call_id\":\"1\",\"answered_agent\":{\"eid\":\"0502\"},\"answered_agent_name\":\"Asha\",\"agent_number\":\"9876\"}");
            Assert.Equal(("0502", "Asha", "9876"), (idOnly.AnsweredAgentId, idOnly.AgentName, idOnly.AgentNumber));
            Assert.Single(idOnly.Agents);
        }

        [Fact]
        public void Missed_agents_follow_the_answering_one_and_a_missed_call_names_the_first()
        {
            AcefoneWebhookEvent answered = One("{\"call_id\":\"1\",\"answered_agent\":\"Asha\",\"missed_agent\":[\"Ravi\",\"+9198\"]}");
            Assert.Equal(new[] { "Asha", "Ravi", null }, answered.Agents.Select(a => a.Name));
            Assert.Equal("+9198", answered.Agents[2].Number);
            AcefoneWebhookEvent missed = One("{\"call_id\":\"1\",\"missed_agent\":{\"agent_name\":\"Ravi\",\"agent_number\":\"9198\"}}");
            Assert.Equal(("Ravi", "9198"), (missed.AgentName, missed.AgentNumber));
        }

        // ---- The delivery key: a seen list holds it across runs (and module upgrades), so its form is a rule. ----

        [Fact]
        public void Deduplicating_by_fields_keys_by_their_names_and_values_in_the_order_given()
        {
            var by = new[] { "$UUID", "call_status" };
            string key = Key("{\"call_status\":\"missed\",\"uuid\":\"u-1\",\"call_id\":\"1\"}", by);
            Assert.Equal("uuid=u-1&call_status=missed", key);
            Assert.NotEqual(key, Key("{\"call_status\":\"missed\",\"uuid\":\"u-2\",\"call_id\":\"1\"}", by));
            Assert.Equal(key, Key("{\"call_status\":\"missed\",\"uuid\":\"u-1\",\"call_id\":\"2\"}", by));
        }

        [Fact]
        public void No_fields_to_deduplicate_by_is_all_of_them()
        {
            const string body = "{\"call_id\":\"1\",\"uuid\":\"u\"}";
            Assert.Equal(Key(body), Key(body, Array.Empty<string>()));
            Assert.StartsWith("sha256:", Key(body, Array.Empty<string>()));
        }

        [Fact]
        public void The_key_of_all_fields_is_the_SHA256_of_their_sorted_lowercase_names_and_values()
        {
            // name=value, each ended by U+001F, names without '$' in lower case and ordinal order; an object is {name:value,...}
            // in ordinal order, an array [value,...], a number in invariant form; lowercase hex.
            string canonical = "call_id=1\u001fduration=30\u001fuuid=u\u001fzz={a:True,b:[1.5,x]}\u001f";
            string expected = "sha256:" + string.Concat(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)).Select(b => b.ToString("x2")));
            Assert.Equal(expected, Key("{\"UUID\":\"u\",\"$call_id\":\"1\",\"duration\":30,\"zz\":{\"b\":[1.5,\"x\"],\"a\":true}}"));
        }

        [Fact]
        public void Nested_values_key_alike_in_any_member_order()
        {
            Assert.Equal(Key("{\"call_id\":\"1\",\"zz\":{\"a\":1,\"b\":[1,{\"c\":true}]}}"), Key("{\"call_id\":\"1\",\"zz\":{\"b\":[1,{\"c\":true}],\"a\":1}}"));
        }

        [Fact]
        public void A_field_sent_empty_in_a_form_and_null_in_JSON_is_the_same_delivery()
        {
            Assert.Equal(Key("call_id=1&x="), Key("{\"call_id\":\"1\",\"x\":null}"));
            Assert.Equal(Key("call_id=1&x=2.5"), Key("{\"call_id\":\"1\",\"x\":2.5}"));
        }

        [Theory]
        [InlineData("\"x\":true", "\"x\":false")]
        [InlineData("\"x\":{\"a\":1,\"b\":2}", "\"x\":{\"a\":\"1b:2\"}")]
        [InlineData("\"x\":{\"a\":\"1\"}", "\"x\":{\"a1\":\"\"}")]
        [InlineData("\"x\":{\"a\":1}", "\"x\":\"a:1}\"")]
        [InlineData("\"x\":{\"a\":1}", "\"x\":\"{a:1\"")]
        [InlineData("\"x\":[1,2]", "\"x\":[12]")]
        [InlineData("\"x\":[1,2]", "\"x\":\"1,2]\"")]
        [InlineData("\"x\":[1,2]", "\"x\":\"[1,2\"")]
        public void Different_deliveries_have_different_keys(string one, string other)
        {
            Assert.NotEqual(Key($"{{\"call_id\":\"1\",{one}}}"), Key($"{{\"call_id\":\"1\",{other}}}"));
        }
    }
}
