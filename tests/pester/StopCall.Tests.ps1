# Stop-AcefoneCall: ConfirmImpact High, -WhatIf over -Force, one hangup per row, CSV rows, the pipe from Get-AcefoneLiveCall.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
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
