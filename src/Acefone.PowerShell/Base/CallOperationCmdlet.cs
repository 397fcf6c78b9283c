using System;
using System.Collections.Generic;
using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// The shared machinery of every call operation: row numbering, validation errors that name the row,
    /// duplicate rows, -WhatIf, ordered concurrent dispatch, progress and the end-of-run summary.
    /// Each cmdlet only says how its parameters make a request.
    /// </summary>
    public abstract partial class CallOperationCmdlet : AcefoneCmdlet
    {
        internal const string CallIdHelp = "The call_id of a live call, as Get-AcefoneLiveCall shows it (not the row id).";

        private CallActionDispatcher? _dispatcher;
        private AcefoneSession? _session;
        // 64-bit hashes, not keys: 100k rows must stay in bounded memory.
        private readonly Dictionary<ulong, long> _seen = new Dictionary<ulong, long>();
        // This row's number (RunSummary counts the rows).
        private long _row;
        // -WhatIf or $WhatIfPreference, read once: it wins over -Force on every row.
        private bool _whatIf;
        // Whether ShouldProcess can show its text to anyone; when not, the exact body is left out of it.
        private bool _actionShown;

        /// <summary>The object piped in, kept as the ErrorRecord's TargetObject.</summary>
        // Not DontShow: on PowerShell 7 one DontShow parameter hides every common parameter from tab completion.
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>How many requests may be in flight at once (1-64). Results are still written in input order.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 1;

        /// <summary>Builds this row's request; throws <see cref="AcefoneInputException"/> for bad input.</summary>
        internal abstract CallActionRequest BuildRequest();

        /// <summary>True when the cmdlet's -Force asks to skip the confirmation prompt (never -WhatIf).</summary>
        protected virtual bool SkipConfirmation => false;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _whatIf = IsSwitchOn("WhatIf", "WhatIfPreference", LanguagePrimitives.IsTrue);
            _session = _whatIf ? SessionForPreview() : ResolveSession();
            bool showProgress = ProgressReporter.ShouldShow(SessionState.PSVariable.GetValue("ProgressPreference"), Host?.Name, Environment.GetCommandLineArgs());
            var progress = showProgress ? new ProgressReporter(this, MyInvocation.MyCommand.Name, true) : ProgressReporter.Disabled(this);
            if (showProgress) progress.Total = PipelineInputCount.TryGet(MyInvocation, SessionState);
            // A preview with no session never reaches Submit: -WhatIf declines every row.
            _dispatcher = new CallActionDispatcher(this, _session!, Observer, ThrottleLimit, StopToken, progress);
            // A run that a refused token ends still says what it did; one call at a prompt has its error.
            _dispatcher.Stopping = stoppedBy => { if (MyInvocation.ExpectingInput || _dispatcher.Summary.Rows > 1) WriteSummary(stoppedBy); };
            _actionShown = _whatIf || ConfirmationPossible() || Observer.KeepsVerbose;
            OpenJournal();
        }

        protected override void ProcessRecord()
        {
            long row = _row = _dispatcher!.Summary.RowSeen();
            CallActionRequest request;
            try
            {
                request = BuildRequest();
            }
            catch (AcefoneInputException ex)
            {
                // A row number means something only for piped input; one call at a prompt has no rows.
                Refuse(MyInvocation.ExpectingInput ? ex.WithRow(row) : ex);
                return;
            }

            ulong key = Fnv1a(request.DuplicateKey);
            if (_seen.TryGetValue(key, out long firstRow))
            {
                Refuse(new AcefoneInputException(InputField.CallId, request.CallId,
                    $"repeats row {firstRow} exactly ({request.Describe()}); a call operation is not idempotent, so the duplicate is not sent.").WithRow(row));
                return;
            }
            _seen[key] = row;
            if (SkipAlreadySent(row, request)) return;
            WarnOtherDestination(row, request);

            string action = _actionShown
                ? $"{request.Describe()} (POST {(_session != null ? _session.BaseUri.ToString() : "<no session>/")}{request.ApiPath} {AcefoneSession.PreviewBody(request)})"
                : request.Describe();
            if (!Approved($"call '{request.CallId}'", action))
            {
                _dispatcher!.Summary.RowDeclined();
                return;
            }
            _dispatcher!.Submit(row, InputObject, request);
        }

        protected override void EndProcessing()
        {
            if (_dispatcher == null) return;
            _dispatcher.Complete();
            WarnSkippedUnknown();
            if (_dispatcher.Summary.Rows > 1) WriteSummary(null);
        }

        /// <summary>
        /// The end-of-run summary, written as Write-Host writes (a HostInformationMessage tagged PSHOST): shown at a
        /// prompt by default, silenced by -InformationAction Ignore or 6>$null, kept by -InformationVariable and in a
        /// runbook's information stream.
        /// </summary>
        private void WriteSummary(string? stoppedBy)
        {
            var message = new HostInformationMessage { Message = _dispatcher!.Summary.Text(MyInvocation.MyCommand.Name, stoppedBy) };
            WriteInformation(message, new[] { "PSHOST", "Acefone", "Summary" });
        }

        /// <summary>-WhatIf reads nothing, so it needs no session: the one there is, or none (rather than NotConnected).</summary>
        private AcefoneSession? SessionForPreview()
        {
            bool available = Session != null || DefaultSessionStore.Get() is AcefoneSession current && !current.IsClosed
                || SessionFactory.EnvironmentHasCredential();
            if (available) return ResolveSession();
            WriteVerbose("No Acefone session: -WhatIf shows each request without one.");
            return null;
        }

        /// <summary>
        /// ShouldProcess, except that -Force skips the prompt. -WhatIf (or $WhatIfPreference) still wins over -Force,
        /// and an explicit -Confirm still prompts.
        /// </summary>
        private bool Approved(string target, string action)
        {
            if (SkipConfirmation && !_whatIf && !MyInvocation.BoundParameters.ContainsKey("Confirm"))
            {
                WriteVerbose($"Performing the operation \"{action}\" on target \"{target}\" (-Force: not confirmed).");
                return true;
            }
            return ShouldProcess(target, action);
        }

        /// <summary>-Confirm, or a $ConfirmPreference at or below this cmdlet's ConfirmImpact: ShouldProcess may prompt.</summary>
        private bool ConfirmationPossible()
        {
            if (MyInvocation.BoundParameters.ContainsKey("Confirm")) return IsSwitchOn("Confirm", "ConfirmPreference", LanguagePrimitives.IsTrue);
            object? preference = SessionState.PSVariable.GetValue("ConfirmPreference");
            if (preference is PSObject wrapped) preference = wrapped.BaseObject;
            ConfirmImpact threshold = preference is ConfirmImpact impact ? impact
                : Enum.TryParse(preference?.ToString(), true, out ConfirmImpact parsed) ? parsed : ConfirmImpact.High;
            ConfirmImpact own = ((CmdletAttribute)Attribute.GetCustomAttribute(GetType(), typeof(CmdletAttribute))).ConfirmImpact;
            return threshold != ConfirmImpact.None && own >= threshold;
        }

        /// <summary>A row our checks refused. Its TargetObject is the piped object, or for one call at a prompt the bad value.</summary>
        private void Refuse(AcefoneInputException error)
        {
            object? target = MyInvocation.ExpectingInput ? (object?)InputObject ?? _row : error.Value;
            _dispatcher!.Reject(error.RowNumber ?? _row, target, error);
        }

        /// <summary>Treats an empty CSV cell as not given.</summary>
        internal static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

        private static ulong Fnv1a(string text)
        {
            ulong hash = 14695981039346656037UL;
            foreach (char c in text)
            {
                hash ^= c;
                hash *= 1099511628211UL;
            }
            return hash;
        }
    }
}
