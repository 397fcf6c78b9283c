# Sparse input (issue 11): at -ThrottleLimit 1 a row's result or error is written before the cmdlet goes back to wait
# for the next row, so a slow or rare producer (a prompt, a live-call watcher) sees each answer at once.
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
