using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>How one attempt ended, as far as deciding a resend needs to know.</summary>
    internal enum AttemptOutcomeKind
    {
        /// <summary>An answer arrived and was read (status, body, headers).</summary>
        Answered,
        /// <summary>The request could not be built or HttpClient refused it: nothing went out.</summary>
        RefusedBeforeSending,
        /// <summary>No connection opened (refused, name lookup, TLS): nothing reached the server.</summary>
        NeverConnected,
        /// <summary>The timeout ran out while the request queued for a connection: its body never went out.</summary>
        QueuedOut,
        /// <summary>Sent, and no answer within the timeout.</summary>
        TimedOut,
        /// <summary>Sent, and the connection was lost before an answer.</summary>
        ConnectionLost,
        /// <summary>An answer started (its status is known) and was cut off.</summary>
        AnswerCutOff,
        /// <summary>The proxy answered the tunnel's CONNECT with 407.</summary>
        ProxyAuthenticationRequired,
        /// <summary>The answer is larger than this module reads.</summary>
        TooLarge,
    }
}
