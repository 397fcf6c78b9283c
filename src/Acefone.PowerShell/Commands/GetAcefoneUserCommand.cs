using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>
    /// Lists users and their agents (GET /v1/users), page by page, writing each page as it arrives. Filters run
    /// here, as the API has none. A user's AgentId binds to the supervisor operations' -AgentId.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AcefoneUser")]
    [OutputType(typeof(AcefoneUser))]
    public sealed class GetAcefoneUserCommand : AcefoneCmdlet
    {
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>Exact agent ids; paging stops once every one is found.</summary>
        [Parameter]
        [Alias("agent_id")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(AgentIdCompleter))]
        public string[]? AgentId { get; set; }

        /// <summary>Only agents in these states (Blocked: "unblock everyone I blocked" is one pipeline). Users without an agent never match.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public AgentStatus[]? Status { get; set; }

        protected override void EndProcessing()
        {
            AcefoneSession session = ResolveSession();
            var names = new NameFilter(Name);
            HashSet<string>? agentIds = AgentId == null ? null : new HashSet<string>(AgentId.Select(a => a.Trim()), StringComparer.Ordinal);
            var foundAgentIds = new HashSet<string>(StringComparer.Ordinal);
            AcefoneUserPager pager = session.PageUsers();
            try
            {
                AcefoneUserPage? page;
                while ((page = Wait(pager.NextAsync(Observer, StopToken))) != null)
                {
                    foreach (AcefoneUser user in page.Users)
                    {
                        bool agentMatches = agentIds == null || (user.AgentId != null && agentIds.Contains(user.AgentId));
                        // Both filters apply; evaluate the name only for agent matches, so literal names are not marked found by others.
                        if (!agentMatches || !names.Matches(user.Name)) continue;
                        if (Status != null && !(user.AgentStatus.HasValue && Array.IndexOf(Status, user.AgentStatus.Value) >= 0)) continue;
                        if (user.AgentId != null) foundAgentIds.Add(user.AgentId);
                        WriteObject(user);
                    }
                    if (page.NextLastSeenId != null && agentIds != null && foundAgentIds.Count == agentIds.Count)
                    {
                        WriteVerbose("Every agent id asked for was found; no further pages requested.");
                        break;
                    }
                }
            }
            catch (AcefoneException ex)
            {
                // The users written so far stay written; the error says the list is incomplete.
                WriteFailure(ex, pager.NextLastSeenId);
                return;
            }
            if (agentIds != null)
            {
                foreach (string missing in agentIds.Where(a => !foundAgentIds.Contains(a)))
                {
                    var error = new ItemNotFoundException($"No user has agent id '{missing}'" + (names.IsEmpty ? "." : " and a matching name."));
                    WriteError(new ErrorRecord(error, "UserNotFound", ErrorCategory.ObjectNotFound, missing));
                }
            }
            foreach (string missing in names.Unmatched)
            {
                var error = new ItemNotFoundException($"No user is named '{missing}'" + (agentIds == null ? "." : " with a matching agent id."));
                WriteError(new ErrorRecord(error, "UserNotFound", ErrorCategory.ObjectNotFound, missing));
            }
        }
    }
}
