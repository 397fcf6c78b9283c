using System.Collections.Generic;

namespace Acefone.Client
{
    /// <summary>An agent in a department. <see cref="AgentId"/> (the API's <c>eid</c>) binds to -AgentId.</summary>
    public sealed class AcefoneDepartmentAgent
    {
        internal AcefoneDepartmentAgent(string? userId, string? name, string? agentId)
        {
            UserId = userId;
            Name = name;
            AgentId = agentId;
        }

        /// <summary>The API's <c>id</c> of the entry (the user id), as text.</summary>
        public string? UserId { get; }
        public string? Name { get; }
        /// <summary>The API's <c>eid</c>: the agent id, leading zeros kept.</summary>
        public string? AgentId { get; }

        public override string ToString() => $"{Name} ({AgentId})";
    }
}
