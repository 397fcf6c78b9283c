# The read side (live calls, users, departments), hangup, completion, and the pipes from the read side into call control.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
    $script:Seeded = '1714657799.11930961', '1714657799.11930962', '1714657799.11930963', '1714657799.11930964', '1714657799.11930965'

    function script:Get-SentBody([string] $Path) { @((Get-AcefoneSimulatorRequest $Sim -Path $Path).body) }
    function script:Complete([string] $InputScript) { (TabExpansion2 -inputScript $InputScript -cursorColumn $InputScript.Length).CompletionMatches }
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

Describe 'Get-AcefoneUser' {
    BeforeEach {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
    }

    It 'follows last_seen_id over three pages and writes every user once' {
        $users = @(Get-AcefoneUser)
        $users.Count | Should -Be 250
        ($users.UserId | Select-Object -Unique).Count | Should -Be 250
        $users[0] | Should -BeOfType ([Acefone.Client.AcefoneUser])
        $queries = @((Get-AcefoneSimulatorRequest $Sim -Path '/v1/users').query)
        $queries | Should -Be @('', 'last_seen_id=314700', 'last_seen_id=314800')
    }

    It 'streams: the first user reaches the next command before the second page is asked for' {
        $script:requestsWhenFirstArrived = $null
        $count = 0
        Get-AcefoneUser | ForEach-Object {
            if ($null -eq $script:requestsWhenFirstArrived) { $script:requestsWhenFirstArrived = @(Get-AcefoneSimulatorRequest $Sim -Path '/v1/users').Count }
            $count++
        }
        $count | Should -Be 250
        $script:requestsWhenFirstArrived | Should -Be 1
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/users').Count | Should -Be 3
    }

    It 'stops asking for pages when the pipeline needs no more' {
        $first = Get-AcefoneUser | Select-Object -First 1
        $first.Name | Should -Be 'Team Lead 1'
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/users').Count | Should -Be 1
    }

    It 'types the agent: id as text with its leading zero, status by name, role and extension' {
        $lead = Get-AcefoneUser -Name 'Team Lead 1'
        $lead.UserId | Should -Be 314601
        $lead.AgentId | Should -BeExactly '0502842370001'
        $lead.AgentId | Should -BeOfType ([string])
        $lead.AgentStatus | Should -Be ([Acefone.Client.AgentStatus]::Available)
        $lead.Role | Should -Be 'Supervisor'
        $lead.Extension | Should -Be '1001'
        $lead.LoginId | Should -Be 'agent1@example.com'
        (Get-AcefoneUser -Name 'Agent 007').AgentStatus | Should -Be 'Busy'
        (Get-AcefoneUser -Name 'Agent 009').AgentStatus | Should -Be 'Offline'
    }

    It 'a user without an agent has no agent id and no agent status' {
        $user = Get-AcefoneUser -Name 'Agent 042'
        $user.UserId | Should -Be 314642
        $user.AgentId | Should -BeNullOrEmpty
        $user.AgentStatus | Should -BeNullOrEmpty
        $user.HasAgent | Should -BeFalse
    }

    It '-Name takes wildcards, case-insensitively, over every page' {
        (Get-AcefoneUser -Name 'team lead*').Name | Should -Be @('Team Lead 1', 'Team Lead 2', 'Team Lead 3')
        @(Get-AcefoneUser -Name 'Agent 2?0').Name | Should -Be @('Agent 200', 'Agent 210', 'Agent 220', 'Agent 230', 'Agent 240', 'Agent 250')
    }

    It '-AgentId finds exact agents and stops paging once all are found' {
        $users = @(Get-AcefoneUser -AgentId '0502842370002', '0502842370003')
        $users.Name | Should -Be @('Team Lead 2', 'Team Lead 3')
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/users').Count | Should -Be 1
    }

    It 'reports a name or agent id that matched nothing as UserNotFound, and still writes the rest' {
        $users = @(Get-AcefoneUser -AgentId '0502842370002', '0999' -ErrorVariable failures -ErrorAction SilentlyContinue)
        $users.Count | Should -Be 1
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'UserNotFound,*'
        $failures[0].Exception.Message | Should -Match "'0999'"
        $null = Get-AcefoneUser -Name 'Nobody', 'Nobody*' -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].TargetObject | Should -Be 'Nobody'
    }

    It 'has a default table view' {
        Get-AcefoneUser -Name 'Team Lead 1' | Format-Table | Out-String -Width 200 | Should -Match 'UserId\s+Name\s+AgentId\s+AgentStatus\s+Ext\s+LoginId'
    }
}

