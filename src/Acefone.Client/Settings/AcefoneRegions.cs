using System;

namespace Acefone.Client
{
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
}
