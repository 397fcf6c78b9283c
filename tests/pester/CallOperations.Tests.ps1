# The five call operations (Start-AcefoneMonitor, Start-AcefoneWhisper, Start-AcefoneBarge, Invoke-AcefoneTransfer,
# Invoke-AcefoneCallOption): what each sends, their parameter sets, a bulk CSV run, and -WhatIf.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'Call operations against the simulator' {
    BeforeEach {
        Reset-AcefoneSimulator $Sim
        $script:Session = Connect-ToSimulator $Sim
        $script:Live = Add-AcefoneSimulatorCall $Sim -Generate 20 -Prefix '1714657799.'
    }

    It '<Command> sends type <Type> with the agent id as a JSON string, leading zero intact' -ForEach @(
        @{ Command = 'Start-AcefoneMonitor'; Type = 1; Operation = 'Monitor' }
        @{ Command = 'Start-AcefoneWhisper'; Type = 2; Operation = 'Whisper' }
        @{ Command = 'Start-AcefoneBarge'; Type = 3; Operation = 'Barge' }
    ) {
        $result = & $Command -CallId $Live[0] -AgentId '0502842370001'
        $result | Should -BeOfType ([Acefone.Client.CallOptionResult])
        $result.Operation | Should -Be $Operation
        $result.CallId | Should -Be $Live[0]
        $result.AgentId | Should -Be '0502842370001'
        $result.Intercom | Should -BeNullOrEmpty
        $result.Success | Should -BeTrue
        $result.StatusCode | Should -Be 200
        $result.Timestamp.Kind | Should -Be 'Utc'
        $request = Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options'
        $request.Count | Should -Be 1
        $request[0].body | Should -BeExactly ('{"type":' + $Type + ',"call_id":"' + $Live[0] + '","agent_id":"0502842370001"}')
    }

    It 'Invoke-AcefoneTransfer sends one destination as a JSON string' {
        $result = Invoke-AcefoneTransfer -CallId $Live[0] -Intercom '80XX4'.Replace('XX', '04')
        $result.Operation | Should -Be 'Transfer'
        $result.Intercom | Should -Be '80044'
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options')[0].body | Should -BeExactly ('{"type":4,"call_id":"' + $Live[0] + '","intercom":"80044"}')
    }

    It 'Invoke-AcefoneTransfer sends several destinations as a JSON array and joins them in the result' {
        $result = Invoke-AcefoneTransfer -CallId $Live[1] -Intercom '9876543210', '8004'
        $result.Intercom | Should -Be '9876543210,8004'
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options')[0].body | Should -BeExactly ('{"type":4,"call_id":"' + $Live[1] + '","intercom":["9876543210","8004"]}')
    }

    It 'Invoke-AcefoneCallOption reads the type as a name in any case or as 1-4' -ForEach @(
        @{ Type = 'monitor'; Expected = 'Monitor' }, @{ Type = ' WHISPER '; Expected = 'Whisper' }, @{ Type = '3'; Expected = 'Barge' }, @{ Type = 'Transfer'; Expected = 'Transfer' }
    ) {
        $row = if ($Expected -eq 'Transfer') { @{ Intercom = '8004' } } else { @{ AgentId = '0502842370002' } }
        $result = Invoke-AcefoneCallOption -Type $Type -CallId $Live[2] @row
        $result.Operation | Should -Be $Expected
    }

    It 'writes a Rejected error (HTTP 200, success false) for an agent that is not available' {
        # Agent 7 is busy in the simulator's seed data.
        $result = Start-AcefoneMonitor -CallId $Live[0] -AgentId '0502842370007' -ErrorVariable failures -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'Rejected,*'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $failures[0].Exception.StatusCode | Should -Be 200
        $failures[0].Exception.Operation | Should -Be 'Monitor'
        $failures[0].Exception.CallId | Should -Be $Live[0]
        $failures[0].Exception.ServerMessage | Should -Be 'Agent is not available'
    }

    It 'writes CallNotActive for a call that has ended, and goes on with the next row' {
        $rows = @(
            [pscustomobject]@{ call_id = '1700000000.1'; intercom = '8004' }
            [pscustomobject]@{ call_id = $Live[3]; intercom = '8004' }
        )
        $results = $rows | Invoke-AcefoneTransfer -ErrorVariable failures -ErrorAction SilentlyContinue
        @($results).Count | Should -Be 1
        $results.CallId | Should -Be $Live[3]
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'CallNotActive,*'
        $failures[0].Exception.StatusCode | Should -Be 422
        $failures[0].TargetObject.call_id | Should -Be '1700000000.1'
    }
}

