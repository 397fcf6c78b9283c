namespace Acefone.Client
{
    /// <summary>The query filters of GET /v1/live_calls; the API combines the given ones with AND.</summary>
    public sealed class LiveCallFilter
    {
        public string? AgentNumber { get; set; }
        public string? Extension { get; set; }
        public string? DidNumber { get; set; }
        public string? CallId { get; set; }
    }
}
