# The demo's sample file is what new users copy: it must teach the right CSV, and the demo must show what it sent.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:SampleCsv = Join-Path $RepoRoot 'samples/transfers.csv'
}

Describe 'samples/transfers.csv' {
    It 'quotes the two-destination cell, so Import-Csv reads both destinations and the note stays a note' {
        $row = Import-Csv $SampleCsv | Where-Object call_id -eq '1758782566.8123'
        $row.intercom | Should -BeExactly '9876543210,8004'
        $row.note | Should -Match 'two destinations'
    }

    It 'every row has exactly the three columns of the header' {
        foreach ($row in Import-Csv $SampleCsv) { @($row.PSObject.Properties.Name) | Should -Be @('call_id', 'intercom', 'note') }
        # Import-Csv drops extra fields silently: count them in the raw lines instead (a quoted field counts once).
        foreach ($line in Get-Content $SampleCsv | Select-Object -Skip 1) {
            @(($line -replace '"[^"]*"', 'x').Split(',')).Count | Should -Be 3 -Because $line
        }
    }
}

Describe 'samples/Invoke-Demo.ps1' {
    It 'runs, and shows that the two-destination row went out to two destinations as one JSON array' {
        $demo = Invoke-ChildPwsh -TimeoutSec 180 -Environment @{ DEMO_SCRIPT = (Join-Path $RepoRoot 'samples/Invoke-Demo.ps1') } -Script @'
$ErrorActionPreference = 'Stop'
& $env:DEMO_SCRIPT -ModulePath $env:ACEFONE_TEST_MODULE_PATH
'@
        $demo.Error | Should -BeNullOrEmpty
        $demo.ExitCode | Should -Be 0
        $demo.Output | Should -Match ([regex]::Escape('Call 1758782566.8123 went to 2 destinations (9876543210 and 8004)'))
        $demo.Output | Should -Match ([regex]::Escape('"intercom":["9876543210","8004"]'))
    }
}

