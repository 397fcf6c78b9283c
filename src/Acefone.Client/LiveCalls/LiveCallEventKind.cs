using System;
using System.Collections.Generic;

namespace Acefone.Client
{
    /// <summary>What happened to a live call between two polls of GET /v1/live_calls.</summary>
    public enum LiveCallEventKind
    {
        /// <summary>The call is listed now and was not before (or was already live at the first poll).</summary>
        Started,
        /// <summary>The call is still listed and a property other than its duration changed (or it passed a duration threshold).</summary>
        Changed,
        /// <summary>The call was listed before and is not now.</summary>
        Ended,
    }
}
