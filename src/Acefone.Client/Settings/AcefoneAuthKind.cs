using System;

namespace Acefone.Client
{
    /// <summary>Where a session's token comes from.</summary>
    public enum AcefoneAuthKind
    {
        /// <summary>A long-lived token issued in the web console; a 401 on it cannot be cured by the client.</summary>
        AccessToken,
        /// <summary>A login with a kept credential; tokens are refreshed before they expire.</summary>
        Login,
    }
}
