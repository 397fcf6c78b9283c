using System;

namespace Acefone.Client
{
    /// <summary>The <c>direction</c> of a live call, as the API numbers it.</summary>
    public enum CallDirection
    {
        Inbound = 1,
        Outbound = 2,
    }
}
