namespace Acefone.Client
{
    /// <summary>How far a request got before it failed: with the error kind, what <see cref="Outcome"/> decides from.</summary>
    internal enum RequestReach
    {
        /// <summary>Nothing reached the API: refused before sending, never connected, queued out, or a proxy's 407.</summary>
        NotSent,
        /// <summary>Sent, and no whole answer came: a timeout, a lost connection, an answer cut off or too large to read.</summary>
        SentWithoutAnswer,
        /// <summary>An answer came but does not say what happened: not JSON, no readable 'success', a body of the wrong shape.</summary>
        AnswerUnreadable,
        /// <summary>An answer that says what happened (a status, success true or false).</summary>
        Answered,
    }
}
