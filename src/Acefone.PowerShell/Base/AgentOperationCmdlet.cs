using System;
using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// Block and Unblock: one agent per row, through the call operations' ordered dispatcher (-ThrottleLimit, results
    /// in input order, row errors, summary). Unlike a call action these are idempotent: a repeated row is sent again
    /// rather than refused, the sender may resend after an unknown outcome, and there is no journal.
    /// </summary>
    public abstract class AgentOperationCmdlet : AcefoneCmdlet
    {
        private CallActionDispatcher? _dispatcher;
        private AcefoneSession? _session;
        private long _row;
        private bool _whatIf;

        /// <summary>The agent id (as Get-AcefoneUser shows it, e.g. 0502842370097); binds from a user or a CSV's agent_id column.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("agent_id")]
        [AllowEmptyString]
        // A user without an agent pipes AgentId = null: this row's InvalidInput error, not a binding error.
        [AllowNull]
        [ArgumentCompleter(typeof(AgentIdCompleter))]
        public string? AgentId { get; set; } = string.Empty;

        /// <summary>The agent's name, used only in messages (Get-AcefoneUser's Name binds to it).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Name", "agent_name")]
        [AllowEmptyString]
        [AllowNull]
        public string? AgentName { get; set; }

        /// <summary>The object piped in, kept as the ErrorRecord's TargetObject.</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>How many requests may be in flight at once (1-64). Results are still written in input order.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 1;

        internal abstract AgentStateChange Change { get; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _whatIf = IsSwitchOn("WhatIf", "WhatIfPreference", LanguagePrimitives.IsTrue);
            // -WhatIf sends nothing, so it needs no session.
            _session = _whatIf && Session == null && !(DefaultSessionStore.Get() is AcefoneSession current && !current.IsClosed) ? null : ResolveSession();
            bool showProgress = ProgressReporter.ShouldShow(SessionState.PSVariable.GetValue("ProgressPreference"), Host?.Name, Environment.GetCommandLineArgs());
            var progress = showProgress ? new ProgressReporter(this, MyInvocation.MyCommand.Name, true) : ProgressReporter.Disabled(this);
            if (showProgress) progress.Total = PipelineInputCount.TryGet(MyInvocation, SessionState);
            _dispatcher = new CallActionDispatcher(this, _session!, Observer, ThrottleLimit, StopToken, progress);
            _dispatcher.Stopping = stoppedBy => { if (MyInvocation.ExpectingInput || _dispatcher.Summary.Rows > 1) WriteSummary(stoppedBy); };
        }

        protected override void ProcessRecord()
        {
            long row = _row = _dispatcher!.Summary.RowSeen();
            AgentStateRequest request;
            try
            {
                request = AgentStateRequest.Create(Change, AgentId, AgentName);
            }
            catch (AcefoneInputException ex)
            {
                AcefoneInputException error = MyInvocation.ExpectingInput ? ex.WithRow(row) : ex;
                object? target = MyInvocation.ExpectingInput ? (object?)InputObject ?? _row : error.Value;
                _dispatcher.Reject(error.RowNumber ?? _row, target, error);
                return;
            }
            string target2 = request.AgentName != null ? $"agent '{request.AgentId}' ({request.AgentName})" : $"agent '{request.AgentId}'";
            string action = $"{request.Change} (POST {(_session != null ? _session.BaseUri.ToString() : "<no session>/")}{request.ApiPath}, no body)" +
                            (Change == AgentStateChange.Block ? ": the agent receives no calls until unblocked" : string.Empty);
            if (!ShouldProcess(target2, action))
            {
                _dispatcher.Summary.RowDeclined();
                return;
            }
            _dispatcher.Submit(row, InputObject, request);
        }

        protected override void EndProcessing()
        {
            if (_dispatcher == null) return;
            _dispatcher.Complete();
            if (_dispatcher.Summary.Rows > 1) WriteSummary(null);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _dispatcher?.Abandon();
            base.Dispose(disposing);
        }

        private void WriteSummary(string? stoppedBy)
        {
            var message = new HostInformationMessage { Message = _dispatcher!.Summary.Text(MyInvocation.MyCommand.Name, stoppedBy) };
            WriteInformation(message, new[] { "PSHOST", "Acefone", "Summary" });
        }
    }
}
