using System;
using System.Text;
using System.Text.Json;

namespace Acefone.Client
{
    /// <summary>The {success, message} envelope as the API really sends it.</summary>
    internal readonly struct StatusEnvelope
    {
        internal StatusEnvelope(bool? success, string? message, string? requestId = null)
        {
            Success = success;
            Message = message;
            RequestId = requestId;
        }

        /// <summary>Null when the body had no readable success field.</summary>
        internal bool? Success { get; }
        internal string? Message { get; }
        /// <summary>The answer's request_id (a call option's accepted answer carries one), for a support case.</summary>
        internal string? RequestId { get; }
    }
}
