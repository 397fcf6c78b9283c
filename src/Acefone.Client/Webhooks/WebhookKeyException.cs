using System;

namespace Acefone.Client
{
    /// <summary>A -DeduplicateBy name the delivery does not have: the input is a webhook, the key is what is wrong.</summary>
    public sealed class WebhookKeyException : FormatException
    {
        public WebhookKeyException(string message) : base(message)
        {
        }
    }
}
