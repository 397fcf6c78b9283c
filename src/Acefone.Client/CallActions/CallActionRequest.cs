using System;
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

        /// <summary>
        /// Hands itself, typed, to <paramref name="sender"/> (the bulk run, which may record the row in its journal). The
        /// task is the request's own typed one (no wrapper per row); <see cref="ResultOf"/> reads its answer.
        /// </summary>
        internal abstract Task SendThrough(ICallActionSender sender, long row);

        /// <summary>The answer of a task from <see cref="SendThrough"/> (or <see cref="Skipped"/>) that ran to completion.</summary>
        internal abstract object ResultOf(Task sent);

        /// <summary>A completed task holding the AlreadySent result of a row the journal skips (read by <see cref="ResultOf"/>).</summary>
        internal abstract Task Skipped(EarlierOutcome outcome, DateTime earlierTime);

        public override string ToString() => Describe();
    }

    /// <summary>A call action whose accepted answer is a <typeparamref name="TResult"/> (a call option's, a hangup's).</summary>
    public abstract class CallActionRequest<TResult> : CallActionRequest where TResult : class
    {
        private protected CallActionRequest(string callId)
            : base(callId)
        {
        }

        /// <summary>Sends it through the session and returns the typed result.</summary>
        internal abstract Task<TResult> SendAsync(AcefoneSession session, IAcefoneRequestObserver? observer, CancellationToken cancellationToken);

        internal sealed override Task SendThrough(ICallActionSender sender, long row) => sender.Send(this, row);

        internal sealed override object ResultOf(Task sent) => ((Task<TResult>)sent).Result;

        internal sealed override Task Skipped(EarlierOutcome outcome, DateTime earlierTime) => Task.FromResult(SkippedResult(outcome, earlierTime));

        /// <summary>The result object of a row the journal skips: the same type as a sent row's, Status AlreadySent.</summary>
        private protected abstract TResult SkippedResult(EarlierOutcome outcome, DateTime earlierTime);
    }
}