Describe 'Get-AcefoneDepartment' {
    BeforeAll {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
    }

    It 'writes typed departments with their agents' {
        $departments = @(Get-AcefoneDepartment)
        $departments.Name | Should -Be @('Sales', 'Support', 'Billing', 'Escalations')
        $sales = $departments[0]
        $sales | Should -BeOfType ([Acefone.Client.AcefoneDepartment])
        $sales.DepartmentId | Should -BeExactly '12'
        $sales.Intercom | Should -BeExactly '8004'
        $sales.Agents[0] | Should -BeOfType ([Acefone.Client.AcefoneDepartmentAgent])
        $sales.Agents.AgentId | Should -Be @('0502842370001', '0502842370004', '0502842370005', '0502842370006', '0502842370008')
        $sales.Agents.Name | Should -Contain 'Team Lead 1'
    }

    It '-Name takes wildcards and reports a plain name that matched nothing' {
        (Get-AcefoneDepartment -Name 's*').Name | Should -Be @('Sales', 'Support')
        $none = Get-AcefoneDepartment -Name 'Marketing' -ErrorVariable failures -ErrorAction SilentlyContinue
        $none | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'DepartmentNotFound,*'
    }

    It 'has default table views for departments and their agents' {
        Get-AcefoneDepartment Sales | Format-Table | Out-String -Width 300 | Should -Match 'Team Lead 1 \(0502842370001\)'
        (Get-AcefoneDepartment Sales).Agents | Format-Table | Out-String | Should -Match 'AgentId\s+Name\s+UserId'
    }
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
        # An API failure's target is the request in the shape that binds again (call_id, intercom, type), not the live call.
        $failures[0].TargetObject.call_id | Should -Be $Seeded[2]
        $failures[0].ErrorDetails.Message | Should -Match '^Row 3: '
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options').Count | Should -Be 5
    }
}

