using System;

namespace Acefone.Client
{
    /// <summary>The <c>type</c> of POST /v1/call/options.</summary>
    public enum CallOperation
    {
        Monitor = 1,
        Whisper = 2,
        Barge = 3,
        Transfer = 4,
    }
}
