# What a user sees at an 80-column prompt: each default view rendered as the console renders it there (Out-Default
# formats to one column less than the window: 79, as tmux capture-pane shows), checked for the columns that matter
# and for nothing cut short.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
    $null = Connect-ToSimulator $Sim
    $script:Calls = Add-AcefoneSimulatorCall $Sim -Generate 2 -Prefix '1714657799.1193'

    # The capture: what an 80-column console shows for each default view.
    function script:Show([Parameter(ValueFromPipeline)] $InputObject) {
        begin { $all = [System.Collections.Generic.List[object]]::new() }
        process { $all.Add($InputObject) }
        end { $all | Out-String -Width 79 }
    }
    function script:Lines([string] $Capture) { @($Capture -split "`r?`n" | Where-Object { $_.Trim() }) }

    $script:Results = @(
        Invoke-AcefoneTransfer -CallId $Calls[0] -Intercom 9876543210, 8004
        Start-AcefoneMonitor -CallId $Calls[1] -AgentId 0502842370001)
    $script:Capture = [ordered]@{
        Results     = $Results | Show
        LiveCalls   = Get-AcefoneLiveCall | Show
        Session     = Get-AcefoneSession | Show
        Users       = Get-AcefoneUser | Select-Object -First 3 | Show
        Departments = Get-AcefoneDepartment | Show
    }
    $script:AllCaptured = ($Capture.GetEnumerator() | ForEach-Object { "== $($_.Key)`n$($_.Value)" }) -join "`n"
}

AfterAll {
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'Default views at 80 columns' {
    It 'no line of any default view is wider than the 79 columns an 80-column console formats to, and no header wraps' {
        foreach ($line in Lines $AllCaptured) { $line.Length | Should -BeLessOrEqual 79 -Because $AllCaptured }
        foreach ($view in $Capture.Values) { (Lines $view)[1] | Should -Match '^[- ]+$' -Because "the second line of a table is its rule, unless the header wrapped:`n$view" }
    }

    It 'the result table shows two destinations in full, and the whole message' {
        $lines = Lines $Capture.Results
        $lines[0] | Should -Match '^Operation\s+CallId\s+AgentId/Intercom\s+Message$'
        $transfer = $lines | Where-Object { $_ -like "Transfer *$($Calls[0])*" }
        $transfer | Should -Match ([regex]::Escape('9876543210,8004'))
        $transfer | Should -Match 'Transfer request initiated$' -Because $Capture.Results
        $lines | Where-Object { $_ -like "Monitor *" } | Should -Match '0502842370001\s+Monitor request initiated$'
        $Capture.Results | Should -Not -Match '…' -Because $Capture.Results
    }

    It 'live calls keep StartedAt, with the account offset, and Duration' {
        $lines = Lines $Capture.LiveCalls
        $lines[0] | Should -Match '\bStartedAt\b'
        $lines[0] | Should -Match '\bDuration$'
        # The simulator's account is at +05:30, as Indian accounts are.
        $lines | Where-Object { $_ -like "$($Calls[0])*" } | Should -Match '\d\d:\d\d \+05:30\s+\d\d:\d\d:\d\d$'
    }

    It 'the session table keeps TokenExpiresAt and Rate' {
        $lines = Lines $Capture.Session
        $lines[0] | Should -Match '\bTokenExpiresAt\s+Rate$'
        $lines[2] | Should -Match '\badaptive$'
    }

    It 'the user table keeps the whole login id' {
        $lines = Lines $Capture.Users
        $lines[0] | Should -Match '\bLoginId$'
        $lines[2] | Should -Match 'agent1@example\.com$' -Because $Capture.Users
    }
}

Describe 'Timestamps that read the same everywhere' {
    It 'Export-Csv writes an ISO 8601 UTC form of each result''s Timestamp, and Timestamp stays a DateTime' {
        $Results[0].Timestamp | Should -BeOfType [datetime]
        $Results[0].Timestamp.Kind | Should -Be 'Utc'
        $row = $Results | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv | Select-Object -First 1
        $row.TimestampIso8601 | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$'
        [datetimeoffset]::Parse($row.TimestampIso8601, [cultureinfo]::InvariantCulture).UtcDateTime |
            Should -Be ([datetime]::SpecifyKind($Results[0].Timestamp.AddTicks(-($Results[0].Timestamp.Ticks % 10000)), 'Utc'))
    }

    It 'a live call''s StartedAtWithOffset is StartedAt with the account''s offset' {
        $call = Get-AcefoneLiveCall -CallId $Calls[0]
        $call.StartedAtWithOffset.Offset | Should -Be ([timespan]'05:30:00')
        $call.StartedAtWithOffset.DateTime | Should -Be $call.StartedAt
    }
}
