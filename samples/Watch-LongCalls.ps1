<#
.SYNOPSIS
    Supervisor runbook: monitor every call that runs longer than -Threshold, each call once, for one shift.
.DESCRIPTION
    Watches the live calls (Watch-AcefoneLiveCall) and starts a monitor for the supervisor's agent on each call as
    soon as it has lasted -Threshold: calls already that long when the shift starts, and calls that pass it later
    (-DurationThreshold makes the passing an event even when nothing else about the call changes). Each call is
    monitored once. Failed polls are warnings and the watch goes on; a login token is renewed during the shift.
    A monitor that fails for its call alone (the call ended between a poll and its monitor: CallNotActive; the
    supervisor busy: 'Agent is not available') is a warning naming the call, and the shift goes on. Only a token
    the API refuses for good (AuthenticationFailed) ends it.

    Run it with -WhatIf first: the watch runs as usual and every monitor it would start is shown, none is sent.

    Connects without prompting: in Azure Automation from the credential asset -CredentialName, elsewhere from the
    ACEFONE_* environment variables (see about_Acefone), or with the session given in -Session.
.EXAMPLE
    ./samples/Watch-LongCalls.ps1 -SupervisorAgentId 0502842370001 -Threshold 00:10:00 -Shift 00:15:00 -WhatIf
    A quarter of an hour's rehearsal: shows what would be monitored.
.EXAMPLE
    ./samples/Watch-LongCalls.ps1 -SupervisorAgentId 0502842370001 -Shift 08:00:00
    The shift itself, as an Azure Automation runbook or from a scheduled task.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    # The supervisor's agent id (Get-AcefoneUser shows it); text, so its leading zero stays.
    [Parameter(Mandatory)] [string] $SupervisorAgentId,
    [timespan] $Threshold = '00:10:00',
    [timespan] $Shift = '08:00:00',
    [timespan] $Interval = '00:00:10',
    [string] $CredentialName = 'Acefone',
    [string] $Region = 'India',
    $Session
)

$ErrorActionPreference = 'Stop'
if (-not (Get-Module Acefone)) { Import-Module Acefone }

$ownSession = -not $Session
if ($ownSession) {
    $Session = if (Get-Command Get-AutomationPSCredential -ErrorAction SilentlyContinue) {
        Connect-Acefone -Credential (Get-AutomationPSCredential -Name $CredentialName) -Region $Region -PassThru
    }
    else {
        Connect-Acefone -PassThru   # ACEFONE_ACCESS_TOKEN or ACEFONE_LOGIN_ID/ACEFONE_PASSWORD; never prompts
    }
}

try {
    $monitored = [System.Collections.Generic.HashSet[string]]::new()
    # -WhatIf on this script reaches Start-AcefoneMonitor through $WhatIfPreference; -Confirm:$false keeps a runbook from prompting.
    $failed = 0
    Watch-AcefoneLiveCall -Session $Session -Interval $Interval -For $Shift -DurationThreshold $Threshold -InformationAction Continue |
        Where-Object { $_.Event -ne 'Ended' -and $_.Duration -ge $Threshold -and $monitored.Add($_.CallId) } |
        ForEach-Object {
            # One call at a time, so that under $ErrorActionPreference = 'Stop' one call's failure is logged and the
            # shift goes on (a call that ends between a poll and its monitor, which the docs say happens; a busy supervisor).
            $call = $_
            try {
                $call | Start-AcefoneMonitor -AgentId $SupervisorAgentId -Session $Session -Confirm:$false -ErrorAction Stop
            }
            catch {
                $id = "$($_.FullyQualifiedErrorId)".Split(',')[0]
                if ($id -eq 'AuthenticationFailed' -or $id -eq 'NotConnected') { throw }
                $failed++
                Write-Warning "Watch-LongCalls: call $($call.CallId) not monitored ($id): $_"
            }
        }
    Write-Information "Watch-LongCalls: $($monitored.Count) calls passed $Threshold during the shift; $failed could not be monitored." -InformationAction Continue
}
finally {
    if ($ownSession) { Disconnect-Acefone -Session $Session }
}
