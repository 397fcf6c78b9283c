# Get-AcefoneLiveCall: typed live calls, the filters as query parameters, an empty list, the table view.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'Get-AcefoneLiveCall' {
    BeforeEach {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
    }

    It 'writes typed live calls with the call id, not the row id, as CallId' {
        $calls = @(Get-AcefoneLiveCall)
        $calls.Count | Should -Be 5
        $calls[0] | Should -BeOfType ([Acefone.Client.AcefoneLiveCall])
        $calls.CallId | Should -Be $Seeded
        $calls[0].RowId | Should -Be '88001'
        $calls[0].Direction | Should -Be ([Acefone.Client.CallDirection]::Inbound)
        $calls[1].Direction | Should -Be 'Outbound'
        $calls[0].State | Should -Be 'Answered'
        $calls[0].AgentName | Should -Be 'Agent 004'
        $calls[0].CustomerNumber | Should -Be '919812345601'
        $calls[0].Did | Should -Be '918069123400'
        $calls[0].Destination | Should -Be '9876510004'
        $calls[0].StartedAt | Should -BeOfType ([datetime])
        $calls[0].StartedAt.Kind | Should -Be 'Unspecified'
        $calls[0].Duration | Should -BeOfType ([timespan])
        $calls[3].Duration | Should -BeGreaterThan ([timespan]'00:10:00')
    }

    It 'sends the filters as URL-encoded query parameters' {
        $null = Get-AcefoneLiveCall -AgentNumber '+91 98765&10004' -Extension 1004 -DidNumber 918069123400 -CallId '1714657799.11930961'
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/live_calls')[0].query |
            Should -BeExactly 'agent_number=%2B91%2098765%2610004&extension=1004&did_number=918069123400&call_id=1714657799.11930961'
    }

    It 'returns only what the filter matches' {
        $calls = @(Get-AcefoneLiveCall -AgentNumber 9876510005)
        $calls.Count | Should -Be 1
        $calls[0].CallId | Should -Be $Seeded[1]
    }

    It 'writes nothing, and no error, when nothing is live' {
        $null = Invoke-SimulatorAdmin $Sim 'calls/end' -Method Post -Body @{ callIds = $Seeded }
        $output = Get-AcefoneLiveCall -ErrorVariable failures
        $output | Should -BeNullOrEmpty
        $failures | Should -BeNullOrEmpty
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/live_calls').Count | Should -Be 1
    }

    It 'has a default table view' {
        $text = Get-AcefoneLiveCall | Format-Table | Out-String -Width 200
        # 80 columns: Direction and Did are in Format-List (DefaultViews.Tests.ps1 checks the whole table).
        $text | Should -Match 'CallId\s+State\s+AgentName\s+Customer\s+StartedAt\s+Duration'
        $text | Should -Not -Match 'RowId'
    }
}
