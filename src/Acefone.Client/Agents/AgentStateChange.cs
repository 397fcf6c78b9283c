namespace Acefone.Client
{
    /// <summary>What POST /v1/agent/{id}/block or /unblock does to an agent.</summary>
    public enum AgentStateChange
    {
        /// <summary>Takes the agent off the queue: a blocked agent receives no calls.</summary>
        Block = 1,
        Unblock = 2,
    }
}
