namespace Acefone.Client
{
    /// <summary>Passes what the engine tells an observer through the session's redactor first: notes and debug lines can quote an answer.</summary>
    internal sealed class RedactingObserver : IAcefoneRequestObserver
    {
        private readonly IAcefoneRequestObserver _inner;
        private readonly SessionSecrets _secrets;

        private RedactingObserver(IAcefoneRequestObserver inner, SessionSecrets secrets)
        {
            _inner = inner;
            _secrets = secrets;
        }

        internal static IAcefoneRequestObserver? Wrap(IAcefoneRequestObserver? observer, SessionSecrets secrets)
        {
            if (observer == null) return null;
            if (observer is RedactingObserver redacting && ReferenceEquals(redacting._secrets, secrets)) return observer;
            return new RedactingObserver(observer, secrets);
        }

        public bool WantsDebug => _inner.WantsDebug;

        /// <summary>Whether any observer keeps Debug lines: bodies are decoded and redacted for it only then.</summary>
        internal static bool KeepsDebug(IAcefoneRequestObserver? observer) => observer != null && observer.WantsDebug;

        public void OnAttempt(AcefoneRequestTrace trace)
        {
            string? note = trace.Note == null ? null : _secrets.Redact(trace.Note);
            _inner.OnAttempt(ReferenceEquals(note, trace.Note) || note == trace.Note
                ? trace
                : new AcefoneRequestTrace(trace.Method, trace.Path, trace.StatusCode, trace.Elapsed, trace.Attempt, trace.RateLimitWait, note));
        }

        public void OnDebug(string message) => _inner.OnDebug(_secrets.Redact(message));
    }
}
