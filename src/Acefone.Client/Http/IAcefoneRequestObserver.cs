using System;

namespace Acefone.Client
{
    /// <summary>
    /// Hears about each HTTP attempt. Called on whatever thread the request completes on; the PowerShell layer
    /// queues what it hears and writes it on the pipeline thread.
    /// </summary>
    public interface IAcefoneRequestObserver
    {
        void OnAttempt(AcefoneRequestTrace trace);

        /// <summary>Detail for Debug output; bodies in it have secrets redacted.</summary>
        void OnDebug(string message);

        /// <summary>
        /// Whether this observer keeps what <see cref="OnDebug"/> hears. Read once per request: when false, the engine
        /// does not decode and redact request and answer bodies for it (OnDebug may still be called for other notes).
        /// </summary>
        bool WantsDebug { get; }
    }
}
