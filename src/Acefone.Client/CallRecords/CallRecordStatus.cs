using System;

namespace Acefone.Client
{
    /// <summary>Answered or missed, as the call-records filter <c>call_type</c> names them (c, m).</summary>
    public enum CallRecordStatus
    {
        Answered,
        Missed,
    }
}
