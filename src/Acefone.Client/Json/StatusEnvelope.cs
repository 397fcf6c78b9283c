using System;
using System.Text;
using System.Text.Json;

namespace Acefone.Client
{
    /// <summary>The {success, message} envelope as the API really sends it.</summary>
    internal readonly struct StatusEnvelope
    {
        internal StatusEnvelope(bool? success, string? message)
        {
            Success = success;
            Message = message;
        }

        /// <summary>Null when the body had no readable success field.</summary>
        internal bool? Success { get; }
        internal string? Message { get; }
    }
}
