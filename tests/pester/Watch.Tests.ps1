# Watch-AcefoneLiveCall against the simulator: scripted scenarios (steps keyed to the Nth listing, so the events do not
# depend on how fast the machine is), the ways a watch ends, failures in the middle of a watch, and the pipe into call control.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator

    function script:Start-Scenario([object[]] $Steps) { $null = Invoke-SimulatorAdmin $Sim 'calls/scenario' -Method Post -Body @{ steps = @($Steps) } }
    function script:Get-PollCount { (Get-AcefoneSimulatorRequest $Sim -Path '/v1/live_calls').Count }
    function script:Show($Events) {
        @($Events | ForEach-Object { "$($_.Event) $($_.CallId)" + $(if ($_.Changes.Count) { ' [' + ($_.Changes -join ',') + ']' }) })
    }
    function script:Wait-Until([scriptblock] $Condition, [int] $TimeoutSec = 30) {
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
        while (-not (& $Condition)) {
            if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out after $TimeoutSec s waiting for: $Condition" }
            Start-Sleep -Milliseconds 50
        }
    }
    function script:Iso([int] $MinutesAgo) { [DateTime]::UtcNow.AddMinutes(-$MinutesAgo).ToString('yyyy-MM-ddTHH:mm:ssZ') }
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'Watch-AcefoneLiveCall' {
    BeforeEach {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
    }

    It 'writes Started, Changed and Ended for a scripted scenario, in order, with the properties that changed' {
        Start-Scenario @(
            @{ listing = 2; add = @{ call_id = '9.1'; state = 'Ringing'; queue_state = 'Waiting'; agent_name = 'Agent 010'; agent_number = '9876510010' } }
            @{ listing = 3; change = @{ call_id = '9.1'; state = 'Answered'; queue_state = '' } }
            @{ listing = 4; change = @{ call_id = '9.1'; agent_name = 'Agent 011'; agent_number = '9876510011' } }
            @{ listing = 5; end = '9.1' }
        )
        $events = @(Watch-AcefoneLiveCall -Interval 1 -SkipExisting -For 60 | Select-Object -First 4)

        Show $events | Should -Be @('Started 9.1', 'Changed 9.1 [State,QueueState]', 'Changed 9.1 [AgentName,AgentNumber]', 'Ended 9.1')
        $events[0] | Should -BeOfType ([Acefone.Client.AcefoneLiveCallEvent])
        $events[0].Call.QueueState | Should -Be 'Waiting'
        $events[1].Previous.State | Should -Be 'Ringing'
        $events[1].Call.State | Should -Be 'Answered'
        $events[1].Call.QueueState | Should -BeNullOrEmpty
        $events[3].Call.AgentName | Should -Be 'Agent 011'
        $events[3].Note | Should -BeNullOrEmpty
        $events[3].Duration | Should -BeOfType ([timespan])
        foreach ($e in $events) { $e.At.Kind | Should -Be 'Utc' }
        for ($i = 1; $i -lt 4; $i++) { $events[$i].At | Should -BeGreaterThan $events[$i - 1].At }
    }

    It 'writes the calls live at the first poll as Started, and none of them with -SkipExisting' {
        $all = @(Watch-AcefoneLiveCall -Interval 1 -For 0.5)
        Show $all | Should -Be @('1714657799.11930961', '1714657799.11930962', '1714657799.11930963', '1714657799.11930964', '1714657799.11930965' | ForEach-Object { "Started $_" })
        $all[3].Duration | Should -BeGreaterThan ([timespan]'00:10:00')

        @(Watch-AcefoneLiveCall -Interval 1 -For 0.5 -SkipExisting).Count | Should -Be 0
        Get-PollCount | Should -Be 2
    }

    It 'sends the filters on every poll' {
        $null = Watch-AcefoneLiveCall -AgentNumber 9876510004 -DidNumber 918069123400 -Interval 1 -For 1.5
        $queries = @((Get-AcefoneSimulatorRequest $Sim -Path '/v1/live_calls').query)
        $queries.Count | Should -BeGreaterOrEqual 1
        $queries | Should -Not -Contain ''
        foreach ($query in $queries) { $query | Should -Be 'agent_number=9876510004&did_number=918069123400' }
    }

    It '-For ends the watch after that long, with a summary and no request after it' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $null = Watch-AcefoneLiveCall -Interval 1 -For '00:00:02.5' -InformationVariable info
        $watch.Stop()
        $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 2.4
        $polls = Get-PollCount
        $polls | Should -BeIn @(1, 2, 3)   # one a second from the start, none at or after 2.5 s
        "$info" | Should -Match "^Watch-AcefoneLiveCall: $polls polls? \(\d+ delayed by the rate limit, 0 failed\), 5 events \(5 Started, 0 Changed, 0 Ended\), 5 live calls at the end"
        Start-Sleep -Milliseconds 1500
        Get-PollCount | Should -Be $polls
    }

    It 'is paced by the session''s rate limiter when -Interval is faster than the rate allows, and counts the delayed polls' {
        $null = Connect-ToSimulator $Sim -Extra @{ MaxRequestsPerSecond = 0.5 }
        $null = Watch-AcefoneLiveCall -Interval 1 -For 5 -InformationVariable info -WarningVariable warnings -ErrorVariable failures
        $polls = Get-PollCount
        $polls | Should -BeIn @(2, 3)   # 0.5/s: one at the start, then one every 2 s at most
        @($warnings).Count | Should -Be 0
        $failures.Count | Should -Be 0
        "$info" | Should -Match "^Watch-AcefoneLiveCall: $polls polls \([1-9]\d* delayed by the rate limit, 0 failed\)"
        Start-Sleep -Milliseconds 2500
        Get-PollCount | Should -Be $polls -Because 'a poll the limiter held past -For is never sent'
        (Get-AcefoneSimulatorStats $Sim).tooManyRequests | Should -Be 0
    }

    It 'shows each poll''s timing in Verbose, after the request''s own line' {
        $verbose = @(Watch-AcefoneLiveCall -Interval 1 -For 1.5 -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $polls = @($verbose | Where-Object { $_ -like 'Poll *' })
        $polls.Count | Should -Be (Get-PollCount)
        $polls[0] | Should -Match '^Poll 1: 5 live calls, 5 events in \d+ ms \(1 attempt\); next poll in [01]\.\d s$'
        if ($polls.Count -gt 1) { $polls[1] | Should -Match '^Poll 2: 5 live calls, 0 events in \d+ ms' }
        $verbose[0] | Should -Match '^GET /v1/live_calls -> 200 in \d+ ms \(attempt 1\)'
    }

    It 'takes -Interval and -For as seconds, and refuses an interval under 1 s' {
        { Watch-AcefoneLiveCall -Interval 0.5 -For 1 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Acefone.PowerShell.Commands.WatchAcefoneLiveCallCommand'
        Get-PollCount | Should -Be 0
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $null = Watch-AcefoneLiveCall -Interval 2 -For 1
        $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.9
        Get-PollCount | Should -Be 1
    }

    It 'ends at once, cleanly, when Select-Object -First has what it needs, and sends nothing after' {
        $Error.Clear()
        $events = @(Watch-AcefoneLiveCall -Interval 1 | Select-Object -First 2)
        $events.Count | Should -Be 2
        $Error.Count | Should -Be 0
        Get-PollCount | Should -Be 1
        Start-Sleep -Milliseconds 1500
        Get-PollCount | Should -Be 1
    }

    It 'stops on Ctrl+C (StopProcessing) between polls and during a slow poll, without an error and with no request after' {
        $script = "Import-Module '$($script:ModuleBase)'; `$null = Connect-Acefone -BaseUri '$($Sim.BaseUri)' -AccessToken '$($Sim.ConsoleToken)'; Watch-AcefoneLiveCall -Interval 1"
        foreach ($slow in $false, $true) {
            Reset-AcefoneSimulator $Sim
            $ps = [powershell]::Create()
            try {
                $output = [Management.Automation.PSDataCollection[psobject]]::new()
                $null = $ps.AddScript($script)
                $null = $ps.BeginInvoke([Management.Automation.PSDataCollection[psobject]]::new(), $output)
                Wait-Until { $output.Count -ge 5 }
                if ($slow) {
                    $null = Set-AcefoneSimulatorConfig $Sim @{ latencyMs = 10000 }
                    Wait-Until { (Get-AcefoneSimulatorStats $Sim).inFlight -ge 1 }
                }
                else {
                    Wait-Until { (Get-PollCount) -ge 2 }
                }
                $watch = [Diagnostics.Stopwatch]::StartNew()
                $ps.Stop()
                $watch.Elapsed.TotalSeconds | Should -BeLessThan 8 -Because 'a stop must not wait for a 10 s answer'
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
                $ps.Streams.Error.Count | Should -Be 0
                $ps.Streams.Warning.Count | Should -Be 0
                $polls = Get-PollCount
                Start-Sleep -Milliseconds 1500
                Get-PollCount | Should -Be $polls
            }
            finally {
                $ps.Dispose()
                $null = Set-AcefoneSimulatorConfig $Sim @{ latencyMs = 0 }
            }
        }
    }

    It 'rides out a 429 and a 503 in the middle of a watch: warnings, a resumed watch, nothing lost' {
        $null = Connect-ToSimulator $Sim -Extra @{ MaxRetries = 0 }
        Start-Scenario @(
            @{ listing = 2; add = @{ call_id = '9.1'; state = 'Ringing' } }
            @{ listing = 2; fail = @(429, 503) }
            @{ listing = 3; change = @{ call_id = '9.1'; state = 'Answered' } }
            @{ listing = 3; end = '1714657799.11930961' }
            @{ listing = 4; end = '9.1' }
        )
        $events = @(Watch-AcefoneLiveCall -Interval 1 -SkipExisting -For 60 -WarningVariable warnings -ErrorVariable failures 3>$null | Select-Object -First 4)

        Show $events | Should -Be @('Started 9.1', 'Changed 9.1 [State]', 'Ended 1714657799.11930961', 'Ended 9.1')
        $events[2].EndTimeUnknown | Should -BeTrue
        $events[2].Note | Should -Match 'exact end time is unknown'
        $events[3].EndTimeUnknown | Should -BeFalse
        $failures.Count | Should -Be 0
        @($warnings).Count | Should -Be 3
        "$($warnings[0])" | Should -Match '^Poll 3 failed \(RateLimited\).*The watch goes on; next poll in 2 s\.$'
        "$($warnings[1])" | Should -Match '^Poll 4 failed \(ServerError\).*next poll in 4 s\.$'
        "$($warnings[2])" | Should -Match '^Poll 5 succeeded after 2 failed polls; the watch resumed\.'
        $stats = Get-AcefoneSimulatorStats $Sim
        $stats.tooManyRequests | Should -Be 1
        $stats.serviceUnavailable | Should -Be 1
    }

    It 'renews an expiring login token mid-watch without a warning' {
        $null = Connect-ToSimulator $Sim -Login
        $null = Set-AcefoneSimulatorConfig $Sim @{ tokenExpiresAfterRequests = 2 }
        Start-Scenario @(
            @{ listing = 3; add = @{ call_id = '9.1'; state = 'Ringing' } }
            @{ listing = 5; end = '9.1' }
        )
        $events = @(Watch-AcefoneLiveCall -Interval 1 -SkipExisting -For 60 -WarningVariable warnings -ErrorVariable failures | Select-Object -First 2)
        Show $events | Should -Be @('Started 9.1', 'Ended 9.1')
        @($warnings).Count | Should -Be 0
        $failures.Count | Should -Be 0
        (Get-AcefoneSimulatorStats $Sim).refreshes | Should -BeGreaterOrEqual 1
    }

    It 'ends with AuthenticationFailed, and only then, when the token is refused for good' {
        Start-Scenario @(@{ listing = 2; fail = @(401) })
        $events = [Collections.Generic.List[object]]::new()
        { Watch-AcefoneLiveCall -Interval 1 -For 60 | ForEach-Object { $events.Add($_) } } | Should -Throw -ErrorId 'AuthenticationFailed,Acefone.PowerShell.Commands.WatchAcefoneLiveCallCommand'
        $events.Count | Should -Be 5
        Get-PollCount | Should -Be 3
    }

    It 'ends with NotConnected when its session is closed under it' {
        $session = Connect-ToSimulator $Sim
        { Watch-AcefoneLiveCall -Session $session -Interval 1 -For 60 | ForEach-Object { $session.Dispose() } } |
            Should -Throw -ErrorId 'NotConnected,Acefone.PowerShell.Commands.WatchAcefoneLiveCallCommand'
        Get-PollCount | Should -Be 1
    }

    It 'shows events as a table by default' {
        $text = Watch-AcefoneLiveCall -Interval 1 -For 0.5 | Out-String -Width 120
        $text | Should -Match 'Time\s+Event\s+CallId\s+State\s+AgentName\s+Duration\s+Changes'
        $text | Should -Match 'Started 1714657799\.11930961\s+Answered\s+Agent 004'
    }
}

Describe 'Watch-AcefoneLiveCall piped into call control' {
    BeforeEach {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
        # Two calls pass ten minutes when they change; one does not. CallId binds by property name.
        Start-Scenario @(
            @{ listing = 2; add = @{ call_id = '9.1'; state = 'Ringing'; created_at = (Iso 11) } }
            @{ listing = 2; add = @{ call_id = '9.2'; state = 'Ringing'; created_at = (Iso 1) } }
            @{ listing = 3; change = @{ call_id = '9.1'; state = 'Answered' } }
            @{ listing = 3; change = @{ call_id = '9.2'; state = 'Answered' } }
            @{ listing = 5; add = @{ call_id = '9.3'; state = 'Ringing'; created_at = (Iso 20) } }
            @{ listing = 6; change = @{ call_id = '9.3'; state = 'Answered' } }
        )
    }

    It 'starts a monitor on exactly the calls that passed the filter, each once' {
        # -For ends the watch (and writes what is still in flight) if the results are not out before then.
        $results = @(Watch-AcefoneLiveCall -Interval 1 -SkipExisting -For 15 |
                Where-Object { $_.Event -eq 'Changed' -and $_.Duration -gt '00:10:00' } |
                Start-AcefoneMonitor -AgentId 0502842370001 |
                Select-Object -First 2)
        $results.CallId | Should -Be @('9.1', '9.3')
        $results | ForEach-Object { $_.Success | Should -BeTrue }
        $sent = @((Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options').body | ConvertFrom-Json)
        $sent.call_id | Should -Be @('9.1', '9.3')
        $sent.agent_id | Should -Be @('0502842370001', '0502842370001')
    }

    It 'writes each monitor''s result as soon as it is known, not when the next event arrives' -Tag NeedsSparseInput {
        $events = [Collections.Generic.List[object]]::new()
        $seen = @(Watch-AcefoneLiveCall -Interval 1 -SkipExisting -For 15 |
                ForEach-Object { $events.Add($_); $_ } |
                Where-Object { $_.Event -eq 'Changed' -and $_.Duration -gt '00:10:00' } |
                Start-AcefoneMonitor -AgentId 0502842370001 |
                ForEach-Object { [pscustomobject]@{ CallId = $_.CallId; SeenAt = [DateTime]::UtcNow } } |
                Select-Object -First 2)
        $seen.CallId | Should -Be @('9.1', '9.3')
        # 9.3 changes two polls after 9.1: 9.1's result must be out before that poll's events.
        $nextEvent = @($events | Where-Object { $_.CallId -eq '9.3' -and $_.Event -eq 'Started' })[0]
        $seen[0].SeenAt | Should -BeLessThan $nextEvent.At
    }
}

Describe 'samples/Watch-LongCalls.ps1' {
    BeforeEach {
        Reset-AcefoneSimulator $Sim
        $script:Session = Connect-ToSimulator $Sim
        $script:Sample = Join-Path $RepoRoot 'samples/Watch-LongCalls.ps1'
    }

    It 'with -WhatIf shows the monitor it would start on the one call over the threshold, and sends none' {
        $text = Get-HostOutput { & $Sample -SupervisorAgentId 0502842370001 -Threshold '00:10:00' -Shift '00:00:02.5' -Interval '00:00:01' -Session $Session -WhatIf }
        $text | Should -Match "What if: .*Monitor call '1714657799\.11930964'"
        $text | Should -Not -Match "1714657799\.1193096[1235]"
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options').Count | Should -Be 0
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/live_calls').Count | Should -BeGreaterOrEqual 1
    }

    It 'monitors each call over the threshold once, however many polls see it' {
        $results = @(& $Sample -SupervisorAgentId 0502842370001 -Threshold '00:10:00' -Shift '00:00:02.5' -Interval '00:00:01' -Session $Session 6>$null)
        $results.CallId | Should -Be @('1714657799.11930964')
        $sent = @((Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options').body | ConvertFrom-Json)
        $sent.call_id | Should -Be @('1714657799.11930964')
        $sent.agent_id | Should -Be @('0502842370001')
    }
}
