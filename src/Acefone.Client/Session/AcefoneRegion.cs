using System;

namespace Acefone.Client
{
    /// <summary>The Acefone platform regions and white-label twins that publish the same API.</summary>
    public enum AcefoneRegion
    {
        India,
        UK,
        UKLegacy,
        Smartflo,
        Servetel,
    }

    public static class AcefoneRegions
    {
        public static Uri GetBaseUri(AcefoneRegion region)
        {
            switch (region)
            {
                case AcefoneRegion.India: return new Uri("https://api.acefone.in/");
                case AcefoneRegion.UK: return new Uri("https://api-account-uk.acefone.com/");
                case AcefoneRegion.UKLegacy: return new Uri("https://api.acefone.co.uk/");
                case AcefoneRegion.Smartflo: return new Uri("https://api-smartflo.tatateleservices.com/");
                case AcefoneRegion.Servetel: return new Uri("https://api.servetel.in/");
                default: throw new ArgumentOutOfRangeException(nameof(region), region, "Unknown Acefone region.");
            }
        }

        /// <summary>The older UK docs name the login field <c>login_id</c>; every other region uses <c>email</c>.</summary>
        public static string LoginFieldName(AcefoneRegion? region) =>
            region == AcefoneRegion.UKLegacy ? "login_id" : "email";
    }

    /// <summary>How the token goes into the Authorization header.</summary>
    public enum AcefoneAuthScheme
    {
        /// <summary><c>Authorization: Bearer &lt;token&gt;</c>, what the API's token_type says.</summary>
        Bearer,
        /// <summary><c>Authorization: &lt;token&gt;</c>, what a few working clients send.</summary>
        Raw,
    }

    /// <summary>Where a session's token comes from.</summary>
    public enum AcefoneAuthKind
    {
        /// <summary>A long-lived token issued in the web console; a 401 on it cannot be cured by the client.</summary>
        AccessToken,
        /// <summary>A login with a kept credential; tokens are refreshed before they expire.</summary>
        Login,
    }
}
