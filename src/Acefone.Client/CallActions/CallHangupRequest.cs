using System;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>A validated POST /v1/call/hangup request: ends a live call for everyone on it.</summary>
    public sealed class CallHangupRequest : CallActionRequest<CallHangupResult>
    {
        private CallHangupRequest(string callId)
            : base(callId)
        {
        }

        /// <summary>Validates the call id as every call operation does; throws <see cref="AcefoneInputException"/> naming it.</summary>
        public static CallHangupRequest Create(string? callId) => new CallHangupRequest(InputRules.CallId(callId));

        private protected override string BuildDescription() => $"Hang up call '{CallId}'";

        internal override string DuplicateKey => KeyOf(CallId);

        /// <summary>The duplicate key from a journal line's fields.</summary>
        internal static string KeyOf(string callId) => "hangup\u001f" + callId;

        internal const string OperationName = "Hangup";

        internal override string JournalOperation => OperationName;

        internal override string ApiPath => "v1/call/hangup";

        private protected override byte[] ToJson() => RequestJson.CallId(CallId);

        private protected override CallHangupResult SkippedResult(EarlierOutcome outcome, DateTime earlierTime) => new CallHangupResult(CallId, outcome, earlierTime);

        internal override Task<CallHangupResult> SendAsync(AcefoneSession session, IAcefoneRequestObserver? observer, CancellationToken cancellationToken) =>
            session.HangupCallAsync(this, observer, cancellationToken);
    }
}
