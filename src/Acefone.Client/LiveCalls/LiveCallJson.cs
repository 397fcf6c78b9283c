using System;
using System.Collections.Generic;
using System.Text.Json;

namespace Acefone.Client
{
    /// <summary>
    /// Reads GET /v1/live_calls leniently, with the directory's readers (<see cref="DirectoryJson"/>): a live call
    /// without a call_id is reported on its own and the others are listed.
    /// </summary>
    internal static class LiveCallJson
    {
        internal static AcefoneLiveCallList ReadLiveCalls(JsonElement root) => ReadLiveCalls(root, DateTimeOffset.UtcNow);

        /// <param name="root">The answer's JSON.</param>
        /// <param name="listedAt">When the answer arrived: with call_time it gives each call's start in UTC, hence the account's offset.</param>
        internal static AcefoneLiveCallList ReadLiveCalls(JsonElement root, DateTimeOffset listedAt)
        {
            JsonElement list = DirectoryJson.ListIn(root, "live calls");
            var calls = new List<AcefoneLiveCall>(list.GetArrayLength());
            List<AcefoneException>? skipped = null;
            int index = 0;
            foreach (JsonElement item in list.EnumerateArray())
            {
                index++;
                try
                {
                    calls.Add(ReadLiveCall(item, index, listedAt));
                }
                catch (AcefoneException ex) when (ex.Kind == AcefoneErrorKind.InvalidResponse)
                {
                    // One bad entry is reported on its own; the calls around it are still worth acting on.
                    ex.ResponseBody = SecretRedactor.Truncate(SecretRedactor.Redact(item.GetRawText()), 2048);
                    (skipped ??= new List<AcefoneException>()).Add(ex);
                }
            }
            return new AcefoneLiveCallList(calls, (IReadOnlyList<AcefoneException>?)skipped ?? Array.Empty<AcefoneException>());
        }

        private static AcefoneLiveCall ReadLiveCall(JsonElement item, int index, DateTimeOffset listedAt)
        {
            DirectoryJson.RequireObject(item, "live call", index);
            string? callId = ResponseJson.ReadText(item, "call_id");
            if (string.IsNullOrWhiteSpace(callId))
                throw DirectoryJson.Invalid($"live call {index} of the answer has no call_id ({DirectoryJson.DisplayField(item, "call_id")}), so nothing could act on it.");
            return new AcefoneLiveCall(callId!.Trim())
            {
                RowId = ResponseJson.ReadText(item, "id"),
                Direction = DirectoryJson.ReadEnum<CallDirection>(item, "direction"),
                State = ResponseJson.ReadText(item, "state"),
                QueueState = ResponseJson.ReadText(item, "queue_state"),
                Source = ResponseJson.ReadText(item, "source"),
                Destination = ResponseJson.ReadText(item, "destination"),
                CustomerNumber = ResponseJson.ReadText(item, "customer_number"),
                Did = ResponseJson.ReadText(item, "did"),
                AgentName = ResponseJson.ReadText(item, "agent_name"),
                AgentNumber = ResponseJson.ReadText(item, "agent_number"),
                Extension = ResponseJson.ReadText(item, "extension"),
                ChannelId = ResponseJson.ReadText(item, "channel_id"),
                StartedAt = DirectoryJson.ParseLocalDateTime(ResponseJson.ReadText(item, "created_at")),
                Duration = DirectoryJson.ParseDuration(ResponseJson.ReadText(item, "call_time")),
                ListedAt = listedAt,
            };
        }
    }
}
