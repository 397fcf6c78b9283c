using System;
using System.Collections;
using System.Management.Automation;
using System.Reflection;
using System.Threading;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>What every Acefone cmdlet shares: -Session, the default session, cancellation and the engine's log.</summary>
    public abstract class AcefoneCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private PipelineObserver? _observer;

        /// <summary>
        /// The session to use instead of the runspace's default one (from Connect-Acefone -PassThru).
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public AcefoneSession? Session { get; set; }

        protected CancellationToken StopToken => _stopping.Token;

        /// <summary>Reports import-time problems at first use. Overrides call base.BeginProcessing() first.</summary>
        protected override void BeginProcessing() => ImportProblems.ReportOnce(this);

        internal PipelineObserver Observer => _observer ??= new PipelineObserver(IsSwitchOn("Verbose", "VerbosePreference", StreamShown), IsSwitchOn("Debug", "DebugPreference", StreamShown));

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

        /// <summary>Writes what the engine logged from other threads. Pipeline thread only.</summary>
        protected void FlushLog() => _observer?.Flush(this);

        internal void FlushLogInternal() => _observer?.Flush(this);

        /// <summary>Runs engine work to completion on the pipeline thread; Ctrl+C cancels it.</summary>
        protected T Wait<T>(System.Threading.Tasks.Task<T> task)
        {
            try
            {
                try
                {
                    while (!task.Wait(200, StopToken)) FlushLog();
                }
                catch (AggregateException)
                {
                    // GetResult below rethrows the engine's own exception rather than the wrapper.
                }
                FlushLog();
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        protected void Wait(System.Threading.Tasks.Task task) => Wait(Wrap(task));

        private static async System.Threading.Tasks.Task<bool> Wrap(System.Threading.Tasks.Task task)
        {
            await task.ConfigureAwait(false);
            return true;
        }

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>The switch when it was given; otherwise what its preference variable says, read by <paramref name="preferenceSaysOn"/>.</summary>
        private protected bool IsSwitchOn(string switchName, string preferenceVariable, Func<object?, bool> preferenceSaysOn)
        {
            if (MyInvocation.BoundParameters.TryGetValue(switchName, out object? bound))
                return bound is SwitchParameter sw ? sw.IsPresent : LanguagePrimitives.IsTrue(bound);
            return preferenceSaysOn(SessionState.PSVariable.GetValue(preferenceVariable));
        }

        /// <summary>An ActionPreference ($VerbosePreference, $DebugPreference) that lets its stream through.</summary>
        private static bool StreamShown(object? preference) =>
            preference is ActionPreference action
                ? action != ActionPreference.SilentlyContinue && action != ActionPreference.Ignore
                : preference != null && !string.Equals(preference.ToString(), "SilentlyContinue", StringComparison.OrdinalIgnoreCase)
                  && !string.Equals(preference.ToString(), "Ignore", StringComparison.OrdinalIgnoreCase);

        public void Dispose()
        {
            Dispose(true);
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>PowerShell disposes every command when its pipeline ends, also when it ended early.</summary>
        protected virtual void Dispose(bool disposing)
        {
        }
    }

    /// <summary>Builds sessions the way Connect-Acefone and implicit connects both need.</summary>
    internal static class SessionFactory
    {
        internal static AcefoneSession? FromEnvironment(PSCmdlet cmdlet, out string source)
        {
            AcefoneCredential? credential = AcefoneEnvironment.ReadCredential(Environment.GetEnvironmentVariable, out source);
            if (credential == null) return null;
            AcefoneSessionOptions options = NewOptions(cmdlet);
            var endpoint = AcefoneEnvironment.ApplyEndpoint(Environment.GetEnvironmentVariable, options);
            if (endpoint.Count > 0) source += ", " + string.Join(", ", endpoint);
            cmdlet.WriteDebug($"Credential source: environment ({source}).");
            return AcefoneSession.Create(options, credential);
        }

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
