<#
.SYNOPSIS
    An Azure Automation runbook started by an Acefone webhook: a missed call gets a callback, a long call gets a supervisor.
.DESCRIPTION
    Acefone retries a delivery (at most twice) and captures show repeated payloads, so this runbook may be started
    twice for one event. It acts once: ConvertFrom-AcefoneWebhook -SeenListPath skips a delivery an earlier job has
    seen, and the callback goes through Start-AcefoneCall -JournalPath, so even a job restarted after the call was placed
    does not ring the customer twice. Keep both files on a Hybrid Runbook Worker's own disk (the cloud sandbox's disk
    does not outlive a job). Never prompts.
      - a missed call (call_status missed): Start-AcefoneCall from -CallbackAgent (or the agent who missed it) to the customer.
      - an answered call whose event says long_call: Start-AcefoneMonitor for -SupervisorAgentId.
    Credential: an Automation credential asset named 'Acefone', or the session that is already open (as in the tests).
.PARAMETER WebhookData
    What Azure Automation passes to a runbook started by a webhook (its RequestBody is the delivery's body).
.EXAMPLE
    # The webhook's URL goes into the Acefone console (Webhooks, POST, JSON) for the "Call missed" and "Long call" triggers.
    New-AzAutomationWebhook -Name AcefoneEvents -RunbookName Invoke-AcefoneWebhookRunbook -IsEnabled $true -ExpiryTime (Get-Date).AddYears(1) -RunOn HybridWorkers
#>
[CmdletBinding()]
param(
    [object] $WebhookData,
    [string] $StateFolder = 'C:\AcefoneWebhooks',
    [string] $CallbackAgent,
    [string] $SupervisorAgentId,
    [string] $Region = 'India'
)
$ErrorActionPreference = 'Stop'
if (-not (Get-Module Acefone)) { Import-Module Acefone }

if (-not $WebhookData) { throw 'This runbook is started by a webhook: $WebhookData is empty.' }
$null = New-Item -ItemType Directory -Force -Path $StateFolder
$seenList = Join-Path $StateFolder 'deliveries-seen.txt'
$journal = Join-Path $StateFolder 'callbacks.journal.jsonl'

if (-not (Get-AcefoneSession -ErrorAction SilentlyContinue)) {
    Connect-Acefone -Credential (Get-AutomationPSCredential -Name 'Acefone') -Region $Region
}

# One delivery may hold several events; a repeated delivery yields nothing (a warning says so).
foreach ($event in ConvertFrom-AcefoneWebhook -InputObject $WebhookData -SeenListPath $seenList) {
    if ($event.CallStatus -eq 'missed' -and $event.CustomerNumber) {
        $agent = if ($CallbackAgent) { $CallbackAgent } else { $event.AgentNumber }
        $tag = 'callback-' + $(if ($event.Uuid) { $event.Uuid } else { $event.CallId })
        Start-AcefoneCall -AgentNumber $agent -DestinationNumber $event.CustomerNumber -CustomIdentifier $tag `
            -JournalPath $journal -Confirm:$false -ErrorAction Continue
    }
    elseif ($event.Event -eq 'long_call' -and $event.CallId -and $SupervisorAgentId) {
        $event | Start-AcefoneMonitor -AgentId $SupervisorAgentId -Confirm:$false -ErrorAction Continue
    }
    else {
        Write-Output "Event '$($event.Event)' ($($event.CallStatus)) for call $($event.CallId): nothing to do."
    }
}
