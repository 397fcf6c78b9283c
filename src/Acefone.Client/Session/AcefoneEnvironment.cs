using System;
using System.Collections.Generic;
using System.Security;

namespace Acefone.Client
{
    /// <summary>
    /// Connection settings from environment variables, for runbooks and CI: ACEFONE_ACCESS_TOKEN, or
    /// ACEFONE_LOGIN_ID with ACEFONE_PASSWORD; plus ACEFONE_BASE_URI or ACEFONE_REGION.
    /// </summary>
    public static class AcefoneEnvironment
    {
        public const string AccessTokenVariable = "ACEFONE_ACCESS_TOKEN";
        public const string LoginIdVariable = "ACEFONE_LOGIN_ID";
        public const string PasswordVariable = "ACEFONE_PASSWORD";
        public const string BaseUriVariable = "ACEFONE_BASE_URI";
        public const string RegionVariable = "ACEFONE_REGION";

        public const string HowToConnect =
            "Run Connect-Acefone -AccessToken <token> or -Credential <PSCredential> (with -Region or -BaseUri), pass -Session, " +
            "or set ACEFONE_ACCESS_TOKEN (or ACEFONE_LOGIN_ID and ACEFONE_PASSWORD) with ACEFONE_BASE_URI or ACEFONE_REGION.";

        /// <summary>The credential the environment holds, or null. <paramref name="source"/> names the variables used, never their values.</summary>
        public static AcefoneCredential? ReadCredential(Func<string, string?> getVariable, out string source)
        {
            string? token = getVariable(AccessTokenVariable);
            if (!string.IsNullOrWhiteSpace(token))
            {
                source = AccessTokenVariable;
                return AcefoneCredential.FromAccessToken(ToSecureString(token!.Trim()));
            }
            string? loginId = getVariable(LoginIdVariable);
            string? password = getVariable(PasswordVariable);
            if (!string.IsNullOrWhiteSpace(loginId) && !string.IsNullOrEmpty(password))
            {
                source = $"{LoginIdVariable} and {PasswordVariable}";
                return AcefoneCredential.FromLogin(loginId!, ToSecureString(password!));
            }
            source = string.Empty;
            return null;
        }

        /// <summary>Applies ACEFONE_BASE_URI or ACEFONE_REGION to options that name neither; returns the variables used.</summary>
        public static IList<string> ApplyEndpoint(Func<string, string?> getVariable, AcefoneSessionOptions options)
        {
            var used = new List<string>();
            string? baseUri = getVariable(BaseUriVariable);
            string? region = getVariable(RegionVariable);
            if (!string.IsNullOrWhiteSpace(baseUri))
            {
                if (!Uri.TryCreate(baseUri!.Trim(), UriKind.Absolute, out Uri? uri))
                    throw new AcefoneException(AcefoneErrorKind.InsecureBaseUri, $"{BaseUriVariable} is not an absolute URI: {InputRules.Display(baseUri, 80)}.");
                options.BaseUri = uri;
                used.Add(BaseUriVariable);
            }
            else if (!string.IsNullOrWhiteSpace(region))
            {
                if (!Enum.TryParse(region!.Trim(), true, out AcefoneRegion parsed) || !Enum.IsDefined(typeof(AcefoneRegion), parsed))
                    throw new AcefoneException(AcefoneErrorKind.InvalidInput,
                        $"{RegionVariable} {InputRules.Display(region)} is not a region: use India, UK, UKLegacy, Smartflo or Servetel.");
                options.Region = parsed;
                used.Add(RegionVariable);
            }
            return used;
        }

        internal static SecureString ToSecureString(string value)
        {
            var secure = new SecureString();
            foreach (char c in value) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }
    }
}