Describe 'Stop-AcefoneCall' {
    BeforeEach {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
    }

    It 'declares ConfirmImpact High and supports -WhatIf' {
        $attribute = (Get-Command Stop-AcefoneCall).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.ConfirmImpact | Should -Be 'High'
        $attribute.SupportsShouldProcess | Should -BeTrue
        (Get-Command Stop-AcefoneCall).Parameters['CallId'].Aliases | Should -Contain 'call_id'
    }

    It '-WhatIf -Force sends nothing' {
        $output = Stop-AcefoneCall -CallId $Seeded[0] -WhatIf -Force
        $output | Should -BeNullOrEmpty
        (Get-AcefoneSimulatorRequest $Sim).Count | Should -Be 0
        (Get-AcefoneLiveCall).CallId | Should -Contain $Seeded[0]
    }

    It '$WhatIfPreference also wins over -Force' {
        $WhatIfPreference = $true
        try { $null = Stop-AcefoneCall -CallId $Seeded[0] -Force 6>&1 }
        finally { $WhatIfPreference = $false }
        (Get-AcefoneSimulatorRequest $Sim).Count | Should -Be 0
    }

    It '-Force sends exactly one hangup and writes a typed result' {
        $output = Stop-AcefoneCall -CallId $Seeded[0] -Force -Verbose 4>&1
        $result = $output | Where-Object { $_ -is [Acefone.Client.CallHangupResult] }
        ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
            Should -Contain ('Performing the operation "Hang up call ''1714657799.11930961'' (POST ' + $Sim.BaseUri + 'v1/call/hangup {"call_id":"1714657799.11930961"})" on target "call ''1714657799.11930961''" (-Force: not confirmed).')
        $result | Should -BeOfType ([Acefone.Client.CallHangupResult])
        $result.Success | Should -BeTrue
        $result.CallId | Should -Be $Seeded[0]
        Get-SentBody '/v1/call/hangup' | Should -Be @('{"call_id":"1714657799.11930961"}')
        (Get-AcefoneLiveCall).CallId | Should -Not -Contain $Seeded[0]
        $result | Format-Table | Out-String | Should -Match 'CallId\s+Success\s+Status\s+Message'
    }

    It 'takes call_id from CSV rows, writes CallNotActive for an ended call and refuses a duplicate row, going on with the rest' {
        $csv = Join-Path ([IO.Path]::GetTempPath()) "acefone-hangup-$PID.csv"
        @(
            [pscustomobject]@{ call_id = $Seeded[0] }
            [pscustomobject]@{ call_id = '1700000000.1' }
            [pscustomobject]@{ call_id = $Seeded[0] }
            [pscustomobject]@{ call_id = $Seeded[1] }
        ) | Export-Csv $csv -NoTypeInformation
        try { $results = @(Import-Csv $csv | Stop-AcefoneCall -Force -ErrorVariable failures -ErrorAction SilentlyContinue) }
        finally { Remove-Item $csv }
        $results.CallId | Should -Be @($Seeded[0], $Seeded[1])
        $failures.Count | Should -Be 2
        @($failures | Where-Object FullyQualifiedErrorId -like 'CallNotActive,*').Count | Should -Be 1
        @($failures | Where-Object FullyQualifiedErrorId -like 'InvalidInput,*').Count | Should -Be 1
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/hangup').Count | Should -Be 3
        (Get-AcefoneSimulatorStats $Sim).duplicateProcessed | Should -Be 0
    }

    It 'Get-AcefoneLiveCall -AgentNumber | Stop-AcefoneCall -Force hangs up that agent''s call only' {
        $null = Get-AcefoneLiveCall -AgentNumber 9876510006 | Stop-AcefoneCall -Force
        Get-SentBody '/v1/call/hangup' | Should -Be @('{"call_id":"1714657799.11930963"}')
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

Describe 'Tab completion' {
    BeforeEach { Reset-AcefoneSimulator $Sim }
    AfterAll { $null = Connect-ToSimulator $Sim }

    It '-AgentId on <_> completes agent ids, quoted, with the agent''s name in the list and tooltip' -ForEach 'Start-AcefoneMonitor', 'Start-AcefoneWhisper', 'Start-AcefoneBarge', 'Invoke-AcefoneCallOption', 'Get-AcefoneUser' {
        $null = Connect-ToSimulator $Sim
        $matches = @(Complete "$_ -AgentId Team")
        $matches.CompletionText | Should -Be @("'0502842370001'", "'0502842370002'", "'0502842370003'")
        $matches[0].ListItemText | Should -Be '0502842370001 (Team Lead 1, Available)'
        $matches[0].ToolTip | Should -Match 'Team Lead 1, Available'
    }

    It 'completes by the start of the id, available agents first, leaves out users without an agent, and fetches the users once for several completions' {
        $null = Connect-ToSimulator $Sim
        @(Complete 'Start-AcefoneMonitor -AgentId 050284237004').CompletionText | Should -Be @(
            "'0502842370040'", "'0502842370041'", "'0502842370043'", "'0502842370044'", "'0502842370045'",
            "'0502842370046'", "'0502842370048'", "'0502842370047'", "'0502842370049'")
        $requests = (Get-AcefoneSimulatorRequest $Sim -Path '/v1/users').Count
        $requests | Should -Be 3
        $null = Complete 'Start-AcefoneBarge -AgentId Agent'
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/users').Count | Should -Be $requests
    }

    It 'completes nothing, without an error, when not connected' {
        Disconnect-Acefone
        $Error.Clear()
        @(Complete 'Start-AcefoneMonitor -AgentId ').Count | Should -Be 0
        $Error.Count | Should -Be 0
        (Get-AcefoneSimulatorRequest $Sim).Count | Should -Be 0
    }

    It 'completes nothing, without an error, when the API cannot be reached' {
        $gone = Start-AcefoneSimulator
        $null = Connect-Acefone -BaseUri $gone.BaseUri -AccessToken $gone.ConsoleToken
        Stop-AcefoneSimulator $gone
        $Error.Clear()
        @(Complete 'Start-AcefoneMonitor -AgentId ').Count | Should -Be 0
        $Error.Count | Should -Be 0
    }

    It 'completes -Region on Connect-Acefone with the regions' {
        @(Complete 'Connect-Acefone -Region ').CompletionText | Sort-Object | Should -Be @('India', 'Servetel', 'Smartflo', 'UK', 'UKLegacy')
        @(Complete 'Connect-Acefone -Region uk').CompletionText | Should -Be @('UK', 'UKLegacy')
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
