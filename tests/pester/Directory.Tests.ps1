# The read side as a whole: its pipes into call control, a 403 on any read route, and the read-side module surface.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'Pipes from the read side into call control' {
    BeforeEach {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
    }

    It 'Get-AcefoneLiveCall -AgentNumber | Invoke-AcefoneTransfer -Intercom: the call id binds, the dialled number does not' {
        $result = Get-AcefoneLiveCall -AgentNumber 9876510004 | Invoke-AcefoneTransfer -Intercom 8004
        $result.CallId | Should -Be $Seeded[0]
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/live_calls')[0].query | Should -BeExactly 'agent_number=9876510004'
        Get-SentBody '/v1/call/options' | Should -Be @('{"type":4,"call_id":"1714657799.11930961","intercom":"8004"}')
    }

    It 'a live call never supplies -Intercom: without it, the transfer fails at binding and sends nothing' {
        { Get-AcefoneLiveCall -CallId $Seeded[0] | Invoke-AcefoneTransfer -ErrorAction Stop } | Should -Throw -ErrorId 'InputObjectMissingMandatory*'
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options').Count | Should -Be 0
        (Get-Command Invoke-AcefoneTransfer).Parameters['Intercom'].Aliases | Should -Be @('TransferTo', 'transfer_to')
    }

    It 'Get-AcefoneLiveCall | Where-Object Duration -gt 10 minutes | Start-AcefoneMonitor -AgentId acts on the long call only' {
        $me = '0502842370001'
        $results = @(Get-AcefoneLiveCall | Where-Object Duration -gt '00:10:00' | Start-AcefoneMonitor -AgentId $me)
        $results.CallId | Should -Be @($Seeded[3])
        Get-SentBody '/v1/call/options' | Should -Be @('{"type":1,"call_id":"1714657799.11930964","agent_id":"0502842370001"}')
    }

    It 'a live call into Invoke-AcefoneCallOption sends no destination for a monitor' {
        $null = Get-AcefoneLiveCall -CallId $Seeded[2] | Invoke-AcefoneCallOption -Type Monitor -AgentId '0502842370002'
        Get-SentBody '/v1/call/options' | Should -Be @('{"type":1,"call_id":"1714657799.11930963","agent_id":"0502842370002"}')
    }

    It 'Get-AcefoneUser -Name ''Team Lead*'' supplies -AgentId by property name' {
        $results = @(Get-AcefoneUser -Name 'Team Lead*' | Start-AcefoneWhisper -CallId $Seeded[0])
        $results.AgentId | Should -Be @('0502842370001', '0502842370002', '0502842370003')
        Get-SentBody '/v1/call/options' | Should -Be @(
            '{"type":2,"call_id":"1714657799.11930961","agent_id":"0502842370001"}'
            '{"type":2,"call_id":"1714657799.11930961","agent_id":"0502842370002"}'
            '{"type":2,"call_id":"1714657799.11930961","agent_id":"0502842370003"}')
    }

    It 'a user without an agent becomes one InvalidInput error naming agent_id; the other rows go through' {
        $results = @(Get-AcefoneUser -Name 'Agent 041', 'Agent 042', 'Agent 043' | Start-AcefoneMonitor -CallId $Seeded[0] -ErrorVariable failures -ErrorAction SilentlyContinue)
        $results.AgentId | Should -Be @('0502842370041', '0502842370043')
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidInput,*'
        $failures[0].ErrorDetails.Message | Should -Match '^Row 2: agent_id'
        $failures[0].TargetObject.Name | Should -Be 'Agent 042'
    }

    It 'a department into Invoke-AcefoneTransfer -CallId transfers to its intercom; its agents supply -AgentId' {
        $null = Get-AcefoneDepartment Sales | Invoke-AcefoneTransfer -CallId $Seeded[0]
        $null = (Get-AcefoneDepartment Escalations).Agents | Select-Object -First 1 | Start-AcefoneBarge -CallId $Seeded[1]
        Get-SentBody '/v1/call/options' | Should -Be @(
            '{"type":4,"call_id":"1714657799.11930961","intercom":"8004"}'
            '{"type":3,"call_id":"1714657799.11930962","agent_id":"0502842370001"}')
    }

    It 'a call that ends between listing and transfer fails with CallNotActive; the other rows still go through' {
        $null = Invoke-SimulatorAdmin $Sim 'calls/end-after-listing' -Method Post -Body @{ callIds = @($Seeded[2]) }
        $results = @(Get-AcefoneLiveCall | Invoke-AcefoneTransfer -Intercom 8004 -ErrorVariable failures -ErrorAction SilentlyContinue)
        $results.CallId | Should -Be @($Seeded[0], $Seeded[1], $Seeded[3], $Seeded[4])
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'CallNotActive,*'
        # An API failure's target is the live call that came down the pipeline (it binds again by its CallId).
        $failures[0].TargetObject | Should -BeOfType ([Acefone.Client.AcefoneLiveCall])
        $failures[0].TargetObject.CallId | Should -Be $Seeded[2]
        $failures[0].ErrorDetails.Message | Should -Match '^Row 3: '
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options').Count | Should -Be 5
    }
}

Describe 'A 403 on a read route' {
    BeforeAll { Reset-AcefoneSimulator $Sim }
    AfterAll { $null = Connect-ToSimulator $Sim }

    It '<_> says the route may not exist for the account''s region' -ForEach 'Get-AcefoneLiveCall', 'Get-AcefoneUser', 'Get-AcefoneDepartment' {
        # A base URI with a wrong path: the simulator's gateway answers 403 for every route under it, as the API does for an unknown route.
        $null = Connect-Acefone -BaseUri ([Uri]::new($Sim.BaseUri, 'elsewhere/')) -AccessToken $Sim.ConsoleToken
        $output = & $_ -ErrorVariable failures -ErrorAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'Forbidden,*'
        $failures[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $failures[0].ErrorDetails.Message | Should -Match 'route may not exist for this account''s region'
        $failures[0].ErrorDetails.Message | Should -Match '-Region'
        $failures[0].Exception.StatusCode | Should -Be 403
    }
}

Describe 'Module surface' {
    It 'exports <Name> with an OutputType' -ForEach @(
        @{ Name = 'Get-AcefoneLiveCall'; Type = 'Acefone.Client.AcefoneLiveCall' }
        @{ Name = 'Get-AcefoneUser'; Type = 'Acefone.Client.AcefoneUser' }
        @{ Name = 'Get-AcefoneDepartment'; Type = 'Acefone.Client.AcefoneDepartment' }
        @{ Name = 'Stop-AcefoneCall'; Type = 'Acefone.Client.CallHangupResult' }
    ) {
        (Get-Module Acefone).ExportedCmdlets.Keys | Should -Contain $Name
        (Get-Command $Name).OutputType.Type.FullName | Should -Be $Type
    }

    It 'no read-side object has a property that would bind to a call operation''s -Intercom, -Type or (for live calls) -AgentId' {
        $liveCall = [Acefone.Client.AcefoneLiveCall].GetProperties().Name
        $user = [Acefone.Client.AcefoneUser].GetProperties().Name
        foreach ($name in 'Intercom', 'TransferTo', 'transfer_to', 'Type', 'Operation', 'AgentId', 'agent_id') { $liveCall | Should -Not -Contain $name }
        foreach ($name in 'Intercom', 'TransferTo', 'transfer_to', 'Type', 'Operation', 'CallId', 'call_id') { $user | Should -Not -Contain $name }
    }
}
