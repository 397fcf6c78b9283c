namespace Acefone.Client
{
    /// <summary>
    /// One user of GET /v1/users. <see cref="AgentId"/> binds to the supervisor operations' -AgentId; the user
    /// has no property that binds to -CallId or -Intercom.
    /// </summary>
    public sealed class AcefoneUser
    {
        public AcefoneUser(long userId)
        {
            UserId = userId;
        }

        public long UserId { get; }
        public string? Name { get; internal set; }
        public string? LoginId { get; internal set; }
        /// <summary><c>agent.id</c>: text with its leading zeros. Null for a user without an agent.</summary>
        public string? AgentId { get; internal set; }
        /// <summary>Null for a user without an agent.</summary>
        public AgentStatus? AgentStatus { get; internal set; }
        /// <summary><c>user_role.name</c>, e.g. Supervisor.</summary>
        public string? Role { get; internal set; }
        public long? RoleId { get; internal set; }
        public string? Extension { get; internal set; }
        /// <summary><c>agent.follow_me_number</c>: the number the agent answers on.</summary>
        public string? FollowMeNumber { get; internal set; }
        /// <summary><c>user_status</c> as the API sends it (its meaning is not documented).</summary>
        public int? UserStatus { get; internal set; }

        public bool HasAgent => !string.IsNullOrEmpty(AgentId);

        public override string ToString() => Name ?? UserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