Describe 'Parameter sets' {
    It 'Start-<_> has -CallId and -AgentId mandatory and no -Intercom' -ForEach 'AcefoneMonitor', 'AcefoneWhisper', 'AcefoneBarge' {
        $command = Get-Command "Start-$_"
        $command.Parameters.Keys | Should -Not -Contain 'Intercom'
        $command.Parameters['CallId'].Attributes.Where({ $_ -is [Parameter] }).Mandatory | Should -Contain $true
        $command.Parameters['AgentId'].Attributes.Where({ $_ -is [Parameter] }).Mandatory | Should -Contain $true
    }

    It 'Invoke-AcefoneTransfer has -CallId and -Intercom mandatory and no -AgentId' {
        $command = Get-Command Invoke-AcefoneTransfer
        $command.Parameters.Keys | Should -Not -Contain 'AgentId'
        $command.Parameters['Intercom'].ParameterType | Should -Be ([string[]])
        $command.Parameters['Intercom'].Attributes.Where({ $_ -is [Parameter] }).Mandatory | Should -Contain $true
    }

    It 'binds the API names and common headers (call_id, agent_id, intercom, type) from the pipeline' {
        (Get-Command Invoke-AcefoneCallOption).Parameters['CallId'].Aliases | Should -Contain 'call_id'
        (Get-Command Invoke-AcefoneCallOption).Parameters['AgentId'].Aliases | Should -Contain 'agent_id'
        # 'intercom' and 'type' are the parameters' own names: PowerShell binds them case-insensitively.
        $row = [pscustomobject]@{ type = 'transfer'; call_id = '1714657799.11930961'; intercom = '8004'; agent_id = '' }
        $output = Get-HostOutput { $row | Invoke-AcefoneCallOption -WhatIf }
        $output | Should -Match ([regex]::Escape('{"type":4,"call_id":"1714657799.11930961","intercom":"8004"}'))
    }

    It 'every call operation supports -WhatIf with ConfirmImpact Medium' -ForEach 'Start-AcefoneMonitor', 'Start-AcefoneWhisper', 'Start-AcefoneBarge', 'Invoke-AcefoneTransfer', 'Invoke-AcefoneCallOption' {
        $type = (Get-Command $_).ImplementingType
        $attribute = $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.SupportsShouldProcess | Should -BeTrue
        $attribute.ConfirmImpact | Should -Be 'Medium'
    }

    Context 'binding failures send nothing' {
        BeforeAll {
            Reset-AcefoneSimulator $Sim
            $null = Connect-ToSimulator $Sim
        }

        It 'a monitor row without an agent id fails at binding, before any request' {
            $row = [pscustomobject]@{ call_id = '1714657799.11930961' }
            { $row | Start-AcefoneMonitor -ErrorAction Stop } | Should -Throw -ErrorId 'InputObjectMissingMandatory*'
            (Get-AcefoneSimulatorRequest $Sim).Count | Should -Be 0
        }

        It 'a monitor without -AgentId cannot be invoked at all' {
            { Start-AcefoneMonitor -CallId '1714657799.11930961' -AgentId:$null -ErrorAction Stop } | Should -Throw
            (Get-AcefoneSimulatorRequest $Sim).Count | Should -Be 0
        }
    }
}

