# Whose a journal is (issue 24 item 2) and reading it back with Get-AcefoneJournal (issue 21 section 5), against the
# built module and the simulator. Functional assertions only.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
    $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ('acefone-journal-target-tests-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $Folder

    function script:New-JournalPath { Join-Path $Folder ([guid]::NewGuid().ToString('n') + '.jsonl') }

    # Call actions the simulator carried out (its "processed" statistic counts logins too).
    function script:Get-SentCount {
        $count = 0
        foreach ($request in (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options')) { if ($request.processed) { $count++ } }
        $count
    }

    function script:New-Rows([int] $Count, [string] $Prefix) {
        $ids = Add-AcefoneSimulatorCall $Sim -Generate $Count -Prefix $Prefix
        $i = 0
        foreach ($id in $ids) { [pscustomobject]@{ call_id = $id; intercom = (8000 + ($i++ % 50)).ToString() } }
    }
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
    if ($script:Folder) { Remove-Item $script:Folder -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'The journal knows whose it is' {
    BeforeEach {
        Disconnect-Acefone -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        Reset-AcefoneSimulator $Sim
    }

    It 'records the base URI and account of the run, never the token' {
        $null = Connect-ToSimulator $Sim
        $journal = New-JournalPath
        $rows = @(New-Rows 3 '1920000000.')
        $null = $rows | Invoke-AcefoneTransfer -JournalPath $journal
        $text = Get-Content -Raw $journal
        $text | Should -Not -Match ([regex]::Escape($Sim.ConsoleToken))
        $target = @(Get-Content $journal | ForEach-Object { $_ | ConvertFrom-Json } | Where-Object { $_.PSObject.Properties['target'] })
        $target.Count | Should -Be 1
        $target[0].target | Should -Be ([uri]$Sim.BaseUri).AbsoluteUri
        $target[0].account | Should -Match '^token:[0-9a-f]{16}$'
    }

    It 'a journal used with another account is a terminating JournalTargetMismatch before anything is sent; -IgnoreJournalTarget overrides' {
        $null = Connect-ToSimulator $Sim
        $journal = New-JournalPath
        $rows = @(New-Rows 4 '1921000000.')
        $null = $rows[0..1] | Invoke-AcefoneTransfer -JournalPath $journal
        $processed = (Get-SentCount)
        $bytes = [IO.File]::ReadAllBytes($journal)

        # The same API, another account: a login session.
        $null = Connect-ToSimulator $Sim -Login
        $caught = $null
        try { $null = $rows | Invoke-AcefoneTransfer -JournalPath $journal } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'JournalTargetMismatch*'
        "$caught" | Should -Match ([regex]::Escape("login:$($Sim.LoginId.ToLowerInvariant())"))
        "$caught" | Should -Match 'token:[0-9a-f]{16}'
        "$caught" | Should -Match 'Nothing was sent'
        "$caught" | Should -Not -Match ([regex]::Escape($Sim.ConsoleToken))
        (Get-SentCount) | Should -Be $processed
        [IO.File]::ReadAllBytes($journal) | Should -Be $bytes -Because 'the refused run wrote nothing'
        # -WhatIf previews the same refusal.
        { $rows | Invoke-AcefoneTransfer -JournalPath $journal -WhatIf } | Should -Throw -ErrorId 'JournalTargetMismatch*'

        # The lock was let go, and the override runs: the first two rows are skipped, the other two sent.
        $results = @($rows | Invoke-AcefoneTransfer -JournalPath $journal -IgnoreJournalTarget -WarningVariable w -WarningAction SilentlyContinue)
        "$w" | Should -Match '-IgnoreJournalTarget uses it for'
        @($results.Status) | Should -Be @('AlreadySent', 'AlreadySent', 'Sent', 'Sent')
        (Get-SentCount) | Should -Be ($processed + 2)
    }

    It 'a journal from before target lines still works, and gets one' {
        $null = Connect-ToSimulator $Sim
        $journal = New-JournalPath
        $rows = @(New-Rows 3 '1922000000.')
        [IO.File]::WriteAllText($journal, '{"v":1,"time":"2026-12-02T07:40:00.1234567Z","state":"succeeded","row":1,"operation":"Transfer","callId":"' + $rows[0].call_id + '","intercom":"' + $rows[0].intercom + '","module":"0.1.0","run":"old"}' + "`n")
        $results = @($rows | Invoke-AcefoneTransfer -JournalPath $journal -WarningVariable w)
        $w.Count | Should -Be 0
        @($results.Status) | Should -Be @('AlreadySent', 'Sent', 'Sent')
        @(Get-Content $journal | Where-Object { $_ -match '"target"' }).Count | Should -Be 1
    }

    It 'a row for a call the journal shows transferred to another destination is sent, with a warning naming the call and both destinations' {
        $null = Connect-ToSimulator $Sim
        $journal = New-JournalPath
        $rows = @(New-Rows 3 '1923000000.')
        $null = $rows | Invoke-AcefoneTransfer -JournalPath $journal
        # The CSV was edited: row 2 now goes elsewhere.
        $edited = @($rows[0], [pscustomobject]@{ call_id = $rows[1].call_id; intercom = '9876543210' }, $rows[2])
        $results = @($edited | Invoke-AcefoneTransfer -JournalPath $journal -WarningVariable w -WarningAction SilentlyContinue)
        @($results.Status) | Should -Be @('AlreadySent', 'Sent', 'AlreadySent')
        $w.Count | Should -Be 1
        "$w" | Should -Match "Row 2: call '$([regex]::Escape($rows[1].call_id))'"
        "$w" | Should -Match "Transfer to '$($rows[1].intercom)' \(succeeded"
        "$w" | Should -Match "Transfer to '9876543210' is sent as well"
        (Get-SentCount) | Should -Be 4
    }
}

Describe 'Get-AcefoneJournal' {
    BeforeEach {
        Disconnect-Acefone -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
    }

    It 'reads a journal into one typed record per row: its last state, call, destination, row, time and ErrorId' {
        $journal = New-JournalPath
        $rows = @(New-Rows 5 '1924000000.')
        $null = Invoke-SimulatorAdmin $Sim 'calls/end' -Method Post -Body @{ callIds = @($rows[2].call_id) }
        $null = $rows | Invoke-AcefoneTransfer -JournalPath $journal -ErrorAction SilentlyContinue
        $records = @(Get-AcefoneJournal -Path $journal)
        $records.Count | Should -Be 5
        $records[0] | Should -BeOfType ([Acefone.Client.JournalRecord])
        @($records.CallId) | Should -Be @($rows.call_id)
        @($records.Row) | Should -Be @(1, 2, 3, 4, 5)
        @($records.State) | Should -Be @('Succeeded', 'Succeeded', 'Failed', 'Succeeded', 'Succeeded')
        $records[2].ErrorId | Should -Be 'CallNotActive'
        $records[1].Intercom | Should -Be $rows[1].intercom
        $records[0].Time | Should -BeOfType ([DateTimeOffset])
        # What an admin asks: which calls must I check?
        @(Get-AcefoneJournal $journal | Where-Object State -in 'Sending', 'Unknown').Count | Should -Be 0
        @($journal | Get-AcefoneJournal).Count | Should -Be 5
    }

    It 'reads a journal a run is writing, without taking its lock' {
        $journal = New-JournalPath
        $rows = @(New-Rows 3 '1925000000.')
        $null = $rows | Invoke-AcefoneTransfer -JournalPath $journal
        $writer = [Acefone.Client.RunJournal]::Open($journal, $false)
        try {
            @(Get-AcefoneJournal -Path $journal).Count | Should -Be 3
            # The writer still holds it.
            { [Acefone.Client.RunJournal]::Open($journal, $false) } | Should -Throw
        }
        finally { $writer.Dispose() }
    }

    It 'a missing journal is a non-terminating JournalUnavailable error; a torn line is a warning' {
        $missing = Join-Path $Folder 'missing.jsonl'
        $out = @(Get-AcefoneJournal -Path $missing -ErrorVariable e -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 0
        $e[0].FullyQualifiedErrorId | Should -BeLike 'JournalUnavailable*'
        "$($e[0])" | Should -Match 'does not exist'
        $journal = New-JournalPath
        $null = @(New-Rows 2 '1926000000.') | Invoke-AcefoneTransfer -JournalPath $journal
        [IO.File]::AppendAllText($journal, '{"v":1,"state":"sen')
        $records = @(Get-AcefoneJournal -Path $journal -WarningVariable w -WarningAction SilentlyContinue)
        $records.Count | Should -Be 2
        "$w" | Should -Match 'not a whole record'
    }

    It 'the default view fits 80 columns' {
        $journal = New-JournalPath
        $null = @(New-Rows 2 '1927000000.') | Invoke-AcefoneTransfer -JournalPath $journal
        $text = Get-AcefoneJournal -Path $journal | Out-String -Width 79
        foreach ($line in ($text -split "`r?`n")) { $line.Length | Should -BeLessOrEqual 79 }
        ($text -split "`r?`n" | Where-Object { $_.Trim() })[0] | Should -Match '^\s*Row\s+State\s+Operation\s+CallId\s+AgentId/Intercom\s+ErrorId$'
    }
}
