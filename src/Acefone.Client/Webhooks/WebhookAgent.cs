namespace Acefone.Client
{
    /// <summary>An agent as a webhook names one: a plain string, an object, or an object sent as a JSON string all end up here.</summary>
    public sealed class WebhookAgent
    {
        public WebhookAgent(string? id, string? name, string? number)
        {
            Id = id;
            Name = name;
            Number = number;
        }

        public string? Id { get; }
        public string? Name { get; }
        public string? Number { get; }

        public override string ToString() => Name ?? Number ?? Id ?? string.Empty;
    }
}
