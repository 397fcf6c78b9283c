<#
.SYNOPSIS
    An Azure Automation runbook for the cloud sandbox: transfers the calls listed in a CSV kept in a storage account,
    safe to restart from the top.
.DESCRIPTION
    Automation restarts a job from the beginning after a sandbox fault or at the 3-hour fair-share limit, in a new
    sandbox whose disk is empty. So the run journal lives beside the CSV in your storage account (-JournalPath takes
    the blob's URL): a restarted job reads it and sends none of the rows the first attempt sent (they come out as
    results with Status AlreadySent), then sends the rest. $ErrorActionPreference = 'Stop' is safe: skipped rows are
    not errors. See about_Acefone_Journal ("Azure Automation").
    Never prompts. Credential: an Automation credential asset (login id and password), 'Acefone' by default.
    Storage: with -SasVariableName, a SAS kept in that encrypted Automation variable (permissions read, add, create,
    write on the container); without it, the Automation account's managed identity (role Storage Blob Data
    Contributor on the container).
.PARAMETER CsvUrl
    The input CSV (CallId or call_id, and Intercom columns): its blob URL, https://<account>.blob.core.windows.net/<container>/<name>.csv.
    A local path is read as a file (a Hybrid Worker, a test).
.PARAMETER JournalPath
    The journal. By default the blob beside the CSV: <name>.journal.jsonl in the same container (one journal per
    input file, so a restart of this job, or a later job for the same file, finds it).
.PARAMETER SasVariableName
    The encrypted Automation variable holding a SAS token for the container (without the leading '?'), used for the
    CSV and the journal. Leave it out to use the managed identity.
.PARAMETER CredentialName
    The Automation credential asset with the Acefone login.
.PARAMETER Region
    The Acefone region of the account.
.PARAMETER BaseUri
    An API base URI instead of -Region (a test against a local stand-in).
.EXAMPLE
    Start-AzAutomationRunbook -Name Invoke-AcefoneCloudTransferRunbook -Parameters @{ CsvUrl = 'https://contosoacefone.blob.core.windows.net/transfers/transfers-2026-12-02.csv'; SasVariableName = 'AcefoneTransfersSas' }
#>
param(
    [Parameter(Mandatory)] [string] $CsvUrl,
    [string] $JournalPath,
    [string] $SasVariableName,
    [string] $CredentialName = 'Acefone',
    [string] $Region = 'India',
    [string] $BaseUri,
    [ValidateRange(1, 64)] [int] $ThrottleLimit = 4
)
$ErrorActionPreference = 'Stop'
Import-Module Acefone

$isBlob = $CsvUrl -match '^https://'
$sas = if ($SasVariableName) { (Get-AutomationVariable -Name $SasVariableName).TrimStart('?') } else { $null }

# The journal beside the CSV: same container, the CSV's name with .journal.jsonl (a SAS goes in the URL's query).
if (-not $JournalPath) {
    if ($isBlob) {
        $JournalPath = ($CsvUrl -replace '\.csv$', '') + '.journal.jsonl'
    }
    else {
        $JournalPath = [IO.Path]::ChangeExtension($CsvUrl, '.journal.jsonl')
    }
}
if ($isBlob -and $sas -and $JournalPath -notmatch '\?') { $JournalPath = "$JournalPath`?$sas" }

# The CSV: a blob read with the SAS or the managed identity's token (nothing of either is ever written out), or a file.
if ($isBlob) {
    $headers = @{ 'x-ms-version' = '2021-08-06' }
    $uri = $CsvUrl
    if ($sas) { $uri = "$CsvUrl`?$sas" }
    else {
        $identity = Invoke-RestMethod -Uri "$($env:IDENTITY_ENDPOINT)?resource=https://storage.azure.com/&api-version=2019-08-01" `
            -Headers @{ 'X-IDENTITY-HEADER' = $env:IDENTITY_HEADER; Metadata = 'true' }
        $headers['Authorization'] = "Bearer $($identity.access_token)"
    }
    $text = (Invoke-WebRequest -Uri $uri -Headers $headers -UseBasicParsing).Content
    if ($text -is [byte[]]) { $text = [Text.Encoding]::UTF8.GetString($text) }
    $rows = @($text.TrimStart([char]0xFEFF) | ConvertFrom-Csv)
}
else {
    $rows = @(Import-Csv -Path $CsvUrl)
}

$credential = Get-AutomationPSCredential -Name $CredentialName
if ($BaseUri) { $null = Connect-Acefone -Credential $credential -BaseUri $BaseUri }
else { $null = Connect-Acefone -Credential $credential -Region $Region }

# Rows the journal shows as sent are results (Status AlreadySent), not errors; only real failures are collected here,
# so one failed row does not end the job and the rest of the file is still sent.
$results = @($rows | Invoke-AcefoneTransfer -ThrottleLimit $ThrottleLimit -JournalPath $JournalPath -Confirm:$false `
        -ErrorAction SilentlyContinue -ErrorVariable failures -InformationAction Continue)

$sentNow = @($results | Where-Object Status -eq 'Sent')
$skipped = @($results | Where-Object Status -eq 'AlreadySent')
$toCheck = @($skipped | Where-Object EarlierOutcome -ne 'Succeeded')
$journalName = $JournalPath -replace '\?.*$', ''
Write-Output ("{0} rows: {1} transferred now, {2} sent by an earlier attempt ({3} of them with no known outcome), {4} failed. Journal: {5}" -f `
        $rows.Count, $sentNow.Count, $skipped.Count, $toCheck.Count, $failures.Count, $journalName)

# Each failure with its call, for a follow-up run of only those rows (the journal keeps that run safe too).
foreach ($failure in $failures) {
    Write-Output ("FAILED {0}: {1} - {2}" -f $failure.TargetObject.call_id, $failure.FullyQualifiedErrorId.Split(',')[0], $failure.Exception.Message)
}
foreach ($row in $toCheck) { Write-Output ("CHECK {0}: {1} earlier ({2:o})" -f $row.CallId, $row.EarlierOutcome, $row.Timestamp) }
Disconnect-Acefone
