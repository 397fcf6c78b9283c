namespace Acefone.Client
{
    /// <summary><c>agent.status</c> of a user, as the API numbers it.</summary>
    public enum AgentStatus
    {
        Available = 0,
        Blocked = 1,
        Disabled = 2,
        Busy = 3,
        Offline = 4,
    }
}