# Issue 25, 2: every sample runs as a runbook runs it, under $ErrorActionPreference = 'Stop', with a fault a real shift
# or bulk run meets. Invoke-Demo.ps1 (above) already runs under Stop with a row whose call has ended. The re-run over a
# journal is the bulk runbook's third fault; it waits for skipped rows to become results (issue 21), not errors.
Describe 'Samples under $ErrorActionPreference = ''Stop'' with a fault' {
    BeforeAll {
        $script:Sim = Start-AcefoneSimulator
        $script:WatchSample = Join-Path $RepoRoot 'samples/Watch-LongCalls.ps1'
        $script:BulkSample = Join-Path $RepoRoot 'samples/Invoke-AcefoneBulkTransferRunbook.ps1'
        $script:LongCall = '1714657799.11930964'   # the seeded call already over ten minutes
        function script:Add-LongCall([string] $CallId) {
            $createdAt = [DateTime]::UtcNow.AddMinutes(-20).ToString('yyyy-MM-ddTHH:mm:ssZ')
            $null = Invoke-SimulatorAdmin $Sim 'calls' -Method Post -Body @{ calls = @(@{ call_id = $CallId; created_at = $createdAt }) }
        }
        function script:Invoke-Watch([string] $AgentId) {
            $ErrorActionPreference = 'Stop'
            $warnings = $null
            $results = @(& $WatchSample -SupervisorAgentId $AgentId -Threshold '00:10:00' -Shift '00:00:02.5' -Interval '00:00:01' `
                    -Session $Session -WarningVariable warnings -WarningAction SilentlyContinue -InformationVariable info 6>$null)
            [pscustomobject]@{ Results = $results; Warnings = @($warnings | ForEach-Object { "$_" }); Info = "$($info.MessageData)" }
        }
    }

    AfterAll {
        if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
    }

    BeforeEach {
        Reset-AcefoneSimulator $Sim
        $script:Session = Connect-ToSimulator $Sim
    }

    It 'Watch-LongCalls.ps1: a call that ends between a poll and its monitor is logged (CallNotActive) and the shift goes on' {
        Add-LongCall '5.1'
        # The long seeded call ends right after the first listing that shows it: its monitor finds it gone.
        $null = Invoke-SimulatorAdmin $Sim 'calls/end-after-listing' -Method Post -Body @{ callIds = @($LongCall) }
        $run = Invoke-Watch '0502842370001'
        $run.Results.CallId | Should -Be @('5.1') -Because 'the other long call is still monitored'
        $run.Warnings | Should -HaveCount 1
        $run.Warnings[0] | Should -Match "call $([regex]::Escape($LongCall)) not monitored \(CallNotActive\)"
        $run.Info | Should -Match '2 calls passed 00:10:00 during the shift; 1 could not be monitored'
    }

    It 'Watch-LongCalls.ps1: a busy supervisor (''Agent is not available'') is logged for each call and the shift goes on' {
        Add-LongCall '5.1'
        $run = Invoke-Watch '0502842370007'   # seeded busy (status 3)
        $run.Results | Should -BeNullOrEmpty
        $run.Warnings | Should -HaveCount 2
        $run.Warnings | ForEach-Object { $_ | Should -Match '\(Rejected\): .*Agent is not available' }
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options').Count | Should -Be 2
    }

    It 'Invoke-AcefoneBulkTransferRunbook.ps1: a call that has ended is reported with its call id and the user''s columns stay; the rest go through' {
        $ErrorActionPreference = 'Stop'
        $ids = Add-AcefoneSimulatorCall $Sim -Generate 3 -Prefix '6.'
        $csv = Join-Path $TestDrive 'bulk.csv'
        @('CallId,Intercom,Ticket'; "$($ids[0]),8004,T-1"; '1714657799.77777777,8004,T-2'; "$($ids[1]),80-04,T-3"; "$($ids[2]),8005,T-4") | Set-Content $csv
        $journals = New-Item -ItemType Directory (Join-Path $TestDrive 'journals')
        $out = @(& $BulkSample -CsvPath $csv -JournalFolder $journals -Session $Session -InformationAction SilentlyContinue)
        $out[0] | Should -Match '^4 rows: 2 transferred now, 0 sent by an earlier attempt \(journal .*\), 2 failed\.$'
        $out[1] | Should -Match '^1714657799\.77777777: CallNotActive - Row 2: '
        $out[2] | Should -Match "^$([regex]::Escape($ids[1])): InvalidInput - Row 3: intercom '80-04'"
    }
}

Describe 'The watch one-liner of the README and the help' {
    BeforeAll {
        $script:Sim = Start-AcefoneSimulator
        # Each copy's Where-Object filter, as printed.
        $script:Filters = foreach ($file in 'README.md', 'docs/about_Acefone.md', 'docs/Watch-AcefoneLiveCall.md') {
            $lines = @(Get-Content (Join-Path $RepoRoot $file))
            for ($i = 1; $i -lt $lines.Count; $i++) {
                if ($lines[$i - 1] -match "Watch-AcefoneLiveCall -DurationThreshold '00:10:00' \|" -and $lines[$i] -match 'Where-Object \{(.*)\}') {
                    [pscustomobject]@{ File = $file; Filter = [scriptblock]::Create($Matches[1]) }
                }
            }
        }
    }

    AfterAll {
        if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
    }

    It 'every copy catches a call that was already long when the watch started (it arrives as Started)' {
        @($Filters).Count | Should -BeGreaterOrEqual 3
        # The filter itself, not a script block that returns one (which any object passes).
        @([pscustomobject]@{ Event = 'Ended'; Duration = [timespan]'00:20:00' } | Where-Object $Filters[0].Filter) | Should -BeNullOrEmpty
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
        $events = @(Watch-AcefoneLiveCall -DurationThreshold '00:10:00' -Interval 1 -For '00:00:01.5' 6>$null)
        @($events | Where-Object CallId -eq '1714657799.11930964').Event | Should -Contain 'Started'
        foreach ($copy in $Filters) {
            $caught = @($events | Where-Object $copy.Filter)
            $caught.CallId | Should -Contain '1714657799.11930964' -Because "$($copy.File): $($copy.Filter)"
        }
    }
}
