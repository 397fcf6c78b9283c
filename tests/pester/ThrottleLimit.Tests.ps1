# -ThrottleLimit: results and errors leave in input order however many requests overlap, and at -ThrottleLimit 1
# (sparse input, issue 11) each row's result or error is written before the cmdlet goes back to wait for the next
# row, so a slow or rare producer (a prompt, a live-call watcher) sees each answer at once.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
    $null = Connect-ToSimulator $Sim
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'Sparse input at -ThrottleLimit 1' {
    # Latency, so no answer can arrive by chance before the cmdlet would otherwise have returned.
    BeforeAll { $null = Set-AcefoneSimulatorConfig $Sim @{ latencyMs = 50 } }
    AfterAll { $null = Set-AcefoneSimulatorConfig $Sim @{ latencyMs = 0 } }

    It 'each row''s result is written before the next row is asked for' {
        $ids = Add-AcefoneSimulatorCall $Sim -Generate 4 -Prefix '1920000000.'
        $log = [System.Collections.Generic.List[string]]::new()
        & {
            foreach ($id in $ids) {
                $log.Add("in $id")
                [pscustomobject]@{ call_id = $id; intercom = '8004' }
                $log.Add("back $id")
            }
        } | Invoke-AcefoneTransfer -ThrottleLimit 1 | ForEach-Object { $log.Add("out $($_.CallId)") }
        $expected = foreach ($id in $ids) { "in $id"; "out $id"; "back $id" }
        ($log -join '; ') | Should -Be ($expected -join '; ')
    }

    It 'a row''s error is written at once too' {
        $ended = Add-AcefoneSimulatorCall $Sim -Generate 2 -Prefix '1921000000.'
        $null = Invoke-SimulatorAdmin $Sim 'calls/end' -Method Post -Body @{ callIds = @($ended) }
        $log = [System.Collections.Generic.List[string]]::new()
        & {
            foreach ($id in $ended) {
                [pscustomobject]@{ call_id = $id; intercom = '8004' }
                $log.Add("back $id")
            }
        } | Invoke-AcefoneTransfer -ThrottleLimit 1 -ErrorAction Continue 2>&1 | ForEach-Object { $log.Add("error $($_.TargetObject.call_id)") }
        ($log -join '; ') | Should -Be ("error $($ended[0]); back $($ended[0]); error $($ended[1]); back $($ended[1])")
    }
}

Describe 'Input order at -ThrottleLimit 8' {
    BeforeEach {
        Disconnect-Acefone -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        Reset-AcefoneSimulator $Sim
    }

    It 'added latency: -ThrottleLimit 8 writes results in input order' {
        $null = Set-AcefoneSimulatorConfig $Sim @{ latencyMs = 15 }
        $null = Connect-ToSimulator $Sim
        $rows = @(New-Rows 200 '1810000000.')
        $run = Invoke-Bulk $rows @{ ThrottleLimit = 8 }
        Assert-NothingLostOrDoubled $run 200
        $run.Results.Count | Should -Be 200
        ($run.Results.CallId -join ',') | Should -BeExactly ($rows.call_id -join ',')
        (Get-AcefoneSimulatorStats $Sim).maxConcurrentRequests | Should -BeGreaterThan 1
    }

    It 'with -ThrottleLimit 8, errors and results leave in input order, refused rows included' {
        $null = Set-AcefoneSimulatorConfig $Sim @{ latencyMs = 30 }
        $null = Connect-ToSimulator $Sim
        $rows = @(New-Rows 40 '1811000000.')
        for ($i = 5; $i -lt 40; $i += 7) { $rows[$i].intercom = 'not-a-number' }   # refused before sending
        $rows[12].call_id = '1700000000.12'                                          # ended: the API refuses it
        $order = $rows | Invoke-AcefoneTransfer -ThrottleLimit 8 -ErrorAction Continue 2>&1 |
            Where-Object { $_ -is [Acefone.Client.CallOptionResult] -or $_ -is [System.Management.Automation.ErrorRecord] } |
            ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.TargetObject.call_id } else { $_.CallId } }
        ($order -join ',') | Should -BeExactly ($rows.call_id -join ',')
    }
}
