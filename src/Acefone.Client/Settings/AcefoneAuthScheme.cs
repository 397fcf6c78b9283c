using System;

namespace Acefone.Client
{
    /// <summary>How the token goes into the Authorization header.</summary>
    public enum AcefoneAuthScheme
    {
        /// <summary><c>Authorization: Bearer &lt;token&gt;</c>, what the API's token_type says.</summary>
        Bearer,
        /// <summary><c>Authorization: &lt;token&gt;</c>, what a few working clients send.</summary>
        Raw,
    }
}
