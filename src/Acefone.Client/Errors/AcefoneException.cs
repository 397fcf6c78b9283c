using System;

namespace Acefone.Client
{
    /// <summary>Every failure the engine reports: what was being done, to which call, and what the API said.</summary>
    public class AcefoneException : Exception
    {
        public AcefoneException(AcefoneErrorKind kind, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            Kind = kind;
        }

        public AcefoneErrorKind Kind { get; }
        public CallOperation? Operation { get; internal set; }
        public string? CallId { get; internal set; }
        /// <summary>The HTTP status, or null when no answer arrived.</summary>
        public int? StatusCode { get; internal set; }
        /// <summary>The API's own message, when it sent one.</summary>
        public string? ServerMessage { get; internal set; }
        /// <summary>The start of the answer's body (at most 2 KB, secrets redacted), for diagnosis.</summary>
        public string? ResponseBody { get; internal set; }
        /// <summary>How many times the request was sent.</summary>
        public int Attempts { get; internal set; }
        /// <summary>The method and path of the request that failed, e.g. "POST /v1/call/options".</summary>
        public string? Request { get; internal set; }
        /// <summary>
        /// True when a state-changing request reached the API but its answer could not be read as a definite success
        /// or failure (an InvalidResponse such as a 200 with HTML or no body): the API may have acted. Always true for OutcomeUnknown.
        /// </summary>
        /// <remarks>Decided by <see cref="Outcome"/> alone, from the kind, the status and how far the request got.</remarks>
        public bool MayHaveActed => Reach.HasValue && Outcome.MayHaveActed(Kind, StatusCode, Reach.Value, Idempotent);
        /// <summary>How far the request got; null for an error made without a request (input, a parser on its own).</summary>
        internal RequestReach? Reach { get; set; }
        /// <summary>Whether the failed request is safe to send twice.</summary>
        internal bool Idempotent { get; set; }
        /// <summary>How long the API asked to wait (Retry-After, or retry_after in a throttled login's answer), when it said.</summary>
        public System.TimeSpan? RetryAfter { get; internal set; }

        /// <summary>
        /// This exception as it may leave the engine: the same, or a copy whose message, API text and inner exceptions
        /// went through <paramref name="redact"/>. Input errors carry the caller's own values and are returned as they are.
        /// </summary>
        internal virtual AcefoneException WithTextRedacted(System.Func<string?, string> redact)
        {
            string message = redact(Message);
            string? serverMessage = ServerMessage == null ? null : redact(ServerMessage);
            string? responseBody = ResponseBody == null ? null : redact(ResponseBody);
            Exception? inner = RedactChain(InnerException, redact, out bool innerChanged);
            if (!innerChanged && message == Message && serverMessage == ServerMessage && responseBody == ResponseBody) return this;
            return new AcefoneException(Kind, message, inner)
            {
                Operation = Operation,
                CallId = CallId,
                StatusCode = StatusCode,
                ServerMessage = serverMessage,
                ResponseBody = responseBody,
                Attempts = Attempts,
                Request = Request,
                Reach = Reach,
                Idempotent = Idempotent,
                RetryAfter = RetryAfter,
            };
        }

        /// <summary>A new exception object with the same content, for rethrowing one failure to many waiters.</summary>
        internal virtual AcefoneException Copy() => new AcefoneException(Kind, Message, InnerException)
        {
            Operation = Operation,
            CallId = CallId,
            StatusCode = StatusCode,
            ServerMessage = ServerMessage,
            ResponseBody = ResponseBody,
            Attempts = Attempts,
            Request = Request,
            Reach = Reach,
            Idempotent = Idempotent,
            RetryAfter = RetryAfter,
        };

        /// <summary>The inner chain as it is when no message in it holds a secret; otherwise stand-ins with redacted messages.</summary>
        private static Exception? RedactChain(Exception? exception, System.Func<string?, string> redact, out bool changed)
        {
            changed = false;
            if (exception == null) return null;
            Exception? inner = RedactChain(exception.InnerException, redact, out bool innerChanged);
            string message = redact(exception.Message);
            if (!innerChanged && message == exception.Message) return exception;
            changed = true;
            return new AcefoneRedactedException(exception.GetType().FullName ?? exception.GetType().Name, message, inner);
        }
    }
}
