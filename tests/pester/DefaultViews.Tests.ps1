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
        WatchEvents = Watch-AcefoneLiveCall -For '00:00:01' -Interval 1 | Show
        CallRecords = Get-AcefoneCallRecord -From ([datetime]::UtcNow.AddDays(-1)) -To ([datetime]::UtcNow) | Select-Object -First 3 | Show
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
        # A session's start is paced (3/s, doubling), so a new session shows its pace, not 'adaptive'.
        $lines[2] | Should -Match '\b[\d.]+/s$'
    }

    It 'the user table keeps the whole login id' {
        $lines = Lines $Capture.Users
        $lines[0] | Should -Match '\bLoginId$'
        $lines[2] | Should -Match 'agent1@example\.com$' -Because $Capture.Users
    }
}

Describe 'Default views in a real 80-column terminal' {
    # The same views printed by a console PowerShell in an 80x60 tmux window, read back with capture-pane: the
    # screenshot. Skipped where tmux is not installed.
    It 'prints every table without a wrapped header or a cut message' -Skip:(-not (Get-Command tmux -ErrorAction SilentlyContinue)) {
        $script = Join-Path $TestDrive 'views.ps1'
        Set-Content $script -Encoding utf8 -Value @"
Import-Module '$(Join-Path $ModuleBase 'Acefone.psd1')'
Connect-Acefone -BaseUri '$($Sim.BaseUri)' -AccessToken '$($Sim.ConsoleToken)'
Invoke-AcefoneTransfer -CallId '$($Calls[0])' -Intercom 9876543210, 8004 | Out-Default
Get-AcefoneLiveCall -CallId '$($Calls[0])' | Out-Default
Get-AcefoneSession | Out-Default
Get-AcefoneUser -Name 'Team Lead 1' | Out-Default
'VIEWS-' + 'DONE'
"@
        $pwsh = if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { "'$([Environment]::ProcessPath)' '$(Join-Path $PSHOME 'pwsh.dll')'" } else { "'$([Environment]::ProcessPath)'" }
        $name = 'acefone-views-' + [guid]::NewGuid().ToString('n').Substring(0, 8)
        & tmux new-session -d -s $name -x 80 -y 60 "$pwsh -NoProfile -File '$script'; sleep 60"
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(120)
            do { Start-Sleep -Milliseconds 500; $screen = (& tmux capture-pane -p -t $name) -join "`n" } until ($screen -match 'VIEWS-DONE' -or [DateTime]::UtcNow -gt $deadline)
        }
        finally { & tmux kill-session -t $name 2>$null }
        $screen | Should -Match 'VIEWS-DONE' -Because $screen
        $lines = $screen -split "`n"
        foreach ($header in '^Operation\s+CallId\s+AgentId/Intercom\s+Message\s*$', '^CallId\s+State\s+AgentName\s+Customer\s+StartedAt\s+Duration\s*$',
            '^Region\s+Host\s+AuthKind\s+TokenExpiresAt\s+Rate\s*$', '^\s*UserId\s+Name\s+AgentId\s+AgentStatus\s+Ext\s+LoginId\s*$') {
            $at = @(0..($lines.Count - 1) | Where-Object { $lines[$_] -match $header })
            $at.Count | Should -Be 1 -Because "the header $header must be on one line:`n$screen"
            $lines[$at[0] + 1] | Should -Match '^[- ]+$' -Because $screen
        }
        $screen | Should -Match '9876543210,8004\s+Transfer request initiated'
        $screen | Should -Match 'agent1@example\.com'
        $screen | Should -Not -Match '…'
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
