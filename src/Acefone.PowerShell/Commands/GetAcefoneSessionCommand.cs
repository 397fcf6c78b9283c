using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>Shows the default session (or the one given): base URI, region, auth kind, token expiry and rate. Never the token.</summary>
    [Cmdlet(VerbsCommon.Get, "AcefoneSession")]
    [OutputType(typeof(AcefoneSession))]
    public sealed class GetAcefoneSessionCommand : AcefoneCmdlet
    {
        protected override void EndProcessing()
        {
            AcefoneSession? session = Session ?? DefaultSessionStore.Get();
            if (session != null && !session.IsClosed) WriteObject(session);
            else WriteVerbose("No Acefone session in this runspace. " + AcefoneEnvironment.HowToConnect);
        }
    }
}
