using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>
    /// Places a call (POST /v1/click_to_call): the agent's phone rings, then the customer's. Not idempotent, so it runs
    /// exactly as the call operations do (duplicate rows refused, never resent after an unknown outcome, -JournalPath).
    /// -Wait finds the placed call among the live calls and writes it instead of the API's answer.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "AcefoneCall", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ClickToCallResult), typeof(AcefoneLiveCall))]
    public sealed class StartAcefoneCallCommand : CallOperationCmdlet
    {
        private AcefoneSession? _session;
        private IReadOnlyList<AcefoneUser>? _users;

        /// <summary>The agent who takes the call: agent id, intercom, extension or the agent's number.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("agent_number")]
        [ArgumentCompleter(typeof(AgentIdCompleter))]
        [AllowEmptyString]
        [AllowNull]
        public string? AgentNumber { get; set; } = string.Empty;

        /// <summary>The customer's number, 10-15 digits with the country code; a leading + and separators are removed (and said).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("destination_number")]
        [AllowEmptyString]
        [AllowNull]
        public string? DestinationNumber { get; set; } = string.Empty;

        /// <summary>One of the account's DIDs to show the customer; the account's default when not given.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("caller_id")]
        [AllowEmptyString]
        [AllowNull]
        public string? CallerId { get; set; }

        /// <summary>Seconds the agent's phone rings (1-600), text so that a CSV cell binds; the account's default when not given.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("call_timeout")]
        [AllowEmptyString]
        [AllowNull]
        public string? CallTimeout { get; set; }

        /// <summary>A tag of your own (a ticket or lead id) that the call's records and webhooks carry.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("custom_identifier")]
        [AllowEmptyString]
        [AllowNull]
        public string? CustomIdentifier { get; set; }

        /// <summary>Finds the placed call among the live calls and writes it (an AcefoneLiveCall) instead of the API's answer.</summary>
        [Parameter]
        public new SwitchParameter Wait { get; set; }

        /// <summary>How long -Wait looks for the call (seconds or a TimeSpan; default 30 s).</summary>
        [Parameter]
        [SecondsTransformation]
        [ValidateMinimumTimeSpan(1)]
        public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>How often -Wait lists the live calls (default 2 s).</summary>
        [Parameter]
        [SecondsTransformation]
        [ValidateMinimumTimeSpan(0.2)]
        public TimeSpan WaitInterval { get; set; } = TimeSpan.FromSeconds(2);

        internal override CallActionRequest BuildRequest()
        {
            ClickToCallRequest request = ClickToCallRequest.Create(AgentNumber, DestinationNumber, CallerId, CallTimeout, CustomIdentifier);
            if (request.Changes != null) WriteVerbose($"{request.Changes}.");
            return request;
        }

        internal override void UseDispatcher(CallActionDispatcher dispatcher, AcefoneSession? session)
        {
            _session = session;
            if (Wait.IsPresent) dispatcher.WriteResult = WritePlacedCall;
        }

        /// <summary>
        /// The numbers a live record may show the agent under: agent_number may be the agent id, intercom or extension,
        /// while the record carries the agent's own number. Read from the users once per run.
        /// </summary>
        private IReadOnlyCollection<string> AgentNumbersOf(string agentNumber)
        {
            if (_users == null)
            {
                try
                {
                    _users = base.Wait(_session!.GetUsersAsync(null, Observer, StopToken));
                }
                catch (AcefoneException ex)
                {
                    WriteVerbose($"The users could not be listed ({ex.Message}); the call is looked for by agent number '{agentNumber}' only.");
                    _users = Array.Empty<AcefoneUser>();
                }
            }
            var numbers = new HashSet<string>(StringComparer.Ordinal) { agentNumber };
            foreach (AcefoneUser user in _users)
            {
                if (user.AgentId != agentNumber && user.FollowMeNumber != agentNumber && user.Extension != agentNumber) continue;
                foreach (string? n in new[] { user.AgentId, user.FollowMeNumber, user.Extension })
                    if (!string.IsNullOrEmpty(n)) numbers.Add(n!);
            }
            return numbers;
        }

        /// <summary>-Wait: the live call, or an error that says the call was placed. Never a guess between two.</summary>
        private void WritePlacedCall(long row, object? input, object result)
        {
            var placed = (ClickToCallResult)result;
            if (placed.Status == CallActionStatus.AlreadySent)
            {
                WriteObject(placed);   // placed by an earlier run: nothing to wait for now
                return;
            }
            string prefix = input != null && MyInvocation.ExpectingInput ? $"Row {row.ToString(CultureInfo.InvariantCulture)}: " : string.Empty;
            string what = $"the call from agent '{placed.AgentNumber}' to '{placed.DestinationNumber}'" +
                          (placed.CustomIdentifier != null ? $" ({placed.CustomIdentifier})" : string.Empty);
            PlacedCallMatch match;
            try
            {
                match = base.Wait(PlacedCallFinder.FindAsync(_session!, placed, WaitTimeout, WaitInterval, AgentNumbersOf(placed.AgentNumber), Observer, StopToken));
            }
            catch (AcefoneException ex)
            {
                var error = new InvalidOperationException($"{prefix}{what} was placed, but listing the live calls to find it failed: {ex.Message} Do not place it again: check Get-AcefoneLiveCall.", ex);
                WriteError(new ErrorRecord(error, "PlacedCallNotFound", ErrorCategory.ObjectNotFound, placed));
                return;
            }
            if (match.Call != null)
            {
                WriteVerbose($"{prefix}{what} is live as call '{match.Call.CallId}' (matched by {match.MatchedBy}).");
                WriteObject(match.Call);
                return;
            }
            if (match.Candidates.Count > 1)
            {
                string names = string.Join(", ", match.Candidates.Select(c => $"'{c.CallId}' (started {c.StartedAt?.ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "?"}, {c.State})"));
                var ambiguous = new InvalidOperationException(
                    $"{prefix}{what} was placed, and {match.Candidates.Count} live calls fit it by {match.MatchedBy}: {names}. None was chosen; pick one with Get-AcefoneLiveCall -CallId.");
                WriteError(new ErrorRecord(ambiguous, "PlacedCallAmbiguous", ErrorCategory.InvalidResult, placed));
                return;
            }
            var missing = new InvalidOperationException(
                $"{prefix}{what} was placed (the API accepted it at {placed.Timestamp.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture)}) but was not found among the live calls " +
                $"within {WaitTimeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s ({match.Listings} listings): it may not have been answered yet, or has ended. Do not place it again without checking.");
            WriteError(new ErrorRecord(missing, "PlacedCallNotFound", ErrorCategory.ObjectNotFound, placed));
        }
    }
}
