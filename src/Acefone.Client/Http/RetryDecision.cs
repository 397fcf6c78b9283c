using System;
using System.Net.Http.Headers;

namespace Acefone.Client
{
    internal readonly struct RetryDecision
    {
        private RetryDecision(RetryAction action, TimeSpan delay, AcefoneErrorKind failureKind, RequestReach reach, bool idempotent, LimiterSignal limiter, bool overCap)
        {
            Action = action;
            Delay = delay;
            FailureKind = failureKind;
            Reach = reach;
            Idempotent = idempotent;
            Limiter = limiter;
            OverCap = overCap;
        }

        internal RetryAction Action { get; }
        /// <summary>For <see cref="RetryAction.WaitThenResend"/>.</summary>
        internal TimeSpan Delay { get; }
        /// <summary>For <see cref="RetryAction.Fail"/>.</summary>
        internal AcefoneErrorKind FailureKind { get; }
        /// <summary>For <see cref="RetryAction.Fail"/>: how far the request got.</summary>
        internal RequestReach Reach { get; }
        internal bool Idempotent { get; }
        /// <summary>For <see cref="RetryAction.Fail"/>: the request may have reached the API and acted (<see cref="Outcome"/>'s word).</summary>
        internal bool MayHaveActed => Action == RetryAction.Fail && Outcome.MayHaveActed(FailureKind, null, Reach, Idempotent);
        /// <summary>For <see cref="RetryAction.Return"/>.</summary>
        internal LimiterSignal Limiter { get; }
        /// <summary>The API asked for a wait longer than <see cref="RetryAfter.Cap"/>: returned at once, nothing paused.</summary>
        internal bool OverCap { get; }

        internal static RetryDecision Return(LimiterSignal limiter, bool overCap = false) =>
            new RetryDecision(RetryAction.Return, TimeSpan.Zero, default, default, false, limiter, overCap);
        internal static RetryDecision Fail(AcefoneErrorKind kind, RequestReach reach, bool idempotent) =>
            new RetryDecision(RetryAction.Fail, TimeSpan.Zero, kind, reach, idempotent, LimiterSignal.None, false);
        internal static RetryDecision Wait(TimeSpan delay) =>
            new RetryDecision(RetryAction.WaitThenResend, delay, default, default, false, LimiterSignal.None, false);
        internal static RetryDecision Resend(RetryAction action) =>
            new RetryDecision(action, TimeSpan.Zero, default, default, false, LimiterSignal.None, false);
    }
}
