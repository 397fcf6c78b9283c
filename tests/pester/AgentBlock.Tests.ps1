# Block-AcefoneAgent and Unblock-AcefoneAgent: ConfirmImpact, -WhatIf, binding from Get-AcefoneUser and CSV, idempotent resends, Get-AcefoneUser -Status.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'Block-AcefoneAgent and Unblock-AcefoneAgent' {
    BeforeEach {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
    }

    It 'blocking asks by default at a prompt (ConfirmImpact High); unblocking does not' {
        $block = (Get-Command Block-AcefoneAgent).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $block.ConfirmImpact | Should -Be 'High'
        $block.SupportsShouldProcess | Should -BeTrue
        $unblock = (Get-Command Unblock-AcefoneAgent).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $unblock.ConfirmImpact | Should -Be 'Medium'
        (Get-Command Block-AcefoneAgent).Parameters['AgentId'].Aliases | Should -Contain 'agent_id'
    }

    It '-WhatIf sends nothing and names the agent and the route' {
        $text = Get-HostOutput { Block-AcefoneAgent -AgentId 0502842370005 -AgentName 'Agent 005' -WhatIf }
        $text | Should -Match ([regex]::Escape("agent '0502842370005' (Agent 005)"))
        $text | Should -Match ([regex]::Escape('v1/agent/0502842370005/block'))
        (Get-AcefoneSimulatorRequest $Sim).Count | Should -Be 0
    }

    It 'blocks by property name from Get-AcefoneUser with -Confirm:$false, and "unblock everyone blocked" is one pipeline' {
        $results = @(Get-AcefoneUser -Name 'Agent 01*' | Block-AcefoneAgent -Confirm:$false -ThrottleLimit 4 6>$null)
        $results.Count | Should -Be 10
        $results | ForEach-Object { $_ | Should -BeOfType ([Acefone.Client.AgentStateResult]) }
        $results[0].AgentName | Should -Be 'Agent 010'
        $results[0].Change | Should -Be 'Block'
        @(Get-AcefoneUser -Status Blocked).Count | Should -Be 10
        $back = @(Get-AcefoneUser -Status Blocked | Unblock-AcefoneAgent 6>$null)
        $back.Count | Should -Be 10
        $back[0].Success | Should -BeTrue
        @(Get-AcefoneUser -Status Blocked) | Should -BeNullOrEmpty
        $results | Format-Table | Out-String -Width 80 | Should -Match 'Change\s+AgentId\s+AgentName\s+Success\s+Message'
    }

    It 'blocking twice is harmless, and a CSV with bad and unknown ids errs on those rows only' {
        $rows = @(
            [pscustomobject]@{ agent_id = '0502842370011' }
            [pscustomobject]@{ agent_id = '05028X' }
            [pscustomobject]@{ agent_id = '0502842370011' }
            [pscustomobject]@{ agent_id = '0999999999999' }
            [pscustomobject]@{ agent_id = '' }
        )
        $results = @($rows | Block-AcefoneAgent -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue 6>$null)
        $results.AgentId | Should -Be @('0502842370011', '0502842370011')
        $failures.Count | Should -Be 3
        $failures[0].ErrorDetails.Message | Should -Match "^Row 2: agent_id '05028X' is not valid"
        $failures[1].FullyQualifiedErrorId | Should -BeLike 'InvalidRequest,*'
        $failures[1].Exception.Message | Should -Match 'Invalid agent id'
        $failures[2].ErrorDetails.Message | Should -Match "^Row 5: agent_id '' is required"
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/agent/0502842370011/block').Count | Should -Be 2
    }

    It 'is resent after a dropped answer, unlike a call action (idempotent)' {
        $null = Set-AcefoneSimulatorConfig $Sim @{ dropAfterProcessingEveryNth = 2 }
        $null = Block-AcefoneAgent -AgentId 0502842370013 -Confirm:$false
        # The second request to a dropping route is processed and its answer dropped: it is sent again and succeeds.
        $result = Block-AcefoneAgent -AgentId 0502842370012 -Confirm:$false
        $result.Success | Should -BeTrue
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/agent/0502842370012/block').Count | Should -Be 2
        (Get-AcefoneUser -AgentId 0502842370012).AgentStatus | Should -Be 'Blocked'
    }
}
