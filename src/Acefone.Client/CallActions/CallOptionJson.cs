namespace Acefone.Client
{
    /// <summary>Writes a call option's body exactly as the API document describes it.</summary>
    internal static class CallOptionJson
    {
        /// <summary>
        /// type as a JSON integer; agent_id as a string (leading zeros intact); one destination as a string
        /// (what every example and client sends), several as an array (the documented type); no null fields.
        /// </summary>
        internal static byte[] Write(CallOptionRequest request)
        {
            return RequestJson.Write(writer =>
            {
                writer.WriteNumber("type", (int)request.Operation);
                writer.WriteString("call_id", request.CallId);
                if (request.AgentId != null) writer.WriteString("agent_id", request.AgentId);
                if (request.Intercom.Count == 1)
                {
                    writer.WriteString("intercom", request.Intercom[0]);
                }
                else if (request.Intercom.Count > 1)
                {
                    writer.WriteStartArray("intercom");
                    foreach (string destination in request.Intercom) writer.WriteStringValue(destination);
                    writer.WriteEndArray();
                }
            });
        }
    }
}
