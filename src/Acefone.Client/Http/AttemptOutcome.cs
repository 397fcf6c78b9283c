using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// One attempt's result. Answered carries the answer; the others what a trace and an error need to say. A struct:
    /// it rides in the attempt's task, so a request costs no object more for it.
    /// </summary>
    internal struct AttemptOutcome
    {
        internal AttemptOutcome(AttemptOutcomeKind kind, int status, string? message, Exception? exception, AcefoneErrorKind refusedAs = AcefoneErrorKind.NetworkError)
        {
            Kind = kind;
            Status = status;
            Message = message;
            Exception = exception;
            RefusedAs = refusedAs;
        }

        internal AttemptOutcomeKind Kind { get; }
        /// <summary>The answer's status; 0 when none arrived.</summary>
        internal int Status { get; }
        /// <summary>Refused: the failure's text. NeverConnected/ConnectionLost/AnswerCutOff: the cause. TooLarge: what was too large.</summary>
        internal string? Message { get; }
        internal Exception? Exception { get; }
        /// <summary>The error kind of a refused request or a too-large answer.</summary>
        internal AcefoneErrorKind RefusedAs { get; }
        /// <summary>Refused before sending: the note for the trace.</summary>
        internal string? TraceNote { get; set; }

        internal byte[] Body { get; set; } = Array.Empty<byte>();
        internal int Length { get; set; }
        internal string? ContentType { get; set; }
        internal string? Location { get; set; }
        internal RetryConditionHeaderValue? RetryAfterHeader { get; set; }
        /// <summary>The answer's X-Request-Id header, when it has one.</summary>
        internal string? RequestIdHeader { get; set; }
        /// <summary>Every header of the answer, when the request keeps them (<see cref="ApiRequest.KeepsResponseHeaders"/>).</summary>
        internal System.Collections.Generic.IReadOnlyDictionary<string, string[]>? Headers { get; set; }
    }
}
