using System;
using System.Collections;
using System.Management.Automation;
using System.Reflection;
using System.Threading;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>Builds sessions the way Connect-Acefone and implicit connects both need.</summary>
    internal static class SessionFactory
    {
        internal static AcefoneSession? FromEnvironment(PSCmdlet cmdlet, out string source)
        {
            AcefoneSessionOptions options = NewOptions(cmdlet);
            AcefoneCredential? credential = CredentialFromEnvironment(cmdlet, options, applyEndpoint: true, out source);
            return credential == null ? null : AcefoneSession.Create(options, credential);
        }

        /// <summary>
        /// The one reader of the environment's credential (ACEFONE_ACCESS_TOKEN, or ACEFONE_LOGIN_ID and ACEFONE_PASSWORD),
        /// and with <paramref name="applyEndpoint"/> its ACEFONE_BASE_URI or ACEFONE_REGION into <paramref name="options"/>.
        /// Null when the environment has no credential. <paramref name="source"/> names the variables used.
        /// </summary>
        internal static AcefoneCredential? CredentialFromEnvironment(PSCmdlet cmdlet, AcefoneSessionOptions options, bool applyEndpoint, out string source)
        {
            AcefoneCredential? credential = AcefoneEnvironment.ReadCredential(Environment.GetEnvironmentVariable, out source);
            if (credential == null) return null;
            if (applyEndpoint)
            {
                var endpoint = AcefoneEnvironment.ApplyEndpoint(Environment.GetEnvironmentVariable, options);
                if (endpoint.Count > 0) source += ", " + string.Join(", ", endpoint);
            }
            cmdlet.WriteDebug($"Credential source: environment ({source}).");
            return credential;
        }

        /// <summary>Whether the environment holds a credential, read without building anything (-WhatIf's check).</summary>
        internal static bool EnvironmentHasCredential() => AcefoneEnvironment.ReadCredential(Environment.GetEnvironmentVariable, out _) != null;

        /// <summary>ACEFONE_BASE_URI if it is set, else ACEFONE_REGION if that is, else null.</summary>
        internal static string? EndpointVariableSet() =>
            !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(AcefoneEnvironment.BaseUriVariable)) ? AcefoneEnvironment.BaseUriVariable
            : !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(AcefoneEnvironment.RegionVariable)) ? AcefoneEnvironment.RegionVariable
            : null;

        internal static AcefoneSessionOptions NewOptions(PSCmdlet cmdlet) =>
            new AcefoneSessionOptions { UserAgent = UserAgent(cmdlet) };

        /// <summary>"Acefone-PowerShell/0.1.0 (PowerShell 7.6.9; Core)": the module version and the PowerShell edition and version.</summary>
        internal static string UserAgent(PSCmdlet cmdlet)
        {
            string moduleVersion = typeof(SessionFactory).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            int plus = moduleVersion.IndexOf('+');
            if (plus > 0) moduleVersion = moduleVersion.Substring(0, plus);
            string psVersion = "unknown";
            string edition = "Desktop";
            if (cmdlet.SessionState.PSVariable.GetValue("PSVersionTable") is Hashtable table)
            {
                psVersion = table["PSVersion"]?.ToString() ?? psVersion;
                edition = table["PSEdition"]?.ToString() ?? edition;
            }
            return $"Acefone-PowerShell/{moduleVersion} (PowerShell {psVersion}; {edition})";
        }
    }
}
