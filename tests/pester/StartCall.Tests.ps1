# Start-AcefoneCall: the click-to-call body, cleaned numbers, bad rows, the call operations' journal and resend rules, -Wait.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
    # Seeded user 1: agent id 0502842370001, follow-me number 9876510001, extension 1001, available. User 7 is busy.
    $script:Agent = '0502842370001'
    $script:Supervisor = '0502842370002'
    function script:Set-SupervisorKnobs([hashtable] $Knobs) { $null = Invoke-SimulatorAdmin $Sim 'supervisor' -Method Post -Body $Knobs }
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'Start-AcefoneCall' {
    BeforeEach {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
    }

    It 'has the parameters and snake_case aliases a callback CSV binds' {
        $parameters = (Get-Command Start-AcefoneCall).Parameters
        $parameters['AgentNumber'].Aliases | Should -Contain 'agent_number'
        $parameters['DestinationNumber'].Aliases | Should -Contain 'destination_number'
        $parameters['CallerId'].Aliases | Should -Contain 'caller_id'
        $parameters['CallTimeout'].Aliases | Should -Contain 'call_timeout'
        $parameters['CustomIdentifier'].Aliases | Should -Contain 'custom_identifier'
        $parameters.Keys | Should -Contain 'JournalPath'
        $parameters.Keys | Should -Contain 'ThrottleLimit'
    }

    It '-AgentNumber completes agent ids as the call operations do' {
        @(Complete 'Start-AcefoneCall -AgentNumber Team').CompletionText | Should -Be @("'0502842370001'", "'0502842370002'", "'0502842370003'")
    }

    It 'sends bare digits with async 1, says what cleaning changed, and writes a typed result without a call id' {
        $output = Start-AcefoneCall -AgentNumber $Agent -DestinationNumber '+91 98765-43210' -CustomIdentifier 'T-1' -CallTimeout 30 -Verbose 4>&1
        $result = $output | Where-Object { $_ -is [Acefone.Client.ClickToCallResult] }
        Get-SentBody '/v1/click_to_call' | Should -Be @('{"agent_number":"0502842370001","destination_number":"919876543210","async":1,"call_timeout":30,"custom_identifier":"T-1"}')
        ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
            Should -Contain "destination_number '+91 98765-43210' sent as '919876543210' (removed the leading + and separators)."
        $result.Success | Should -BeTrue
        $result.DestinationNumber | Should -Be '919876543210'
        $result.RefId | Should -Not -BeNullOrEmpty
        $result.PSObject.Properties.Name | Should -Not -Contain 'CallId'
        $result | Format-Table | Out-String -Width 80 | Should -Match 'AgentNumber\s+Destination\s+CustomIdentifier\s+Success\s+Message'
    }

    It '-WhatIf shows the exact body and sends nothing' {
        $text = Get-HostOutput { Start-AcefoneCall $Agent '9876543210' -WhatIf }
        $text | Should -Match ([regex]::Escape('{"agent_number":"0502842370001","destination_number":"9876543210","async":1}'))
        (Get-AcefoneSimulatorRequest $Sim).Count | Should -Be 0
    }

    It 'a callback CSV: bad rows name row, field and value, a duplicate is refused, a busy agent is Rejected, the rest are placed' {
        $rows = @(
            [pscustomobject]@{ agent_number = $Agent; destination_number = '919812300001'; call_timeout = '' }
            [pscustomobject]@{ agent_number = $Agent; destination_number = '98123X0002'; call_timeout = '' }
            [pscustomobject]@{ agent_number = ''; destination_number = '919812300003'; call_timeout = '' }
            [pscustomobject]@{ agent_number = $Agent; destination_number = '12345'; call_timeout = '' }
            [pscustomobject]@{ agent_number = $Agent; destination_number = '919812300005'; call_timeout = 'soon' }
            [pscustomobject]@{ agent_number = $Agent; destination_number = '+919812300001'; call_timeout = '' }
            [pscustomobject]@{ agent_number = '0502842370007'; destination_number = '919812300007'; call_timeout = '' }
            [pscustomobject]@{ agent_number = $Agent; destination_number = '919812300008'; call_timeout = '' }
        )
        $results = @($rows | Start-AcefoneCall -ThrottleLimit 4 -ErrorVariable failures -ErrorAction SilentlyContinue 6>$null)
        $results.DestinationNumber | Should -Be @('919812300001', '919812300008')
        $messages = @($failures | ForEach-Object { if ($_.ErrorDetails) { $_.ErrorDetails.Message } else { $_.Exception.Message } })
        $messages[0] | Should -Match "^Row 2: destination_number '98123X0002' is not a number"
        $messages[1] | Should -Match "^Row 3: agent_number '' is required"
        $messages[2] | Should -Match "^Row 4: destination_number '12345' has 5 digits"
        $messages[3] | Should -Match "^Row 5: call_timeout 'soon' is not a whole number"
        $messages[4] | Should -Match "^Row 6: destination_number '919812300001' repeats row 1"
        $failures[5].FullyQualifiedErrorId | Should -BeLike 'Rejected,*'
        $messages[5] | Should -Match 'Agent is not available'
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/click_to_call').Count | Should -Be 3
    }

    It 'follows the call operations'' rules: a dropped answer is OutcomeUnknown, never resent, and a re-run with the journal skips every placed row' {
        $journal = Join-Path ([IO.Path]::GetTempPath()) "acefone-c2c-$PID-$([guid]::NewGuid().ToString('n')).jsonl"
        $rows = 1..4 | ForEach-Object { [pscustomobject]@{ agent_number = $Agent; destination_number = "91981230010$_" } }
        try {
            $null = Set-AcefoneSimulatorConfig $Sim @{ dropAfterProcessingEveryNth = 2 }
            $first = @($rows | Start-AcefoneCall -JournalPath $journal -ErrorVariable failures -ErrorAction SilentlyContinue 6>$null)
            $first.Count | Should -Be 2
            @($failures | Where-Object FullyQualifiedErrorId -like 'OutcomeUnknown,*').Count | Should -Be 2
            (Get-AcefoneSimulatorStats $Sim).duplicateProcessed | Should -Be 0
            (Get-AcefoneSimulatorRequest $Sim -Path '/v1/click_to_call').Count | Should -Be 4
            $null = Set-AcefoneSimulatorConfig $Sim @{ dropAfterProcessingEveryNth = $null }
            $second = @($rows | Start-AcefoneCall -JournalPath $journal -ErrorVariable again -ErrorAction SilentlyContinue -WarningAction SilentlyContinue 6>$null)
            $again | Should -BeNullOrEmpty
            $second.Count | Should -Be 4
            @($second | Where-Object Status -eq 'AlreadySent').Count | Should -Be 4
            @($second | Where-Object EarlierOutcome -eq 'OutcomeUnknown').Count | Should -Be 2
            (Get-AcefoneSimulatorRequest $Sim -Path '/v1/click_to_call').Count | Should -Be 4
            (Get-Content $journal | ConvertFrom-Json | Where-Object operation | Select-Object -First 1).operation | Should -Be 'ClickToCall'
        }
        finally { Remove-Item $journal, "$journal.lock" -ErrorAction SilentlyContinue }
    }

    It '-Wait finds the call by agent, destination and start time and pipes into Start-AcefoneMonitor' {
        $call = Start-AcefoneCall -AgentNumber $Agent -DestinationNumber 919812399999 -Wait -WaitInterval 0.5
        $call | Should -BeOfType ([Acefone.Client.AcefoneLiveCall])
        $call.Destination | Should -Be '919812399999'
        $result = Start-AcefoneCall -AgentNumber $Agent -DestinationNumber 919812399998 -Wait -WaitInterval 0.5 | Start-AcefoneMonitor -AgentId $Supervisor
        $result.Operation | Should -Be 'Monitor'
        $result.CallId | Should -BeLike 'C2C-*'
        Get-SentBody '/v1/call/options' | Should -Be @("{`"type`":1,`"call_id`":`"$($result.CallId)`",`"agent_id`":`"$Supervisor`"}")
    }

    It '-Wait matches by the custom identifier when the live records carry it' {
        Set-SupervisorKnobs @{ liveCallsCarryCustomIdentifier = $true }
        $call = Start-AcefoneCall -AgentNumber $Agent -DestinationNumber 919812399997 -CustomIdentifier 'lead-42' -Wait -WaitInterval 0.5 -Verbose 4>$null
        $call.CustomIdentifier | Should -Be 'lead-42'
    }

    It '-Wait never guesses: two calls that fit are an error naming both' {
        $soon = [DateTimeOffset]::UtcNow.AddSeconds(3).ToString('o')
        $null = Invoke-SimulatorAdmin $Sim 'calls' -Method Post -Body @{ calls = @(@{ call_id = 'OTHER-1'; agent_number = '9876510001'; destination = '919812399996'; customer_number = '919812399996'; direction = '2'; created_at = $soon }) }
        $out = Start-AcefoneCall -AgentNumber $Agent -DestinationNumber 919812399996 -Wait -WaitInterval 0.5 -ErrorVariable failures -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'PlacedCallAmbiguous,*'
        $failures[0].Exception.Message | Should -Match "'OTHER-1'"
        $failures[0].Exception.Message | Should -Match "'C2C-[^']+'"
    }

    It '-Wait says the call was placed but not found when it never shows up' {
        Set-SupervisorKnobs @{ placeCalls = $false }
        $out = Start-AcefoneCall -AgentNumber $Agent -DestinationNumber 919812399995 -Wait -WaitTimeout 2 -WaitInterval 0.5 -ErrorVariable failures -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'PlacedCallNotFound,*'
        $failures[0].Exception.Message | Should -Match 'was placed .* but was not found among the live calls within 2 s'
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/click_to_call').Count | Should -Be 1
    }
}
