using System;
using System.Linq;
using System.Text.Json;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>The read-side parsers against realistic and awkward answers.</summary>
    public sealed class DirectoryJsonTests
    {
        private static T Parse<T>(string json, Func<JsonElement, T> read)
        {
            using (JsonDocument document = JsonDocument.Parse(json)) return read(document.RootElement);
        }

        private static AcefoneException Refused(string json, Func<JsonElement, object> read) =>
            Assert.Throws<AcefoneException>(() => Parse(json, read));

        private const string RealisticLiveCall = @"[{""id"":88001,""call_id"":""1714657799.11930961"",""direction"":""1"",""source"":""919812345601"",
            ""did"":""918069123400"",""destination"":""9876510004"",""customer_number"":""919812345601"",""state"":""Answered"",
            ""created_at"":""2024-05-02 19:13:07"",""call_time"":""00:03:07"",""agent_name"":""Agent 004"",""agent_number"":""9876510004"",
            ""extension"":""1004"",""channel_id"":""5f1c2a3e"",""recording"":{""x"":1},""some_new_field"":[1,2]}]";

        [Fact]
        public void LiveCall_realistic_row_reads_every_field_and_keeps_the_row_id_apart_from_the_call_id()
        {
            AcefoneLiveCall call = Parse(RealisticLiveCall, LiveCallJson.ReadLiveCalls).Single();
            Assert.Equal("1714657799.11930961", call.CallId);
            Assert.Equal("88001", call.RowId);
            Assert.Equal(CallDirection.Inbound, call.Direction);
            Assert.Equal("Answered", call.State);
            Assert.Equal("919812345601", call.Source);
            Assert.Equal("9876510004", call.Destination);
            Assert.Equal("919812345601", call.CustomerNumber);
            Assert.Equal("918069123400", call.Did);
            Assert.Equal("Agent 004", call.AgentName);
            Assert.Equal("9876510004", call.AgentNumber);
            Assert.Equal("1004", call.Extension);
            Assert.Equal("5f1c2a3e", call.ChannelId);
            Assert.Equal(new DateTime(2024, 5, 2, 19, 13, 7), call.StartedAt);
            Assert.Equal(DateTimeKind.Unspecified, call.StartedAt!.Value.Kind);
            Assert.Equal(TimeSpan.FromSeconds(187), call.Duration);
        }

        [Fact]
        public void LiveCall_numbers_may_come_as_numbers()
        {
            AcefoneLiveCall call = Parse(@"[{""id"":""88002"",""call_id"":1714657799.5,""direction"":2,""did"":918069123400,""customer_number"":919812345601}]",
                LiveCallJson.ReadLiveCalls).Single();
            Assert.Equal("1714657799.5", call.CallId);
            Assert.Equal("88002", call.RowId);
            Assert.Equal(CallDirection.Outbound, call.Direction);
            Assert.Equal("918069123400", call.Did);
            Assert.Equal("919812345601", call.CustomerNumber);
        }

        [Fact]
        public void LiveCall_optional_fields_may_be_missing_null_or_unreadable()
        {
            AcefoneLiveCall call = Parse(@"[{""call_id"":""CAGE011-T8-1780735307.142"",""direction"":null,""created_at"":""yesterday"",""call_time"":""ages""}]",
                LiveCallJson.ReadLiveCalls).Single();
            Assert.Equal("CAGE011-T8-1780735307.142", call.CallId);
            Assert.Null(call.RowId);
            Assert.Null(call.Direction);
            Assert.Null(call.StartedAt);
            Assert.Null(call.Duration);
            Assert.Null(call.AgentName);
        }

        [Theory]
        [InlineData(@"""inbound""", CallDirection.Inbound)]
        [InlineData(@"""Outbound""", CallDirection.Outbound)]
        [InlineData(@""" 1 """, CallDirection.Inbound)]
        [InlineData("3", (CallDirection)3)]
        public void LiveCall_direction_reads_numbers_and_names_and_keeps_an_unknown_number(string json, CallDirection expected)
        {
            AcefoneLiveCall call = Parse(@"[{""call_id"":""1.2"",""direction"":" + json + "}]", LiveCallJson.ReadLiveCalls).Single();
            Assert.Equal(expected, call.Direction);
        }

        [Fact]
        public void LiveCall_an_empty_list_is_empty()
        {
            Assert.Empty(Parse("[]", LiveCallJson.ReadLiveCalls));
            Assert.Empty(Parse(@"{""success"":true,""data"":[]}", LiveCallJson.ReadLiveCalls));
        }

        [Theory]
        [InlineData(@"""not a list""")]
        [InlineData("42")]
        [InlineData("null")]
        [InlineData(@"{""success"":true}")]
        [InlineData(@"{""data"":{""call_id"":""1.2""}}")]
        public void LiveCall_bad_shapes_are_InvalidResponse(string json)
        {
            AcefoneException error = Refused(json, LiveCallJson.ReadLiveCalls);
            Assert.Equal(AcefoneErrorKind.InvalidResponse, error.Kind);
            Assert.IsType<AcefoneException>(error);
        }

        // Issue 12: one bad entry refuses only itself; the good entries around it are still listed.
        [Theory]
        [InlineData("[1,2,3]", 3)]
        [InlineData(@"[[""1.2""]]", 1)]
        [InlineData(@"[{""id"":88001}]", 1)]
        [InlineData(@"[{""call_id"":null}]", 1)]
        [InlineData(@"[{""call_id"":""  ""}]", 1)]
        [InlineData(@"[{""call_id"":{""id"":""1.2""}}]", 1)]
        public void LiveCall_bad_entries_are_skipped_each_with_an_InvalidResponse(string json, int bad)
        {
            string mixed = "[{\"call_id\":\"1.1\"}," + json.Substring(1, json.Length - 2) + ",{\"call_id\":\"1.3\"}]";
            AcefoneLiveCallList calls = Parse(mixed, LiveCallJson.ReadLiveCalls);
            Assert.Equal(new[] { "1.1", "1.3" }, calls.Select(c => c.CallId));
            Assert.Equal(bad, calls.Skipped.Count);
            Assert.All(calls.Skipped, e => Assert.Equal(AcefoneErrorKind.InvalidResponse, e.Kind));
            Assert.Contains("live call 2 ", calls.Skipped[0].Message);
        }

        [Fact]
        public void LiveCall_success_false_is_Rejected_with_the_API_message()
        {
            AcefoneException error = Refused(@"{""success"":""false"",""message"":""No permission for live calls""}", LiveCallJson.ReadLiveCalls);
            Assert.Equal(AcefoneErrorKind.Rejected, error.Kind);
            Assert.Equal("No permission for live calls", error.ServerMessage);
        }

        private const string RealisticUsers = @"{""has_more"":true,""count"":2,""last_seen_id"":314679,""data"":[
            {""id"":314678,""name"":""Team Lead 1"",""agent"":{""id"":""0502842370097"",""name"":""Team Lead 1"",""status"":0,""follow_me_number"":""9876510001""},
             ""login_id"":""lead1@example.com"",""user_role"":{""id"":1,""name"":""Supervisor""},""extension"":""1001"",""user_status"":1,""unknown"":{""a"":[1]}},
            {""id"":314679,""name"":""Reception"",""login_id"":""reception@example.com"",""user_role"":{""id"":""2"",""name"":""Agent""},""extension"":1042,""user_status"":""1""}]}";

        [Fact]
        public void Users_realistic_page_reads_agents_roles_and_paging()
        {
            AcefoneUserPage page = Parse(RealisticUsers, DirectoryJson.ReadUserPage);
            Assert.True(page.HasMore);
            Assert.Equal(314679, page.LastSeenId);
            Assert.Equal(314679, page.NextLastSeenId);
            Assert.Equal(2, page.Users.Count);

            AcefoneUser lead = page.Users[0];
            Assert.Equal(314678, lead.UserId);
            Assert.Equal("Team Lead 1", lead.Name);
            Assert.Equal("lead1@example.com", lead.LoginId);
            Assert.Equal("0502842370097", lead.AgentId);
            Assert.Equal(AgentStatus.Available, lead.AgentStatus);
            Assert.Equal("Supervisor", lead.Role);
            Assert.Equal(1, lead.RoleId);
            Assert.Equal("1001", lead.Extension);
            Assert.Equal("9876510001", lead.FollowMeNumber);
            Assert.Equal(1, lead.UserStatus);
            Assert.True(lead.HasAgent);

            AcefoneUser reception = page.Users[1];
            Assert.Null(reception.AgentId);
            Assert.Null(reception.AgentStatus);
            Assert.False(reception.HasAgent);
            Assert.Equal(2, reception.RoleId);
            Assert.Equal("1042", reception.Extension);
            Assert.Equal(1, reception.UserStatus);
        }

        [Theory]
        [InlineData(@"0", AgentStatus.Available)]
        [InlineData(@"""1""", AgentStatus.Blocked)]
        [InlineData(@"2", AgentStatus.Disabled)]
        [InlineData(@"""3""", AgentStatus.Busy)]
        [InlineData(@"4", AgentStatus.Offline)]
        [InlineData(@"7", (AgentStatus)7)]
        public void Users_agent_status_reads_0_to_4_as_numbers_or_strings(string json, AgentStatus expected)
        {
            AcefoneUserPage page = Parse(@"{""data"":[{""id"":1,""agent"":{""id"":""0500"",""status"":" + json + "}}]}", DirectoryJson.ReadUserPage);
            Assert.Equal(expected, page.Users[0].AgentStatus);
        }

        [Fact]
        public void Users_ids_as_strings_and_an_agent_that_is_null_or_has_an_empty_id()
        {
            AcefoneUserPage page = Parse(@"{""has_more"":""false"",""last_seen_id"":""3"",""data"":[
                {""id"":""1"",""agent"":null},{""id"":2,""agent"":{""id"":"""",""status"":0}},{""id"":3,""agent"":{""id"":"" 0012 ""}}]}", DirectoryJson.ReadUserPage);
            Assert.False(page.HasMore);
            Assert.Null(page.NextLastSeenId);
            Assert.Equal(new long[] { 1, 2, 3 }, page.Users.Select(u => u.UserId));
            Assert.Null(page.Users[0].AgentId);
            Assert.Null(page.Users[1].AgentId);
            Assert.Equal("0012", page.Users[2].AgentId);
        }

        [Fact]
        public void Users_has_more_without_last_seen_id_continues_after_the_last_user()
        {
            AcefoneUserPage page = Parse(@"{""has_more"":true,""data"":[{""id"":10},{""id"":11}]}", DirectoryJson.ReadUserPage);
            Assert.Equal(11, page.NextLastSeenId);
        }

        [Theory]
        [InlineData("[]")]
        [InlineData(@"{""has_more"":false}")]
        [InlineData(@"{""data"":""none""}")]
        [InlineData(@"{""data"":[{""name"":""no id""}]}")]
        [InlineData(@"{""data"":[{""id"":""abc""}]}")]
        [InlineData(@"{""data"":[{""id"":1.5}]}")]
        [InlineData(@"{""data"":[""314678""]}")]
        [InlineData(@"{""has_more"":true,""data"":[]}")]
        public void Users_bad_shapes_are_InvalidResponse(string json)
        {
            AcefoneException error = Refused(json, DirectoryJson.ReadUserPage);
            Assert.Equal(AcefoneErrorKind.InvalidResponse, error.Kind);
        }

        [Fact]
        public void Users_success_false_User_not_found_is_NotFound()
        {
            AcefoneException error = Refused(@"{""success"":false,""message"":""User not found""}", DirectoryJson.ReadUserPage);
            Assert.Equal(AcefoneErrorKind.NotFound, error.Kind);
            Assert.Equal("User not found", error.ServerMessage);
        }

        [Fact]
        public void Departments_numbers_as_strings_agents_with_eid_and_missing_agents()
        {
            var departments = Parse(@"[{""id"":""12"",""name"":""Sales"",""description"":""Inbound"",""ring_strategy"":""1"",""intercom"":""8004"",
                ""agents"":[{""id"":""314601"",""name"":""Team Lead 1"",""eid"":""0502842370001""},{""id"":314604,""name"":""Agent 004"",""eid"":""0502842370004"",""x"":1}]},
                {""id"":13,""name"":""Empty"",""intercom"":8005}]", DirectoryJson.ReadDepartments);
            Assert.Equal(2, departments.Count);
            AcefoneDepartment sales = departments[0];
            Assert.Equal("12", sales.DepartmentId);
            Assert.Equal("Sales", sales.Name);
            Assert.Equal("Inbound", sales.Description);
            Assert.Equal("1", sales.RingStrategy);
            Assert.Equal("8004", sales.Intercom);
            Assert.Equal(new[] { "0502842370001", "0502842370004" }, sales.Agents.Select(a => a.AgentId));
            Assert.Equal(new[] { "Team Lead 1", "Agent 004" }, sales.Agents.Select(a => a.Name));
            Assert.Equal(new[] { "314601", "314604" }, sales.Agents.Select(a => a.UserId));
            Assert.Equal("13", departments[1].DepartmentId);
            Assert.Equal("8005", departments[1].Intercom);
            Assert.Empty(departments[1].Agents);
        }

        [Theory]
        [InlineData(@"{""name"":""Sales""}")]
        [InlineData(@"[""Sales""]")]
        [InlineData(@"[{""id"":""12"",""agents"":[""0502842370001""]}]")]
        public void Departments_bad_shapes_are_InvalidResponse(string json)
        {
            Assert.Equal(AcefoneErrorKind.InvalidResponse, Refused(json, DirectoryJson.ReadDepartments).Kind);
        }

        [Theory]
        [InlineData("00:03:07", 187)]
        [InlineData("0:0:5", 5)]
        [InlineData("25:00:01", 90001)]
        [InlineData("03:07", 187)]
        [InlineData("42", 42)]
        [InlineData(" 01:00:00 ", 3600)]
        public void Duration_reads_call_time(string text, int seconds)
        {
            Assert.Equal(TimeSpan.FromSeconds(seconds), DirectoryJson.ParseDuration(text));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("00:61:00")]
        [InlineData("1:2:3:4")]
        [InlineData("-00:01:00")]
        [InlineData("1.5")]
        [InlineData("ab:cd:ef")]
        public void Duration_unreadable_is_null(string? text)
        {
            Assert.Null(DirectoryJson.ParseDuration(text));
        }

        [Theory]
        [InlineData("2024-05-02 19:13:07", 2024, 5, 2, 19, 13, 7)]
        [InlineData("2024-05-02T19:13:07", 2024, 5, 2, 19, 13, 7)]
        [InlineData("2024-12-31 23:59:59", 2024, 12, 31, 23, 59, 59)]
        public void StartedAt_is_account_local_time_with_kind_unspecified(string text, int y, int mo, int d, int h, int mi, int s)
        {
            DateTime? value = DirectoryJson.ParseLocalDateTime(text);
            Assert.Equal(new DateTime(y, mo, d, h, mi, s), value);
            Assert.Equal(DateTimeKind.Unspecified, value!.Value.Kind);
        }

        [Theory]
        [InlineData("2024-02-30 10:00:00")]
        [InlineData("02/05/2024 19:13:07")]
        [InlineData("soon")]
        public void StartedAt_unreadable_is_null(string text)
        {
            Assert.Null(DirectoryJson.ParseLocalDateTime(text));
        }
    }
}
