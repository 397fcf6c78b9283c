using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace Acefone.Client
{
    /// <summary>
    /// Reads the directory's answers (users, departments; live calls through <see cref="LiveCallJson"/>) leniently: numbers may come as strings or
    /// numbers, unknown fields are ignored, optional fields may be missing or null. What the pipeline depends on
    /// (a live call's call_id, a user's id, the list itself) must be there; otherwise the answer is refused as
    /// <see cref="AcefoneErrorKind.InvalidResponse"/>, never with another exception type.
    /// </summary>
    internal static class DirectoryJson
    {
        private static readonly string[] DateTimeFormats =
        {
            "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm",
        };

        internal static AcefoneUserPage ReadUserPage(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
                throw Invalid($"the users answer is JSON {Kind(root)} where an object with 'data' was expected.");
            ThrowIfRefused(root);
            if (!ResponseJson.TryGetProperty(root, "data", out JsonElement data) || data.ValueKind != JsonValueKind.Array)
                throw Invalid("the users answer has no 'data' list.");
            var users = new List<AcefoneUser>(data.GetArrayLength());
            int index = 0;
            foreach (JsonElement item in data.EnumerateArray())
            {
                index++;
                users.Add(ReadUser(item, index));
            }
            bool hasMore = ResponseJson.ReadBool(root, "has_more") ?? false;
            long? lastSeenId = ResponseJson.ReadInt64(root, "last_seen_id");
            if (hasMore && lastSeenId == null)
            {
                // Undocumented but safe: the list is ordered by id, so the last user's id is where the next page starts.
                if (users.Count == 0)
                    throw Invalid("the users answer says has_more but gives no last_seen_id and no users, so the next page cannot be asked for.");
                lastSeenId = users[users.Count - 1].UserId;
            }
            return new AcefoneUserPage(users, hasMore, lastSeenId);
        }

        internal static AcefoneUser ReadUser(JsonElement item, int index)
        {
            RequireObject(item, "user", index);
            long? id = ResponseJson.ReadInt64(item, "id");
            if (id == null)
                throw Invalid($"user {index} of the answer has no numeric id ({DisplayField(item, "id")}).");
            var user = new AcefoneUser(id.Value)
            {
                Name = ResponseJson.ReadText(item, "name"),
                LoginId = ResponseJson.ReadText(item, "login_id"),
                Extension = ResponseJson.ReadText(item, "extension"),
                UserStatus = (int?)ResponseJson.ReadInt64(item, "user_status"),
            };
            if (ResponseJson.TryGetProperty(item, "agent", out JsonElement agent) && agent.ValueKind == JsonValueKind.Object)
            {
                string? agentId = ResponseJson.ReadText(agent, "id")?.Trim();
                user.AgentId = string.IsNullOrEmpty(agentId) ? null : agentId;
                user.AgentStatus = ReadEnum<AgentStatus>(agent, "status");
                user.FollowMeNumber = ResponseJson.ReadText(agent, "follow_me_number");
            }
            if (ResponseJson.TryGetProperty(item, "user_role", out JsonElement role))
            {
                if (role.ValueKind == JsonValueKind.Object)
                {
                    user.Role = ResponseJson.ReadText(role, "name");
                    user.RoleId = ResponseJson.ReadInt64(role, "id");
                }
                else if (role.ValueKind == JsonValueKind.String)
                {
                    user.Role = ResponseJson.Text(role);
                }
            }
            return user;
        }

        internal static IReadOnlyList<AcefoneDepartment> ReadDepartments(JsonElement root)
        {
            JsonElement list = ListIn(root, "departments");
            var departments = new List<AcefoneDepartment>(list.GetArrayLength());
            int index = 0;
            foreach (JsonElement item in list.EnumerateArray())
            {
                index++;
                RequireObject(item, "department", index);
                var agents = new List<AcefoneDepartmentAgent>();
                if (ResponseJson.TryGetProperty(item, "agents", out JsonElement agentList) && agentList.ValueKind == JsonValueKind.Array)
                {
                    int agentIndex = 0;
                    foreach (JsonElement agent in agentList.EnumerateArray())
                    {
                        agentIndex++;
                        if (agent.ValueKind != JsonValueKind.Object)
                            throw Invalid($"agent {agentIndex} of department {index} is JSON {Kind(agent)} where an object was expected.");
                        agents.Add(new AcefoneDepartmentAgent(ResponseJson.ReadText(agent, "id"), ResponseJson.ReadText(agent, "name"),
                            ResponseJson.ReadText(agent, "eid")?.Trim()));
                    }
                }
                departments.Add(new AcefoneDepartment(ResponseJson.ReadText(item, "id"), agents)
                {
                    Name = ResponseJson.ReadText(item, "name"),
                    Description = ResponseJson.ReadText(item, "description"),
                    RingStrategy = ResponseJson.ReadText(item, "ring_strategy"),
                    Intercom = ResponseJson.ReadText(item, "intercom"),
                });
            }
            return departments;
        }

        /// <summary>"YYYY-MM-DD HH:MM:SS" in the account's zone, kept with Kind Unspecified; null when missing or unreadable.</summary>
        internal static DateTime? ParseLocalDateTime(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            return DateTime.TryParseExact(text!.Trim(), DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime value)
                ? DateTime.SpecifyKind(value, DateTimeKind.Unspecified)
                : (DateTime?)null;
        }

        /// <summary>"HH:MM:SS" (hours may pass 23), "MM:SS", or whole seconds; null when missing or unreadable.</summary>
        internal static TimeSpan? ParseDuration(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            string[] parts = text!.Trim().Split(':');
            if (parts.Length > 3) return null;
            long total = 0;
            for (int i = 0; i < parts.Length; i++)
            {
                if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out long part)) return null;
                if (i > 0 && part >= 60) return null;
                if (part > 100_000_000) return null;
                total = total * 60 + part;
            }
            return TimeSpan.FromSeconds(total);
        }

        /// <summary>A number ("1" or 1) or a member name; a number this module does not know is kept as that number.</summary>
        internal static T? ReadEnum<T>(JsonElement obj, string name) where T : struct, Enum
        {
            string? text = ResponseJson.ReadText(obj, name)?.Trim();
            if (string.IsNullOrEmpty(text)) return null;
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number))
                return (T)Enum.ToObject(typeof(T), number);
            foreach (T candidate in (T[])Enum.GetValues(typeof(T)))
            {
                if (string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase)) return candidate;
            }
            return null;
        }

        /// <summary>A top-level array, or (leniently) an object wrapping one in 'data'.</summary>
        internal static JsonElement ListIn(JsonElement root, string what)
        {
            if (root.ValueKind == JsonValueKind.Array) return root;
            if (root.ValueKind == JsonValueKind.Object)
            {
                ThrowIfRefused(root);
                if (ResponseJson.TryGetProperty(root, "data", out JsonElement data) && data.ValueKind == JsonValueKind.Array) return data;
            }
            throw Invalid($"the {what} answer is JSON {Kind(root)} where a list was expected.");
        }

        /// <summary>{"success": false, "message": "User not found"} in place of data.</summary>
        private static void ThrowIfRefused(JsonElement root)
        {
            if (ResponseJson.ReadSuccess(root) != false) return;
            string? message = ResponseJson.ReadMessage(root);
            bool notFound = message != null && message.IndexOf("not found", StringComparison.OrdinalIgnoreCase) >= 0;
            throw new AcefoneException(notFound ? AcefoneErrorKind.NotFound : AcefoneErrorKind.Rejected,
                "the API answered success: false instead of data.")
            {
                ServerMessage = message,
            };
        }

        internal static void RequireObject(JsonElement item, string what, int index)
        {
            if (item.ValueKind != JsonValueKind.Object)
                throw Invalid($"{what} {index} of the answer is JSON {Kind(item)} where an object was expected.");
        }

        internal static string DisplayField(JsonElement obj, string name) =>
            ResponseJson.TryGetProperty(obj, name, out JsonElement value) ? InputRules.Display(value.GetRawText(), 30) : "missing";

        private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();

        internal static AcefoneException Invalid(string what) => new AcefoneException(AcefoneErrorKind.InvalidResponse, "The API's answer does not have the expected shape: " + what);
    }
}
