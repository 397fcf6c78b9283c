using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// A validated request that acts on one live call (a call option, a hangup). None of them is idempotent:
    /// each is sent once and never resent after an ambiguous failure. Only this assembly defines new kinds.
    /// </summary>
    public abstract class CallActionRequest
    {
        private byte[]? _json;
        private string? _description;

        private protected CallActionRequest(string callId)
        {
            CallId = callId;
        }

        public string CallId { get; }

        /// <summary>How a person reads what the request does: "Transfer call '175.8118' to '80XX4'".</summary>
        public string Describe() => _description ??= BuildDescription();

        private protected abstract string BuildDescription();

        /// <summary>Identifies requests that would do the same thing twice. The run journal keys its rows by it too.</summary>
        internal abstract string DuplicateKey { get; }

        /// <summary>The operation as the run journal writes it: Monitor, Whisper, Barge, Transfer or Hangup.</summary>
        internal abstract string JournalOperation { get; }

        /// <summary>The supervisor's agent id, for the operations that take one.</summary>
        internal virtual string? JournalAgentId => null;

        /// <summary>The destinations joined with ',', for a transfer.</summary>
        internal virtual string? JournalIntercom => null;

        /// <summary>Relative path of the POST: "v1/call/options".</summary>
        internal abstract string ApiPath { get; }

        /// <summary>The JSON body, built once: what -WhatIf shows is byte for byte what is sent.</summary>
        internal byte[] Json => _json ??= ToJson();

        private protected abstract byte[] ToJson();

        /// <summary>Sends it through the session and returns the typed result, boxed for callers that handle every kind.</summary>
        internal abstract Task<object> SendAsync(AcefoneSession session, IAcefoneRequestObserver? observer, CancellationToken cancellationToken);

        private protected static async Task<object> Boxed<T>(Task<T> task) where T : class => await task.ConfigureAwait(false);

        public override string ToString() => Describe();
    }
}
