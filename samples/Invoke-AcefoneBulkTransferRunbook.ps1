<#
.SYNOPSIS
    An Azure Automation runbook: transfers the calls listed in a CSV, safe to restart from the top.
.DESCRIPTION
    Automation restarts a job from the beginning after a sandbox fault or at the 3-hour fair-share limit. The run
    journal (-JournalPath) makes that restart harmless: rows the first attempt sent are not sent again (they come out as
    results with Status AlreadySent, not errors), and the rest are sent. This one runs on a Hybrid Runbook Worker and
    keeps the journal on the worker's own disk; for the cloud sandbox, whose disk does not survive a restart, use
    Invoke-AcefoneCloudTransferRunbook.ps1 (journal in a storage account). See about_Acefone_Journal.
    Never prompts. Credential: an Automation credential asset named 'Acefone' (login id and password).
.PARAMETER CsvPath
    The CSV with CallId and Intercom columns, on the worker.
.PARAMETER JournalFolder
    A folder on the worker's own disk that outlives the job.
.EXAMPLE
    Start-AzAutomationRunbook -Name Invoke-AcefoneBulkTransferRunbook -RunOn 'HybridWorkers' -Parameters @{ CsvPath = 'D:\acefone\transfers-2026-12-02.csv' }
#>
param(
    [Parameter(Mandatory)] [string] $CsvPath,
    [string] $JournalFolder = 'C:\AcefoneJournals',
    [string] $Region = 'India',
    [ValidateRange(1, 64)] [int] $ThrottleLimit = 4
)
$ErrorActionPreference = 'Stop'
Import-Module Acefone

# One journal per input file: a restart of this job, or a later job for the same file, finds it.
$null = New-Item -ItemType Directory -Force -Path $JournalFolder
$journal = Join-Path $JournalFolder ([IO.Path]::GetFileNameWithoutExtension($CsvPath) + '.journal.jsonl')

$credential = Get-AutomationPSCredential -Name 'Acefone'
Connect-Acefone -Credential $credential -Region $Region

$rows = Import-Csv -Path $CsvPath
# Rows the journal shows as sent are results (Status AlreadySent), not errors: only real failures are collected.
$done = @($rows | Invoke-AcefoneTransfer -ThrottleLimit $ThrottleLimit -JournalPath $journal -Confirm:$false `
    -ErrorAction SilentlyContinue -ErrorVariable failures -InformationAction Continue)

$alreadySent = @($done | Where-Object Status -eq 'AlreadySent')
Write-Output ("{0} rows: {1} transferred now, {2} sent by an earlier attempt (journal {3}), {4} failed." -f `
        $rows.Count, @($done | Where-Object Status -eq 'Sent').Count, $alreadySent.Count, $journal, $failures.Count)

# Each failure with its call, for a follow-up run of only those rows (the journal keeps that run safe too).
foreach ($failure in $failures) {
    Write-Output ("{0}: {1} - {2}" -f $failure.TargetObject.call_id, $failure.FullyQualifiedErrorId.Split(',')[0], $failure.Exception.Message)
}
Disconnect-Acefone
