using System;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace Acefone.PowerShell
{
    /// <summary>
    /// Lets a user name bind to a PSCredential parameter, as Invoke-RestMethod and Az do: <c>-Credential admin@example.com</c>
    /// asks for the password. Only where a person can answer: a non-interactive host (a runbook, -NonInteractive, a
    /// hosted runspace) gets a clear error instead of a prompt.
    /// </summary>
    public sealed class CredentialTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (!(value is string userName)) return value;
            if (string.IsNullOrWhiteSpace(userName))
                throw new ArgumentTransformationMetadataException("The login id is empty: pass a PSCredential (Get-Credential) or a login id to be asked for its password.");

            string noPrompt = $"'{userName}' is a login id without a password, and this PowerShell cannot ask for one (it is not interactive). " +
                "Pass a PSCredential instead: Get-AutomationPSCredential in a runbook, or [pscredential]::new(<login id>, <SecureString password>); " +
                "or set ACEFONE_LOGIN_ID and ACEFONE_PASSWORD.";
            PSHostUserInterface? ui = engineIntrinsics?.Host?.UI;
            if (ui == null || !InteractiveHost.CanPrompt(engineIntrinsics!.Host.Name, Environment.GetCommandLineArgs()))
                throw new ArgumentTransformationMetadataException(noPrompt);

            PSCredential? credential;
            try
            {
                credential = ui.PromptForCredential("Connect-Acefone", $"The Acefone password for {userName}.", userName.Trim(), string.Empty);
            }
            catch (Exception ex) when (ex is HostException || ex is PSInvalidOperationException || ex is NotImplementedException || ex is InvalidOperationException)
            {
                // A host that looked interactive but cannot prompt (its own "NonInteractive mode" error).
                throw new ArgumentTransformationMetadataException(noPrompt, ex);
            }
            if (credential == null || credential.Password == null || credential.Password.Length == 0)
                throw new ArgumentTransformationMetadataException($"No password was entered for '{userName}'.");
            return credential;
        }
    }
}
