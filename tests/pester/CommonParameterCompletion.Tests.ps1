# Tab completion of a call operation's parameters must list the common parameters too: on PowerShell 7 a single
# DontShow parameter hides all of them. A piped row our checks refuse must still be its error's TargetObject.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator

    function script:Get-ParameterCompletion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
    }
}

AfterAll {
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'Completion of call-operation parameters' {
    It '<_> -<Tab> lists its own parameters and the common parameters' -ForEach @(
        'Start-AcefoneMonitor', 'Start-AcefoneWhisper', 'Start-AcefoneBarge', 'Invoke-AcefoneTransfer', 'Invoke-AcefoneCallOption', 'Stop-AcefoneCall'
    ) {
        $names = Get-ParameterCompletion "$_ -"
        foreach ($expected in '-CallId', '-ThrottleLimit', '-Session', '-WhatIf', '-Confirm',
            '-ErrorAction', '-ErrorVariable', '-InformationAction', '-InformationVariable', '-Verbose', '-WarningAction', '-OutVariable') {
            $names | Should -Contain $expected
        }
    }

    It 'no call-operation parameter is DontShow (one would hide the common parameters again)' {
        foreach ($name in 'Start-AcefoneMonitor', 'Start-AcefoneWhisper', 'Start-AcefoneBarge', 'Invoke-AcefoneTransfer', 'Invoke-AcefoneCallOption', 'Stop-AcefoneCall') {
            $hidden = foreach ($parameter in (Get-Command $name).Parameters.Values) {
                if (@($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }).Count) { $parameter.Name }
            }
            @($hidden) | Should -BeNullOrEmpty -Because $name
        }
    }

    It 'a piped row our checks refuse is still the TargetObject of its error' {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
        $row = [pscustomobject]@{ call_id = '1714657799.99999999'; intercom = '80-04'; note = 'typo' }
        $row | Invoke-AcefoneTransfer -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidInput,*'
        $failures[0].TargetObject | Should -Be $row
        $failures[0].TargetObject.note | Should -Be 'typo'
    }
}
