using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>Forgets the default session (or the one given), logging out a token that came from a login.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Acefone")]
    [OutputType(typeof(void))]
    public sealed class DisconnectAcefoneCommand : AcefoneCmdlet
    {
        protected override void EndProcessing()
        {
            AcefoneSession? current = DefaultSessionStore.Get();
            AcefoneSession? target = Session ?? current;
            if (target == null || target.IsClosed)
            {
                WriteVerbose("No Acefone session to disconnect.");
                if (ReferenceEquals(target, current)) DefaultSessionStore.Set(null);
                return;
            }
            try
            {
                if (target.AuthKind == AcefoneAuthKind.Login)
                {
                    Wait(target.LogoutAsync(Observer, StopToken));
                    WriteVerbose($"Logged out the login token of {target.LoginId} at {target.BaseUri}: it is revoked.");
                }
                else
                {
                    WriteVerbose($"The console access token for {target.BaseUri} was not revoked: only the Acefone console (API Connect, API Tokens) can revoke it.");
                }
            }
            catch (AcefoneException ex)
            {
                WriteWarning($"The logout request failed; the session is forgotten anyway. {ex.Message}");
            }
            finally
            {
                bool wasDefault = ReferenceEquals(target, current);
                if (wasDefault) DefaultSessionStore.Set(null);
                target.Dispose();
                WriteVerbose($"Forgot {(wasDefault ? "the default session" : "the session given")} ({target.AuthKind} at {target.BaseUri}).");
            }
        }
    }
}
