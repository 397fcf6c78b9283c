using System;
using System.Collections.Generic;
using System.Linq;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// An agent id a spreadsheet has changed on its way in: Excel reads 0502842370001 as a number and writes back
    /// 502842370001. Such an id is sent as given (the user may know better), but with a warning saying what it
    /// probably was. Pure: the caller supplies the account's agents.
    /// </summary>
    internal static class AgentIdCheck
    {
        /// <summary>An all-digit id without its leading zero: what a spreadsheet leaves of a real agent id.</summary>
        internal static bool LooksStripped(string agentId) =>
            agentId.Length > 0 && agentId[0] != '0' && agentId.All(c => c >= '0' && c <= '9');

        /// <summary>The warning for <paramref name="agentId"/>, or null when it is a known agent (or nothing can be said).</summary>
        /// <param name="agentId">The agent id as given (trimmed).</param>
        /// <param name="agents">The account's users, or null when they could not be listed.</param>
        internal static string? Warning(string agentId, IReadOnlyList<AcefoneUser>? agents)
        {
            if (agents == null)
            {
                return LooksStripped(agentId)
                    ? $"agent_id '{agentId}' has no leading zero; agent ids such as Get-AcefoneUser shows start with 0 (a spreadsheet drops it). It is sent as given."
                    : null;
            }
            if (agents.Any(u => string.Equals(u.AgentId, agentId, StringComparison.Ordinal))) return null;
            AcefoneUser? restored = LooksStripped(agentId)
                ? agents.FirstOrDefault(u => u.AgentId != null && u.AgentId.Length > agentId.Length && u.AgentId.TrimStart('0') == agentId)
                : null;
            return restored != null
                ? $"agent_id '{agentId}' is no agent of this account, but '{restored.AgentId}' ({restored.Name}) is: a spreadsheet may have dropped its leading zero. It is sent as given; use '{restored.AgentId}' (keep the column as text)."
                : $"agent_id '{agentId}' is no agent of this account (Get-AcefoneUser lists them). It is sent as given.";
        }
    }
}
