<#
.SYNOPSIS
    Rehearses a bulk transfer against the local simulator: Import-Csv samples/transfers.csv | Invoke-AcefoneTransfer.
.DESCRIPTION
    Starts the simulator on a free loopback port, marks the calls in the sample file as live (all but one,
    which shows how an ended call is reported), imports the built module, connects, pipes the CSV through
    Invoke-AcefoneTransfer, shows the results and the per-row errors, and stops the simulator.
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $ModulePath)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../build/SimulatorControl.psm1') -Force
$csv = Join-Path $PSScriptRoot 'transfers.csv'
$simulator = Start-AcefoneSimulator
try {
    Write-Host "Simulator listening on $($simulator.BaseUri)" -ForegroundColor DarkGray
    $rows = Import-Csv $csv
    $live = $rows | Where-Object { $_.call_id -and $_.note -notmatch 'ended' } | ForEach-Object call_id | Sort-Object -Unique
    Add-AcefoneSimulatorCall $simulator -CallId $live | Out-Null

    Import-Module $ModulePath -Force
    Connect-Acefone -BaseUri $simulator.BaseUri -AccessToken $simulator.ConsoleToken
    Get-AcefoneSession | Out-String -Width 160 | Write-Host

    Write-Host "PS> Import-Csv samples/transfers.csv | Invoke-AcefoneTransfer -ThrottleLimit 4" -ForegroundColor Yellow
    # The end-of-run summary line shows here by itself, as Write-Host output would.
    $results = Import-Csv $csv | Invoke-AcefoneTransfer -ThrottleLimit 4 -ErrorAction SilentlyContinue -ErrorVariable rowErrors
    $results | Format-Table -AutoSize | Out-String -Width 160 | Write-Host

    # A quoted cell ("9876543210,8004") holds several destinations; they go out as one JSON array.
    $sent = Get-AcefoneSimulatorRequest $simulator -Path '/v1/call/options'
    $multi = @($results | Where-Object { $_.Intercom -like '*,*' })
    foreach ($result in $multi) {
        $destinations = @($result.Intercom -split ',')
        $body = @($sent | Where-Object { $_.body -like "*$($result.CallId)*" })[-1].body
        Write-Host ("Call {0} went to {1} destinations ({2}); the API received {3}" -f $result.CallId, $destinations.Count, ($destinations -join ' and '), $body) -ForegroundColor Green
    }

    if ($rowErrors) {
        Write-Host "$(@($rowErrors).Count) rows were not transferred:" -ForegroundColor Yellow
        foreach ($record in $rowErrors) {
            $message = if ($record.ErrorDetails) { $record.ErrorDetails.Message } else { $record.Exception.Message }
            Write-Host ("  [{0}] {1}" -f $record.FullyQualifiedErrorId.Split(',')[0], $message)
        }
    }
    $stats = Get-AcefoneSimulatorStats $simulator
    Write-Host "The simulator processed $($stats.processed) call operations and saw $($stats.duplicateProcessed) duplicates." -ForegroundColor DarkGray
    if (@($results).Count -ne 21) { throw "The demo expected 21 transfers to succeed, got $(@($results).Count)." }
    if ($multi.Count -ne 1 -or @($multi[0].Intercom -split ',').Count -ne 2) { throw "The demo expected one transfer to two destinations, got: $($multi.Intercom -join '; ')." }
}
finally {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    Stop-AcefoneSimulator $simulator
}
