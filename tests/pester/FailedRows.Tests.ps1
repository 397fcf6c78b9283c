# Issue 25, 1: every per-row error's TargetObject is the row the user gave (all its columns, whatever the header style),
# or for one call typed at a prompt an object with the parameter names; exported to CSV and fed back in, it runs the
# row again. A result carries its row as a hidden InputObject, so the rows that succeeded can be written out too.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
    $script:Ended = '1714657799.77777777'

    # Help example 2's second line (the one that writes the errors file), as the help shows it.
    function script:Get-ErrorsExample([string] $Cmdlet) {
        $line = Get-Content (Join-Path $RepoRoot "docs/$Cmdlet.md") | Where-Object { $_ -like 'PS> $failed | ForEach-Object*' } | Select-Object -First 1
        $line | Should -Not -BeNullOrEmpty -Because "$Cmdlet.md example 2 writes the failed rows"
        [scriptblock]::Create($line.Substring(4))
    }
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'A failed row exports whole and runs again (<Id>,<To> header)' -ForEach @(
    @{ Id = 'CallId'; To = 'Intercom' }
    @{ Id = 'call_id'; To = 'intercom' }
) {
    BeforeAll {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
        $script:Csv = Join-Path $TestDrive "in-$Id.csv"
        # Row 1 the API refuses (the call has ended), row 2 our checks refuse, row 3 goes through; each has the user's own columns.
        @(
            "$Id,$To,note,ticket"
            "$Ended,8004,vip caller,T-1"
            "$($Seeded[1]),80-04,typo,T-2"
            "$($Seeded[2]),8005,plain,T-3"
        ) | Set-Content $Csv
        $script:Done = Import-Csv $Csv | Invoke-AcefoneTransfer -ErrorVariable failed -ErrorAction SilentlyContinue 6>$null
        $script:Failed = $failed
    }

    It 'an API failure and an InvalidInput both have the input row, every column, as TargetObject' {
        @($Failed).Count | Should -Be 2
        $Failed[0].FullyQualifiedErrorId | Should -BeLike 'CallNotActive,*'
        $Failed[1].FullyQualifiedErrorId | Should -BeLike 'InvalidInput,*'
        $Failed[0].TargetObject.$Id | Should -Be $Ended
        $Failed[0].TargetObject.note | Should -Be 'vip caller'
        $Failed[1].TargetObject.$To | Should -Be '80-04'
        $Failed[1].TargetObject.ticket | Should -Be 'T-2'
        @($Failed[0].TargetObject.psobject.Properties.Name) | Should -Be @($Id, $To, 'note', 'ticket')
    }

    It 'the documented recipe (ForEach-Object TargetObject | Export-Csv) keeps every value, and the file runs again' {
        $retry = Join-Path $TestDrive "failed-$Id.csv"
        $Failed | ForEach-Object TargetObject | Export-Csv $retry -NoTypeInformation
        $back = @(Import-Csv $retry)
        $back[0].$Id | Should -Be $Ended
        $back[0].ticket | Should -Be 'T-1'
        $back[1].$Id | Should -Be $Seeded[1]
        $back[1].$To | Should -Be '80-04'

        # The call is live again and the typo fixed: the re-fed file sends exactly those two rows.
        $null = Add-AcefoneSimulatorCall $Sim -CallId $Ended
        $back[1].$To = '8004'
        $again = $back | Invoke-AcefoneTransfer -ErrorVariable againFailed -ErrorAction SilentlyContinue 6>$null
        @($again) | Should -HaveCount 2
        @($again).CallId | Should -Be @($Ended, $Seeded[1])
        $againFailed | Should -BeNullOrEmpty -Because 'no row fails the second time'
    }

    It 'a result carries its input row as InputObject, hidden from its views and from its CSV' {
        @($Done) | Should -HaveCount 1
        $Done.InputObject.ticket | Should -Be 'T-3'
        $Done.InputObject.$Id | Should -Be $Seeded[2]
        ($Done | ConvertTo-Csv -NoTypeInformation)[0] | Should -Not -Match 'InputObject'
        ($Done | Format-List * | Out-String) | Should -Not -Match 'InputObject'
        ($Done | Format-Table | Out-String) | Should -Not -Match 'ticket|T-3'
        # The rows that succeeded, with the user's own columns, join back to the input file.
        $doneRows = Join-Path $TestDrive "done-rows-$Id.csv"
        $Done | ForEach-Object InputObject | Export-Csv $doneRows -NoTypeInformation
        (Get-Content $doneRows)[1] | Should -Be ((((Get-Content $Csv)[3] -split ',') | ForEach-Object { "`"$_`"" }) -join ',')
    }

    It 'help example 2 of <_> writes each failed row''s call id, whatever the header' -ForEach 'Invoke-AcefoneTransfer', 'Stop-AcefoneCall' {
        $failed = $Failed
        Push-Location $TestDrive
        try {
            $null = . (Get-ErrorsExample $_)
            $file = Get-ChildItem $TestDrive -Filter '*-errors.csv' | Sort-Object LastWriteTime | Select-Object -Last 1
            $errors = @(Import-Csv $file.FullName)
            $errors | Should -HaveCount 2
            $errors[0].$Id | Should -Be $Ended
            $errors[0].Error | Should -Be 'CallNotActive'
            $errors[1].ticket | Should -Be 'T-2'
            $errors[1].Message | Should -Match '^Row 2: '
        }
        finally { Pop-Location }
    }
}

Describe 'One call typed at a prompt' {
    BeforeAll {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
    }

    It 'an API failure''s TargetObject is an object with the parameter names, and pipes back in' {
        Invoke-AcefoneTransfer -CallId $Ended -Intercom 9876543210, 8004 -ErrorVariable failed -ErrorAction SilentlyContinue
        $target = $failed[0].TargetObject
        @($target.psobject.Properties.Name) | Should -Be @('CallId', 'Intercom')
        $target.CallId | Should -Be $Ended
        $target.Intercom | Should -Be '9876543210,8004'
        $null = Add-AcefoneSimulatorCall $Sim -CallId $Ended
        $result = $target | Invoke-AcefoneTransfer
        $result.Intercom | Should -Be '9876543210,8004'
        $result.InputObject | Should -Be $target
    }

    It 'a refused value''s TargetObject is that object too, not the bare value' {
        Start-AcefoneMonitor -CallId $Seeded[0] -AgentId 'abc' -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'InvalidInput,*'
        $failed[0].TargetObject.CallId | Should -Be $Seeded[0]
        $failed[0].TargetObject.AgentId | Should -Be 'abc'
        $failed[0].ErrorDetails.Message | Should -Not -Match '^Row ' -Because 'one call at a prompt has no rows'
    }
}
