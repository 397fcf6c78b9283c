# Get-AcefoneUser: paging over last_seen_id, streaming, typed agents, -Name and -AgentId, UserNotFound, the table view.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
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
