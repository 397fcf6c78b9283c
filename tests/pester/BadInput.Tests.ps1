# The bad-input corpus (issue 6): fixtures/bad-rows.csv says, row by row, what is refused and what is tolerated.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
    $script:Corpus = @(Import-Csv (Join-Path $PSScriptRoot 'fixtures/bad-rows.csv'))
    $script:Good = @($Corpus | Where-Object expect -eq 'Success')
    $null = Add-AcefoneSimulatorCall $Sim -CallId ($Good.call_id | Sort-Object -Unique)
    $null = Connect-ToSimulator $Sim
    $script:Results = @($Corpus | Invoke-AcefoneCallOption -ErrorVariable failures -ErrorAction SilentlyContinue)
    $script:Failures = @($failures)
    $script:Sent = Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options'

    $badKinds = @($Corpus | Where-Object expect -eq 'InvalidInput').Count
    Write-Host ("    bad inputs tried: {0} kinds of bad row, {1} InvalidInput errors, {2} tolerated rows of {3} succeeded, {4} requests sent" -f
        $badKinds, @($Failures | Where-Object FullyQualifiedErrorId -like 'InvalidInput,*').Count, $Results.Count, $Good.Count, $Sent.Count)

    function script:Get-Row($ErrorRecord) {
        if ($ErrorRecord.ErrorDetails.Message -match '^Row (\d+): ') { [int]$Matches[1] } else { 0 }
    }
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'The bad-input corpus' {
    It 'holds at least 30 kinds of bad rows' {
        @($Corpus | Where-Object expect -eq 'InvalidInput').Count | Should -BeGreaterOrEqual 30
    }

    It 'loses no row: results plus errors equal rows in' {
        $Results.Count + $Failures.Count | Should -Be $Corpus.Count
    }

    It 'every good row in the file succeeds' {
        $Results.Count | Should -Be $Good.Count
        $Results | ForEach-Object { $_.Success | Should -BeTrue }
    }

    It 'sends nothing for a bad row: the API saw the good rows only' {
        $Sent.Count | Should -Be $Good.Count
    }

    It 'gives exactly one InvalidInput error per bad row' {
        $Failures | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'InvalidInput,*' }
        $expectedRows = for ($i = 0; $i -lt $Corpus.Count; $i++) { if ($Corpus[$i].expect -eq 'InvalidInput') { $i + 1 } }
        $reportedRows = $Failures | ForEach-Object { Get-Row $_ }
        ($reportedRows -join ',') | Should -BeExactly ($expectedRows -join ',')
    }

    It 'names the row, the field and the value, truncated for display: row <Row>, <Kind>' -ForEach @(
        $corpus = Import-Csv (Join-Path $PSScriptRoot 'fixtures/bad-rows.csv')
        for ($i = 0; $i -lt $corpus.Count; $i++) {
            if ($corpus[$i].expect -eq 'InvalidInput') { @{ Row = $i + 1; Kind = $corpus[$i].kind; Field = $corpus[$i].field } }
        }
    ) {
        $record = $Failures | Where-Object { (Get-Row $_) -eq $Row }
        @($record).Count | Should -Be 1
        $record.ErrorDetails.Message | Should -Match "^Row $Row`: $Field ('|\(none\))"
        $record.ErrorDetails.Message.Length | Should -BeLessThan 400
        $record.Exception.FieldName | Should -Be $Field
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.TargetObject.kind | Should -Be $Kind
        $value = $record.TargetObject.$Field
        if ($Kind -like 'duplicate*') { $record.ErrorDetails.Message | Should -Match 'repeats row \d+ exactly' }
        elseif ($value.Length -gt 40) { $record.ErrorDetails.Message | Should -Match "\($($value.Length) characters\)" }
        elseif ($value -match '^[\x20-\x7e]+$') { $record.ErrorDetails.Message | Should -BeLike "*'$value'*" }
    }

    It 'keeps agent ids as text: leading zeros survive' {
        ($Sent | Where-Object body -like '*0502842370001*').body | Should -BeLike '*"agent_id":"0502842370001"*'
    }

    It 'escapes a call id full of JSON-breaking characters instead of refusing it' {
        $row = $Results | Where-Object CallId -like '1714000001.7*'
        $row.CallId | Should -BeExactly '1714000001.7"}\x'
        ($Sent | Where-Object body -like '*1714000001.7*').body | Should -BeExactly '{"type":4,"call_id":"1714000001.7\"}\\x","intercom":"8004"}'
    }
}

Describe 'A file missing whole columns' {
    It 'gives one InvalidInput per row naming the missing field, and sends nothing' {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
        $results = Import-Csv (Join-Path $PSScriptRoot 'fixtures/missing-columns.csv') | Invoke-AcefoneCallOption -ErrorVariable failures -ErrorAction SilentlyContinue
        $results | Should -BeNullOrEmpty
        @($failures).Count | Should -Be 2
        $failures[0].ErrorDetails.Message | Should -Match '^Row 1: agent_id \(none\) is required for Monitor'
        $failures[1].ErrorDetails.Message | Should -Match '^Row 2: intercom \(none\) is required for Transfer'
        $failures | ForEach-Object { $_.ErrorDetails.RecommendedAction | Should -BeExactly 'Correct the named field in this row and run the row again.' -Because 'a CSV row is run again on its own' }
        (Get-AcefoneSimulatorRequest $Sim).Count | Should -Be 0
    }
}

Describe 'Bad input at a prompt' {
    It 'names the field and value but no row when nothing was piped in, and sends nothing' {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
        Start-AcefoneMonitor -CallId '1714657799.11930961' -AgentId 'abc' -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidInput,*'
        $failures[0].ErrorDetails.Message | Should -Match "^agent_id 'abc' is not valid"
        $failures[0].ErrorDetails.RecommendedAction | Should -BeExactly 'Correct the named parameter and run the command again; nothing was sent.' -Because 'one call at a prompt has no row'
        $failures[0].TargetObject.AgentId | Should -BeExactly 'abc' -Because 'with no input row, the target is an object with the parameters typed'
        $failures[0].TargetObject.CallId | Should -BeExactly '1714657799.11930961'
        (Get-AcefoneSimulatorRequest $Sim).Count | Should -Be 0
    }

    It 'still numbers the row when the same values are piped in' {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
        [pscustomobject]@{ call_id = '1714657799.11930961'; agent_id = 'abc' } |
            Start-AcefoneMonitor -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].ErrorDetails.Message | Should -Match "^Row 1: agent_id 'abc' is not valid"
        $failures[0].TargetObject.call_id | Should -Be '1714657799.11930961' -Because 'a piped row is its own target'
    }
}