Describe 'Bulk CSV run' {
    BeforeAll {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
        $live = Add-AcefoneSimulatorCall $Sim -Generate 280 -Prefix '1800000000.'
        $rows = [System.Collections.Generic.List[object]]::new()
        for ($i = 0; $i -lt 300; $i++) {
            if ($i % 30 -eq 7) { $rows.Add([pscustomobject]@{ call_id = "1900000000.$i"; intercom = '8004' }) }          # ended call
            elseif ($i % 30 -eq 19) { $rows.Add([pscustomobject]@{ call_id = $live[$i % 280]; intercom = '80 04' }) } # bad destination
            else { $rows.Add([pscustomobject]@{ call_id = $live[$i % 280]; intercom = (8000 + $i).ToString() }) }
        }
        $script:CsvPath = Join-Path ([IO.Path]::GetTempPath()) "acefone-bulk-$PID.csv"
        $rows | Export-Csv -Path $CsvPath -NoTypeInformation
        $script:Results = Import-Csv $CsvPath | Invoke-AcefoneTransfer -ErrorVariable failures -ErrorAction SilentlyContinue -InformationVariable info
        $script:Failures = $failures
        $script:Info = $info
    }
    AfterAll { Remove-Item $CsvPath -ErrorAction SilentlyContinue }

    It 'loses no row: results plus errors equal rows in' {
        @($Results).Count + @($Failures).Count | Should -Be 300
    }

    It 'transfers every good row and reports each bad one with the right ErrorId' {
        @($Results).Count | Should -Be 280
        @($Failures | Where-Object FullyQualifiedErrorId -like 'CallNotActive,*').Count | Should -Be 10
        @($Failures | Where-Object FullyQualifiedErrorId -like 'InvalidInput,*').Count | Should -Be 10
    }

    It 'names the row, the field and the value in an InvalidInput error, and sends nothing for it' {
        $bad = $Failures | Where-Object FullyQualifiedErrorId -like 'InvalidInput,*' | Select-Object -First 1
        $bad.ErrorDetails.Message | Should -Match '^Row 20: intercom ''80 04'''
        $bad.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $bad.TargetObject.intercom | Should -Be '80 04'
        $sent = Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options'
        $sent.Count | Should -Be 290
        @($sent | Where-Object body -like '*80 04*').Count | Should -Be 0
    }

    It 'the simulator processed each good row exactly once' {
        $stats = Get-AcefoneSimulatorStats $Sim
        $stats.processed | Should -Be 280
        $stats.duplicateProcessed | Should -Be 0
    }

    It 'writes one summary line on the Information stream' {
        @($Info).Count | Should -Be 1
        $Info[0].MessageData | Should -Match '^Invoke-AcefoneTransfer: 300 rows, 290 requests, 280 succeeded, 20 failed \(CallNotActive 10, InvalidInput 10\)'
        $Info[0].Tags | Should -Contain 'Summary'
    }

    It 'results export to a flat CSV' {
        $csv = $Results | Select-Object -First 2 | ConvertTo-Csv -NoTypeInformation
        # Status and EarlierOutcome: a row the journal skipped (AlreadySent) goes in the same CSV as a sent one.
        $csv[0] | Should -Be '"Operation","CallId","AgentId","Intercom","Success","Message","StatusCode","Status","EarlierOutcome","Timestamp","TimestampIso8601","RequestId"'
    }

    It 'each result carries the request id of the API''s answer (request_id), one per request' {
        $ids = @($Results | ForEach-Object RequestId)
        $ids | ForEach-Object { $_ | Should -Match '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }
        @($ids | Sort-Object -Unique).Count | Should -Be $ids.Count
    }
}

Describe '-WhatIf' {
    BeforeAll {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
    }

    It 'sends nothing and says exactly what would be sent' {
        $rows = 1..5 | ForEach-Object { [pscustomobject]@{ call_id = "1714657799.1193096$_"; intercom = '8004' } }
        $output = Get-HostOutput { $rows | Invoke-AcefoneTransfer -WhatIf }
        $output | Should -Match 'Transfer call ''1714657799\.11930961'' to ''8004'''
        $output | Should -Match ([regex]::Escape('{"type":4,"call_id":"1714657799.11930961","intercom":"8004"}'))
        (Get-AcefoneSimulatorRequest $Sim).Count | Should -Be 0
    }

    It 'sends nothing for the supervisor operations either' {
        $null = Start-AcefoneBarge -CallId '1714657799.11930961' -AgentId '0502842370001' -WhatIf
        $null = Invoke-AcefoneCallOption -Type Monitor -CallId '1714657799.11930961' -AgentId '0502842370001' -WhatIf
        (Get-AcefoneSimulatorRequest $Sim).Count | Should -Be 0
    }

    It '-Verbose shows the exact body, the same bytes that are then sent once' {
        $body = '{"type":1,"call_id":"1714657799.11930961","agent_id":"0502842370001"}'
        $verbose = @(Start-AcefoneMonitor -CallId '1714657799.11930961' -AgentId '0502842370001' -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        @($verbose -match 'Performing the operation').Count | Should -Be 1
        ($verbose -match 'Performing the operation')[0] | Should -Match ([regex]::Escape($body))
        $sent = @(Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options')
        $sent.Count | Should -Be 1
        $sent[0].body | Should -BeExactly $body
    }
}

# Issue 25: Excel turns 0502842370001 into 502842370001, and the row went out without a word.
Describe 'An agent id a spreadsheet changed' {
    BeforeEach {
        Reset-AcefoneSimulator $Sim
        $script:Session = Connect-ToSimulator $Sim
    }

    It 'warns, naming the agent it matches with its leading zero restored, and sends it as given' {
        $null = Start-AcefoneMonitor -CallId $Seeded[0] -AgentId 502842370001 -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        @($warned).Count | Should -Be 1
        "$($warned[0])" | Should -Match "agent_id '502842370001' is no agent of this account, but '0502842370001' \(Team Lead 1\) is: a spreadsheet may have dropped its leading zero"
        Get-SentBody '/v1/call/options' | Should -Be "{`"type`":1,`"call_id`":`"$($Seeded[0])`",`"agent_id`":`"502842370001`"}"
    }

    It 'an id that looks whole is not checked against a list nobody fetched (no request for it)' {
        $null = Start-AcefoneMonitor -CallId $Seeded[0] -AgentId 0502842379999 -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        @($warned).Count | Should -Be 0
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/users').Count | Should -Be 0
    }

    It 'once the agents are known, warns once per run for an id that is no agent at all, and never for a known one' {
        $null = Start-AcefoneMonitor -CallId $Seeded[0] -AgentId 502842370001 -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $rows = @(
            [pscustomobject]@{ CallId = $Seeded[1]; AgentId = '0502842379999' }
            [pscustomobject]@{ CallId = $Seeded[2]; AgentId = '0502842379999' }
            [pscustomobject]@{ CallId = $Seeded[3]; AgentId = '0502842370002' }
        )
        $null = $rows | Start-AcefoneWhisper -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction SilentlyContinue 6>$null
        @($warned).Count | Should -Be 1
        "$($warned[0])" | Should -Match "agent_id '0502842379999' is no agent of this account \(Get-AcefoneUser lists them\)"
    }

    It 'with -WhatIf lists nothing and still warns of the missing zero' {
        Start-AcefoneBarge -CallId $Seeded[0] -AgentId 502842370001 -WhatIf -WarningVariable warned -WarningAction SilentlyContinue 6>$null
        "$($warned[0])" | Should -Match "agent_id '502842370001' has no leading zero"
        (Get-AcefoneSimulatorRequest $Sim).Count | Should -Be 0
    }
}

Describe '-Intercom with a department''s name' {
    It 'is refused with the intercom the name has, and nothing is sent' {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
        Invoke-AcefoneTransfer -CallId $Seeded[0] -Intercom Sales -ErrorVariable failed -ErrorAction SilentlyContinue
        @($failed).Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'InvalidInput,*'
        $failed[0].ErrorDetails.Message | Should -Match "^intercom 'Sales' is the name of a department, not a destination: department 'Sales' has intercom 8004; give that \(-Intercom 8004\)\."
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options').Count | Should -Be 0
    }
}
