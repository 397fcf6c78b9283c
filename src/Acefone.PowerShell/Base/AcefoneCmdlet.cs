using System;
using System.Collections;
using System.Management.Automation;
using System.Reflection;
using System.Threading;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>What every Acefone cmdlet that uses a session shares: -Session and the default session (the waiting, cancellation and log are <see cref="AcefoneEngineCmdlet"/>'s).</summary>
    public abstract class AcefoneCmdlet : AcefoneEngineCmdlet
    {
        /// <summary>
        /// The session to use instead of the runspace's default one (from Connect-Acefone -PassThru).
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public AcefoneSession? Session { get; set; }

        /// <summary>-Session, else the runspace's default, else a session from environment variables; otherwise a terminating NotConnected error.</summary>
        protected AcefoneSession ResolveSession()
        {
            ImportProblems.ReportOnce(this);
            if (Session != null)
            {
                if (Session.IsClosed) ThrowTerminatingError(ErrorRecords.NotConnectedRecord());
                return Session;
            }
            AcefoneSession? current = DefaultSessionStore.Get();
            if (current != null && !current.IsClosed) return current;

            AcefoneSession? fromEnvironment;
            try
            {
                fromEnvironment = SessionFactory.FromEnvironment(this, out string source);
                if (fromEnvironment != null)
                {
                    WriteVerbose($"No session yet: connected from environment variables ({source}) to {fromEnvironment.BaseUri}.");
                    DefaultSessionStore.Set(fromEnvironment);
                    return fromEnvironment;
                }
            }
            catch (AcefoneException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, null));
            }
            ThrowTerminatingError(ErrorRecords.NotConnectedRecord());
            throw new InvalidOperationException("unreachable");
        }

        /// <summary>
        /// A failed read as a non-terminating error, so one failed listing never ends a script's other work;
        /// except a refused token, which every further request would hit too.
        /// </summary>
        internal void WriteFailure(AcefoneException exception, object? target)
        {
            ErrorRecord record = ErrorRecords.From(exception, target);
            if (exception.Kind == AcefoneErrorKind.AuthenticationFailed) ThrowTerminatingError(record);
            WriteError(record);
        }
    }
}
