using System;

namespace Acefone.Client
{
    /// <summary>
    /// The one rule for "may the API have acted on this request?". The error records
    /// (<see cref="AcefoneException.MayHaveActed"/>), the retry policy's failures, the run journal (what a re-run sends
    /// again) and the stop report all read it here; nothing else decides it. A row that may have acted is never sent
    /// twice, so this rule is what keeps a transfer from being made twice.
    /// </summary>
    internal static class Outcome
    {
        /// <param name="kind">The error's kind.</param>
        /// <param name="status">The answer's HTTP status, or null when none arrived.</param>
        /// <param name="reach">How far the request got.</param>
        /// <param name="idempotent">Whether the request is safe to send twice (GET, HEAD, login, refresh, logout).</param>
        internal static bool MayHaveActed(AcefoneErrorKind kind, int? status, RequestReach reach, bool idempotent)
        {
            // Acting twice on a request that is safe to send twice harms nothing: there is nothing to protect.
            if (idempotent) return false;
            switch (reach)
            {
                case RequestReach.NotSent:
                    return false;
                case RequestReach.SentWithoutAnswer:
                case RequestReach.AnswerUnreadable:
                    return true;
                default:
                    // An answer that says what happened: only a failure inside the API leaves it open (a 503 says
                    // nothing was processed; a 4xx, a redirect not followed or success false say it was not done).
                    return kind == AcefoneErrorKind.ServerError && status != 503;
            }
        }

        /// <summary>
        /// For a state-changing request (a call action) that ended in <paramref name="failure"/>: may the API have
        /// acted? What the run journal writes and the stop report says. An error built on a request's path carries how
        /// far it got and answers as its error record does; one made without its request is judged by its kind alone;
        /// a cancellation or an error the engine did not foresee may have come after the request left.
        /// </summary>
        internal static bool MayHaveActed(Exception failure)
        {
            if (!(failure is AcefoneException error)) return true;
            return error.Reach.HasValue
                ? error.MayHaveActed
                : MayHaveActed(error.Kind, error.StatusCode, ReachOf(error.Kind), idempotent: false);
        }

        /// <summary>Records on <paramref name="error"/> how far its request got; its MayHaveActed reads the rule from then on.</summary>
        internal static AcefoneException Record(AcefoneException error, RequestReach reach, bool idempotent)
        {
            error.Reach = reach;
            error.Idempotent = idempotent;
            return error;
        }

        /// <summary>How far a request got, judged from the kind of an error made without it.</summary>
        private static RequestReach ReachOf(AcefoneErrorKind kind)
        {
            switch (kind)
            {
                case AcefoneErrorKind.OutcomeUnknown:
                    return RequestReach.SentWithoutAnswer;
                case AcefoneErrorKind.InvalidResponse:
                    return RequestReach.AnswerUnreadable;
                default:
                    return RequestReach.Answered;
            }
        }
    }
}
