using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Threading.Tasks;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>
    /// Creates a session and makes it the runspace's default. A console token is used as given (no I/O); a
    /// credential logs in at once, so a wrong password fails here rather than on the first row.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Acefone", DefaultParameterSetName = EnvironmentSet)]
    [OutputType(typeof(AcefoneSession))]
    public sealed class ConnectAcefoneCommand : AcefoneEngineCmdlet
    {
        internal const string AccessTokenSet = "AccessToken";
        internal const string CredentialSet = "Credential";
        internal const string EnvironmentSet = "Environment";

        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
        [SecureStringTransformation]
        [ValidateNotNull]
        public SecureString? AccessToken { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [ValidateNotNull]
        [CredentialTransformation]
        public PSCredential? Credential { get; set; }

        [Parameter]
        public AcefoneRegion Region { get; set; } = AcefoneRegion.India;

        [Parameter]
        [ValidateNotNull]
        public Uri? BaseUri { get; set; }

        [Parameter]
        public AcefoneAuthScheme AuthScheme { get; set; } = AcefoneAuthScheme.Bearer;

        [Parameter]
        [ValidateRange(0.1, 10000.0)]
        public double MaxRequestsPerSecond { get; set; }

        [Parameter]
        [ValidateRange(0, 20)]
        public int MaxRetries { get; set; } = AcefoneSessionOptions.DefaultMaxRetries;

        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSec { get; set; } = (int)AcefoneSessionOptions.DefaultTimeout.TotalSeconds;

        [Parameter]
        [ValidateNotNull]
        public Uri? Proxy { get; set; }

        /// <summary>The largest answer read, for every endpoint; by default 4 MB for status answers and 64 MB for listings.</summary>
        [Parameter]
        [ValidateRange(1, 1024)]
        public int MaxResponseSizeMB { get; set; }

        [Parameter]
        [ValidateNotNull]
        public PSCredential? ProxyCredential { get; set; }

        [Parameter]
        public SwitchParameter ProxyUseDefaultCredentials { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            AcefoneSessionOptions options = SessionFactory.NewOptions(this);
            options.Region = Region;
            options.AuthScheme = AuthScheme;
            options.MaxRetries = MaxRetries;
            options.Timeout = TimeSpan.FromSeconds(TimeoutSec);
            options.Proxy = Proxy;
            options.ProxyCredential = ProxyCredential?.GetNetworkCredential();
            options.ProxyUseDefaultCredentials = ProxyUseDefaultCredentials.IsPresent;
            if (MyInvocation.BoundParameters.ContainsKey(nameof(MaxRequestsPerSecond))) options.MaxRequestsPerSecond = MaxRequestsPerSecond;
            if (BaseUri != null) options.BaseUri = BaseUri;
            if (MyInvocation.BoundParameters.ContainsKey(nameof(MaxResponseSizeMB))) options.MaxResponseBytes = MaxResponseSizeMB * 1024 * 1024;

            AcefoneSession session;
            try
            {
                session = AcefoneSession.Create(options, ReadCredential(options));
            }
            catch (AcefoneException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, BaseUri ?? (object)Region));
                return;
            }
            catch (ArgumentException ex)
            {
                // Our words, not .NET's "(Parameter 'accessToken')".
                string message = ex.ParamName == "accessToken" ? "-AccessToken is empty: pass the token from the Acefone console (API Connect, API Tokens)."
                    : ex.ParamName == "loginId" ? "The credential's user name is empty: pass the login id (e-mail) of the Acefone account."
                    : ex.ParamName == "password" ? "The credential's password is empty."
                    : ex.Message;
                ThrowTerminatingError(new ErrorRecord(ex, "InvalidCredential", ErrorCategory.InvalidArgument, null) { ErrorDetails = new ErrorDetails(message) });
                return;
            }
            WarnIfEnvironmentEndpointIgnored(session);

            if (session.AuthKind == AcefoneAuthKind.Login)
            {
                // Said before the wait, so a silent prompt or runbook shows what it is waiting for and for how long.
                WriteVerbose($"Logging in as '{session.LoginId}' at {session.BaseUri.Host}; waiting up to {TimeoutSec} s for the answer (a login that does not answer is tried once more).");
                LogIn(session);
            }

            DefaultSessionStore.Set(session);
            WriteVerbose($"Connected to {session.BaseUri} ({session.AuthKind}{(session.LoginId != null ? " as " + session.LoginId : string.Empty)}); this is now the default session.");
            if (PassThru) WriteObject(session);
        }

        /// <summary>Logs in at once, waiting as every cmdlet waits (the log and Debug lines as they come, Ctrl+C); a failure ends the command.</summary>
        private void LogIn(AcefoneSession session)
        {
            try
            {
                Wait(LoginForTest != null && session.LoginId != null && LoginForTest.TryGetValue(session.LoginId, out Exception? fault)
                    ? Task.FromException(fault)
                    : session.ConnectAsync(Observer, StopToken));
            }
            catch (PipelineStoppedException)
            {
                session.Dispose();
                throw;
            }
            catch (AcefoneException ex)
            {
                session.Dispose();
                ThrowTerminatingError(ErrorRecords.From(ex, session.LoginId));
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException || ex is PipelineStoppedException))
            {
                // Not the engine's own error (a fault in the module): still an ErrorRecord with a stable ErrorId.
                session.Dispose();
                ThrowTerminatingError(ErrorRecords.Unexpected(ex, session.LoginId));
            }
        }

        /// <summary>For tests: a login id whose login fails with the given fault instead of being sent.</summary>
        internal static System.Collections.Concurrent.ConcurrentDictionary<string, Exception>? LoginForTest;

        // Connect-Acefone has no -Session: its own advice leaves that out.
        internal const string HowToConnectHere =
            "Pass -AccessToken <token> or -Credential <PSCredential or login id> (with -Region or -BaseUri), " +
            "or set ACEFONE_ACCESS_TOKEN (or ACEFONE_LOGIN_ID and ACEFONE_PASSWORD) with ACEFONE_BASE_URI or ACEFONE_REGION.";

        /// <summary>
        /// ACEFONE_BASE_URI and ACEFONE_REGION go with the environment's credential only. When they are set but a
        /// credential parameter chose the default region, say so: connecting to production without a word surprises.
        /// </summary>
        private void WarnIfEnvironmentEndpointIgnored(AcefoneSession session)
        {
            if (ParameterSetName == EnvironmentSet) return;
            string? variable = SessionFactory.EndpointVariableSet();
            if (variable == null) return;
            string text = $"{variable} is set but not used: it goes with the environment's credential, and -{ParameterSetName} was given. This session connects to {session.BaseUri}";
            if (BaseUri != null || MyInvocation.BoundParameters.ContainsKey(nameof(Region)))
                WriteVerbose(text + " as -BaseUri or -Region said.");
            else
            {
                string suggestion = variable == AcefoneEnvironment.BaseUriVariable ? "-BaseUri $env:ACEFONE_BASE_URI" : "-Region $env:ACEFONE_REGION";
                WriteWarning(text + $" (the default region, {Region}). Pass -BaseUri or -Region to choose, e.g. {suggestion}.");
            }
        }

        private AcefoneCredential ReadCredential(AcefoneSessionOptions options)
        {
            if (ParameterSetName == AccessTokenSet)
            {
                WriteDebug("Credential source: -AccessToken.");
                return AcefoneCredential.FromAccessToken(AccessToken!);
            }
            if (ParameterSetName == CredentialSet)
            {
                WriteDebug("Credential source: -Credential.");
                return AcefoneCredential.FromLogin(Credential!.UserName, Credential.Password);
            }

            // -BaseUri or -Region wins over the environment's endpoint; the credential still comes from it.
            bool endpointGiven = BaseUri != null || MyInvocation.BoundParameters.ContainsKey(nameof(Region));
            AcefoneCredential? fromEnvironment = SessionFactory.CredentialFromEnvironment(this, options, applyEndpoint: !endpointGiven, out _);
            if (fromEnvironment == null)
            {
                var error = new InvalidOperationException("Connect-Acefone found no credential. " + HowToConnectHere);
                ThrowTerminatingError(new ErrorRecord(error, "NoCredential", ErrorCategory.AuthenticationError, null)
                {
                    ErrorDetails = new ErrorDetails(error.Message),
                });
            }
            return fromEnvironment!;
        }
    }
}
