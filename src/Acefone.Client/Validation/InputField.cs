using System;
using System.Collections.Generic;
using System.Text;

namespace Acefone.Client
{
    /// <summary>The fields a call operation row carries, by the names the API and CSV files use.</summary>
    public enum InputField
    {
        Type,
        CallId,
        AgentId,
        Intercom,
    }
}
