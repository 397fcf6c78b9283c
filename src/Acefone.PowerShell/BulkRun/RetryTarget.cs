using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// The TargetObject of a row the API failed: the request's own fields under the names the call operations bind
    /// by property name, so piping it back (or exporting it to CSV and importing it) runs the row again. One shape
    /// whether the row came from a CSV, a live call or parameters typed at a prompt.
    /// </summary>
    internal static class RetryTarget
    {
        internal static PSObject For(CallActionRequest request)
        {
            var target = new PSObject();
            if (request is CallOptionRequest option)
            {
                target.Properties.Add(new PSNoteProperty("type", option.Operation.ToString()));
                target.Properties.Add(new PSNoteProperty("call_id", option.CallId));
                if (option.Operation == CallOperation.Transfer)
                    target.Properties.Add(new PSNoteProperty("intercom", option.IntercomText));   // "a,b": binds back as two destinations
                else
                    target.Properties.Add(new PSNoteProperty("agent_id", option.AgentId));
            }
            else if (request is ClickToCallRequest call)
            {
                target.Properties.Add(new PSNoteProperty("agent_number", call.AgentNumber));
                target.Properties.Add(new PSNoteProperty("destination_number", call.DestinationNumber));
                if (call.CallerId != null) target.Properties.Add(new PSNoteProperty("caller_id", call.CallerId));
                if (call.CallTimeout.HasValue) target.Properties.Add(new PSNoteProperty("call_timeout", call.CallTimeout.Value));
                if (call.CustomIdentifier != null) target.Properties.Add(new PSNoteProperty("custom_identifier", call.CustomIdentifier));
            }
            else if (request is AgentStateRequest agent)
            {
                target.Properties.Add(new PSNoteProperty("agent_id", agent.AgentId));
            }
            else
            {
                target.Properties.Add(new PSNoteProperty("call_id", request.CallId));
            }
            return target;
        }
    }
}
