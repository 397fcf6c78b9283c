# The run journal (-JournalPath) and the stop report, against the built module and the simulator (issue 11).
# Functional assertions only: nothing here is timed; the kill point is chosen by how many rows the simulator processed.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
    $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ('acefone-journal-tests-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $Folder

    function script:New-JournalPath { Join-Path $Folder ([guid]::NewGuid().ToString('n') + '.jsonl') }

    function script:New-Rows([int] $Count, [string] $Prefix) {
        $ids = Add-AcefoneSimulatorCall $Sim -Generate $Count -Prefix $Prefix
        $i = 0
        foreach ($id in $ids) { [pscustomobject]@{ call_id = $id; intercom = (8000 + ($i++ % 50)).ToString() } }
    }

    # The last line of each row, by call id (the journal's own format: about_Acefone_Journal).
    function script:Read-Journal([string] $Path) {
        # Row lines only: a run's target line (base URI, account) has no callId.
        $lines = @(Get-Content -LiteralPath $Path | Where-Object { $_.Trim() } | ForEach-Object { $_ | ConvertFrom-Json } | Where-Object { $_.callId })
        $last = @{}
        foreach ($line in $lines) { $last[$line.callId] = $line }
        [pscustomobject]@{ Lines = $lines; Last = $last }
    }

    # Call ids the simulator processed, with how often.
    function script:Get-ProcessedCount {
        $count = @{}
        foreach ($request in (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options')) {
            if ($request.processed) { $id = ($request.body | ConvertFrom-Json).call_id; $count[$id] = 1 + [int]$count[$id] }
        }
        $count
    }

    # A child PowerShell running one bulk transfer into a journal, started without waiting: the tests stop or kill it.
    function script:Start-BulkChild([string] $Csv, [string] $Journal, [string] $Out) {
        $script = @'
param($Csv, $Journal, $BaseUri, $Token, $Out)
Import-Module $env:ACEFONE_TEST_MODULE_PATH
$null = Connect-Acefone -BaseUri $BaseUri -AccessToken $Token
Import-Csv $Csv | Invoke-AcefoneTransfer -ThrottleLimit 4 -JournalPath $Journal -ErrorAction SilentlyContinue | Export-Csv -Path $Out -NoTypeInformation
'@
        $file = Join-Path $Folder ('child-' + [guid]::NewGuid().ToString('n') + '.ps1')
        Set-Content -Path $file -Value $script -Encoding utf8
        $arguments = @('-NoProfile', '-NonInteractive', '-File', $file, $Csv, $Journal, $Sim.BaseUri, $Sim.ConsoleToken, $Out)
        Start-ChildPwsh -Arguments $arguments -DefaultSigInt
    }

    function script:Wait-Processed([int] $AtLeast, $Child) {
        $deadline = [DateTime]::UtcNow.AddSeconds(120)
        while ((Get-AcefoneSimulatorStats $Sim).processed -lt $AtLeast) {
            if ($Child.Process.HasExited) { throw "The child run ended before $AtLeast rows: $($Child.Error.Result)" }
            if ([DateTime]::UtcNow -gt $deadline) { throw "The simulator did not reach $AtLeast processed rows." }
            Start-Sleep -Milliseconds 20
        }
    }

    # The checks both interrupted runs share, after the re-run with the same journal.
    function script:Assert-ReRunAccountsForEveryRow($Rows, [string] $Journal) {
        $processedBefore = Get-ProcessedCount
        $before = Read-Journal $Journal
        $results = @($Rows | Invoke-AcefoneTransfer -ThrottleLimit 8 -JournalPath $Journal -ErrorVariable failures -ErrorAction SilentlyContinue -InformationVariable info)
        $failures = @($failures)

        # The simulator saw each row at most once over both runs.
        $processed = Get-ProcessedCount
        @($processed.Values | Where-Object { $_ -gt 1 }).Count | Should -Be 0
        (Get-AcefoneSimulatorStats $Sim).duplicateProcessed | Should -Be 0

        # Every row is in the output exactly once (Status AlreadySent for what the first run sent), and none is an error.
        $failures.Count | Should -Be 0
        $results.Count | Should -Be $Rows.Count
        @($results.CallId | Sort-Object -Unique).Count | Should -Be $Rows.Count
        $skippedRows = @($results | Where-Object Status -eq 'AlreadySent')
        $skipped = @($before.Last.Values | Where-Object { $_.state -ne 'failed' }).Count
        $skippedRows.Count | Should -Be $skipped
        "$($info.MessageData)" | Should -Match "Journal '.+': $skipped rows? skipped as already sent"
        $sentNow = @($results | Where-Object Status -eq 'Sent')

        # The journal agrees with the simulator's log.
        $after = Read-Journal $Journal
        $sending = @{}
        foreach ($line in $after.Lines) { if ($line.state -eq 'sending') { $sending[$line.callId] = 1 + [int]$sending[$line.callId] } }
        # Collected, then compared once: a Should per row would make 2000 rows slow.
        $problems = [System.Collections.Generic.List[string]]::new()
        foreach ($id in $Rows.call_id) {
            $last = $after.Last[$id]
            if ($processed.ContainsKey($id) -and -not ($last -and $last.state -in 'sending', 'unknown', 'succeeded')) { $problems.Add("$id was processed; the journal says '$($last.state)'") }
            if ($last -and $last.state -eq 'succeeded' -and -not $processed.ContainsKey($id)) { $problems.Add("the journal says $id succeeded; the simulator never processed it") }
            if ([int]$sending[$id] -gt 1) { $problems.Add("$id was sent $($sending[$id]) times") }
        }
        # What the re-run sent, it recorded as succeeded, and the first run had not sent it.
        foreach ($id in $sentNow.CallId) {
            if ($after.Last[$id].state -ne 'succeeded') { $problems.Add("$id was sent by the re-run; the journal says '$($after.Last[$id].state)'") }
            if ($processedBefore.ContainsKey($id)) { $problems.Add("$id was processed by both runs") }
        }
        ($problems | Select-Object -First 10) -join '; ' | Should -BeNullOrEmpty
        [pscustomobject]@{ Results = $sentNow; Skipped = $skippedRows; Before = $before; ProcessedBefore = $processedBefore }
    }
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
    if ($script:Folder) { Remove-Item $script:Folder -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Run journal' {
    BeforeEach {
        Disconnect-Acefone -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
    }

    It 'a re-run with the same journal sends nothing again: each row is a result with Status AlreadySent, not an error' {
        $journal = New-JournalPath
        $rows = @(New-Rows 20 '1910000000.')
        $first = @($rows | Invoke-AcefoneTransfer -ThrottleLimit 4 -JournalPath $journal)
        $first.Count | Should -Be 20
        $second = @($rows | Invoke-AcefoneTransfer -ThrottleLimit 4 -JournalPath $journal -ErrorVariable e -ErrorAction SilentlyContinue -InformationVariable info -WarningVariable w)
        $e.Count | Should -Be 0
        $w.Count | Should -Be 0 -Because 'every earlier outcome is a known success'
        (Get-AcefoneSimulatorStats $Sim).processed | Should -Be 20
        $second.Count | Should -Be 20
        $second[0] | Should -BeOfType ([Acefone.Client.CallOptionResult])
        @($second.CallId) | Should -Be @($rows.call_id) -Because 'skipped rows keep input order'
        @($second | Where-Object Status -ne 'AlreadySent').Count | Should -Be 0
        $second[3].EarlierOutcome | Should -Be 'Succeeded'
        $second[3].Success | Should -BeTrue
        $second[3].StatusCode | Should -Be 0 -Because 'nothing was sent now'
        $second[3].Intercom | Should -Be $rows[3].intercom
        $second[3].Message | Should -Be 'AlreadySent: succeeded earlier'
        # The time of the journal's last line for the row: when the first run recorded its success.
        $second[3].Timestamp | Should -BeGreaterOrEqual $first[3].Timestamp.AddSeconds(-1)
        $second[3].Timestamp | Should -BeLessThan ([datetime]::UtcNow.AddSeconds(1))
        "$($info.MessageData)" | Should -Match "Journal '$([regex]::Escape($journal))': 20 rows skipped as already sent \(20 succeeded earlier, 0 with no known outcome\)"
    }

    It 'rows whose earlier attempt certainly did not act are sent again; an overlapping input sends only the new rows' {
        $journal = New-JournalPath
        $rows = @(New-Rows 10 '1911000000.')
        $ended = @($rows[2].call_id, $rows[7].call_id)
        $null = Invoke-SimulatorAdmin $Sim 'calls/end' -Method Post -Body @{ callIds = $ended }
        $null = $rows | Invoke-AcefoneTransfer -JournalPath $journal -ErrorAction SilentlyContinue
        $null = Add-AcefoneSimulatorCall $Sim -CallId $ended
        $more = @(New-Rows 5 '1911000001.')
        $results = @(($rows + $more) | Invoke-AcefoneTransfer -JournalPath $journal -ErrorVariable e -ErrorAction SilentlyContinue)
        @(($results | Where-Object Status -eq 'Sent').CallId | Sort-Object) | Should -Be @(($ended + $more.call_id) | Sort-Object)
        @($results | Where-Object Status -eq 'AlreadySent').Count | Should -Be 8
        $e.Count | Should -Be 0
        (Read-Journal $journal).Last[$ended[0]].state | Should -Be 'succeeded'
    }

    It 'Stop-AcefoneCall takes -JournalPath too: a re-run writes hangup results with Status AlreadySent' {
        $journal = New-JournalPath
        $rows = @(New-Rows 3 '1912000000.')
        $null = $rows | Stop-AcefoneCall -Force -JournalPath $journal
        $again = @($rows | Stop-AcefoneCall -Force -JournalPath $journal -ErrorVariable e -ErrorAction SilentlyContinue)
        $e.Count | Should -Be 0
        $again.Count | Should -Be 3
        $again[0] | Should -BeOfType ([Acefone.Client.CallHangupResult])
        @($again | Where-Object { $_.Status -eq 'AlreadySent' -and $_.EarlierOutcome -eq 'Succeeded' }).Count | Should -Be 3
        (Read-Journal $journal).Lines[0].operation | Should -Be 'Hangup'
    }

    It '-WhatIf reads the journal (shows what would be skipped) and writes nothing' {
        $journal = New-JournalPath
        $rows = @(New-Rows 6 '1913000000.')
        $null = $rows[0..2] | Invoke-AcefoneTransfer -JournalPath $journal
        $bytes = [IO.File]::ReadAllBytes($journal)
        $preview = @($rows | Invoke-AcefoneTransfer -JournalPath $journal -WhatIf -ErrorVariable e -ErrorAction SilentlyContinue -InformationVariable info)
        $e.Count | Should -Be 0
        @($preview | Where-Object Status -eq 'AlreadySent').CallId | Should -Be @($rows[0..2].call_id)
        $preview.Count | Should -Be 3 -Because 'rows -WhatIf declines have no result'
        "$($info.MessageData)" | Should -Match 'read only: -WhatIf'
        [IO.File]::ReadAllBytes($journal) | Should -Be $bytes
        (Get-AcefoneSimulatorStats $Sim).processed | Should -Be 3
        $missing = New-JournalPath
        $null = $rows | Invoke-AcefoneTransfer -JournalPath $missing -WhatIf
        Test-Path $missing | Should -BeFalse
        Test-Path "$missing.lock" | Should -BeFalse
    }

    It 'a restarted run under $ErrorActionPreference = Stop finishes: rows 6-10 of a 10-row file whose first 5 were sent are sent, one CSV holds all 10, one warning names the rows of unknown outcome' {
        $journal = New-JournalPath
        $rows = @(New-Rows 10 '1919000000.')
        $csv = Join-Path $Folder 'restart.csv'
        $out = Join-Path $Folder 'restart-out.csv'
        $rows | Export-Csv -Path $csv -NoTypeInformation
        # The first attempt: rows 1-3 answered; rows 4 and 5 were sent when the job died (a sending line, and an unknown one).
        $null = Import-Csv $csv | Select-Object -First 3 | Invoke-AcefoneTransfer -JournalPath $journal
        $now = [datetime]::UtcNow.ToString('o')
        Add-Content -LiteralPath $journal -Value @(
            '{"v":1,"time":"' + $now + '","state":"sending","row":4,"operation":"Transfer","callId":"' + $rows[3].call_id + '","intercom":"' + $rows[3].intercom + '","module":"0.1.0","run":"x"}'
            '{"v":1,"time":"' + $now + '","state":"unknown","row":5,"operation":"Transfer","callId":"' + $rows[4].call_id + '","intercom":"' + $rows[4].intercom + '","errorId":"OutcomeUnknown","module":"0.1.0","run":"x"}')
        (Get-AcefoneSimulatorStats $Sim).processed | Should -Be 3

        # The restarted job, as a runbook is written: Stop for every error, no -ErrorAction on the cmdlet.
        & {
            $ErrorActionPreference = 'Stop'
            Import-Csv $csv | Invoke-AcefoneTransfer -ThrottleLimit 4 -JournalPath $journal -InformationVariable script:info -WarningVariable script:w -WarningAction SilentlyContinue |
                Export-Csv -Path $out -NoTypeInformation
        }

        $done = @(Import-Csv $out)
        $done.Count | Should -Be 10
        @($done.CallId) | Should -Be @($rows.call_id)
        @($done | Where-Object Status -eq 'Sent').CallId | Should -Be @($rows[5..9].call_id)
        @($done | ForEach-Object EarlierOutcome) | Should -Be @('Succeeded', 'Succeeded', 'Succeeded', 'SentWithoutAnswer', 'OutcomeUnknown', '', '', '', '', '')
        @($done | ForEach-Object Success) | Should -Be @('True', 'True', 'True', 'False', 'False', 'True', 'True', 'True', 'True', 'True')
        (Get-AcefoneSimulatorStats $Sim).processed | Should -Be 8 -Because 'rows 6-10 were sent now; rows 4 and 5 are never sent again'
        (Get-AcefoneSimulatorStats $Sim).duplicateProcessed | Should -Be 0

        $script:w.Count | Should -Be 1 -Because 'one warning, not one per row'
        "$script:w" | Should -Match '2 rows were skipped .* no known outcome'
        "$script:w" | Should -Match ([regex]::Escape("$($rows[3].call_id), $($rows[4].call_id)"))
        "$($script:info.MessageData)" | Should -Match '^Invoke-AcefoneTransfer: 10 rows, 5 requests, 5 succeeded, 0 failed'
        "$($script:info.MessageData)" | Should -Match '5 rows skipped as already sent \(3 succeeded earlier, 2 with no known outcome\)'
    }

    It 'a torn last line is ignored with a warning, never a crash' {
        $journal = New-JournalPath
        $rows = @(New-Rows 8 '1914000000.')
        $null = $rows[0..4] | Invoke-AcefoneTransfer -JournalPath $journal
        [IO.File]::AppendAllText($journal, '{"v":1,"time":"2026-12-02T07:00:00.000Z","state":"sen')
        $results = @($rows | Invoke-AcefoneTransfer -JournalPath $journal -ErrorVariable e -ErrorAction SilentlyContinue -WarningVariable w -WarningAction SilentlyContinue)
        "$w" | Should -Match 'torn line'
        @($results | Where-Object Status -eq 'Sent').Count | Should -Be 3
        @($results | Where-Object Status -eq 'AlreadySent').Count | Should -Be 5
        $e.Count | Should -Be 0
        # The fragment stays a line of its own (line 12, after the target line and 10 row lines); the new records after it are whole.
        (Get-Content $journal)[11] | Should -BeLike '*"state":"sen'
        foreach ($line in (Get-Content $journal | Select-Object -Skip 12)) { { $line | ConvertFrom-Json } | Should -Not -Throw }
    }

    It 'a second run writing the same journal is refused with a terminating JournalLocked error' {
        $journal = New-JournalPath
        $rows = @(New-Rows 200 '1915000000.')
        $null = Set-AcefoneSimulatorConfig $Sim @{ latencyMs = 50 }
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        $first = [powershell]::Create()
        $first.Runspace = $runspace
        $null = $first.AddScript({
                param($ModulePath, $BaseUri, $Token, $Rows, $Journal)
                Import-Module $ModulePath
                $null = Connect-Acefone -BaseUri $BaseUri -AccessToken $Token
                $Rows | Invoke-AcefoneTransfer -JournalPath $Journal
            }).AddArgument((Join-Path $ModuleBase 'Acefone.psd1')).AddArgument($Sim.BaseUri).AddArgument($Sim.ConsoleToken).AddArgument($rows).AddArgument($journal)
        $running = $first.BeginInvoke()
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not (Test-Path $journal) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $running.IsCompleted | Should -BeFalse
            $caught = $null
            try { $null = $rows | Invoke-AcefoneTransfer -JournalPath $journal -ErrorAction Stop } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike 'JournalLocked*'
            "$caught" | Should -Match 'in use by another run'
        }
        finally { $first.Stop(); $first.Dispose(); $runspace.Dispose() }
        # The refused run sent nothing and wrote nothing: every line is the first run's.
        @((Read-Journal $journal).Lines.run | Sort-Object -Unique).Count | Should -Be 1
    }

    It 'Select-Object -First: the rows left in flight are named at the prompt and the journal is released' {
        $journal = New-JournalPath
        $rows = @(New-Rows 100 '1916000000.')
        $null = Set-AcefoneSimulatorConfig $Sim @{ latencyMs = 100 }
        # A child PowerShell: what the host shows is its standard output.
        $script = @"
Import-Module `$env:ACEFONE_TEST_MODULE_PATH
`$null = Connect-Acefone -BaseUri '$($Sim.BaseUri)' -AccessToken '$($Sim.ConsoleToken)'
`$taken = @($(($rows.call_id | ForEach-Object { "'$_'" }) -join ',') | ForEach-Object { [pscustomobject]@{ call_id = `$_; intercom = '8004' } } |
    Invoke-AcefoneTransfer -ThrottleLimit 8 -JournalPath '$journal' | Select-Object -First 5)
'TAKEN ' + (`$taken.CallId -join ' ')
"@
        $child = Invoke-ChildPwsh -Script $script
        $child.ExitCode | Should -Be 0 -Because $child.Error
        $taken = @(([regex]::Match($child.Output, 'TAKEN ([^\r\n]*)').Groups[1].Value -split ' ') | Where-Object { $_ })
        $taken.Count | Should -Be 5
        $report = ($child.Output -split '\r?\n' | Where-Object { $_ -match 'Invoke-AcefoneTransfer stopped: \d+ rows?' }) -join "`n"
        $report | Should -Not -BeNullOrEmpty
        $reported = @([regex]::Matches($report, '1916000000\.\d+') | ForEach-Object Value | Sort-Object -Unique)
        $processed = Get-ProcessedCount
        @($processed.Keys | Where-Object { $_ -notin $taken -and $_ -notin $reported }) -join ', ' | Should -BeNullOrEmpty -Because 'every processed row was taken or reported'
        @($taken | Where-Object { $_ -in $reported }) -join ', ' | Should -BeNullOrEmpty -Because 'the row Select-Object took was delivered'
        { [Acefone.Client.RunJournal]::Open($journal, $false).Dispose() } | Should -Not -Throw
    }

    It 'killed with kill -9 at a random point of a 2000-row run, then re-run with the same journal: every row accounted for, none sent twice' {
        $journal = New-JournalPath
        $rows = @(New-Rows 2000 '1917000000.')
        $csv = Join-Path $Folder 'kill.csv'
        $rows | Export-Csv -Path $csv -NoTypeInformation
        # 50 ms a request: the whole run takes 12 s or more, so the stop (at most 1000 rows in) comes with at least 6 s of
        # rows still to go, however slowly a loaded machine polls and signals (at 3 ms a CI run once ended before it).
        $null = Set-AcefoneSimulatorConfig $Sim @{ latencyMs = 50 }
        $child = Start-BulkChild $csv $journal (Join-Path $Folder 'kill-out.csv')
        try {
            Wait-Processed (Get-Random -Minimum 100 -Maximum 1000) $child
            $child.Process.Kill()
            $child.Process.WaitForExit(30000) | Should -BeTrue
        }
        finally { if (-not $child.Process.HasExited) { $child.Process.Kill() } }
        $null = Set-AcefoneSimulatorConfig $Sim @{ latencyMs = 3 }   # the re-run need not wait
        $run = Assert-ReRunAccountsForEveryRow $rows $journal
        $run.Skipped.Count | Should -BeGreaterThan 0
        $run.Results.Count | Should -BeGreaterThan 0
    }

    It 'stopped with SIGINT (Ctrl+C) part-way, then re-run: the stop report names what was in flight, every row accounted for' -Skip:($PSVersionTable.PSVersion.Major -lt 6 -or $IsWindows) {
        # Skipped on Windows: there is no SIGINT to send to another console process there.
        $journal = New-JournalPath
        $rows = @(New-Rows 2000 '1918000000.')
        $csv = Join-Path $Folder 'sigint.csv'
        $out = Join-Path $Folder 'sigint-out.csv'
        $rows | Export-Csv -Path $csv -NoTypeInformation
        # 50 ms a request: the whole run takes 12 s or more, so the stop (at most 1000 rows in) comes with at least 6 s of
        # rows still to go, however slowly a loaded machine polls and signals (at 3 ms a CI run once ended before it).
        $null = Set-AcefoneSimulatorConfig $Sim @{ latencyMs = 50 }
        $child = Start-BulkChild $csv $journal $out
        try {
            Wait-Processed (Get-Random -Minimum 100 -Maximum 1000) $child
            & (Get-Command kill -CommandType Application | Select-Object -First 1).Source -s INT $child.Process.Id
            $child.Process.WaitForExit(60000) | Should -BeTrue
        }
        finally { if (-not $child.Process.HasExited) { $child.Process.Kill() } }
        $stdout = $child.Output.Result
        $processedInRun1 = Get-ProcessedCount
        # Every row the first run had processed is in its output file or in its stop report.
        $accounted = [System.Collections.Generic.HashSet[string]]::new()
        if (Test-Path $out) { foreach ($row in (Import-Csv $out)) { $null = $accounted.Add($row.CallId) } }
        $reported = @([regex]::Matches($stdout, '1918000000\.\d+') | ForEach-Object Value)
        foreach ($id in $reported) { $null = $accounted.Add($id) }
        @($processedInRun1.Keys | Where-Object { -not $accounted.Contains($_) }) -join ', ' | Should -BeNullOrEmpty -Because 'every row the stopped run had processed is in its output file or its stop report'
        $stdout | Should -Match 'Invoke-AcefoneTransfer stopped: ' -Because 'rows were in flight at the stop'
        $journalBefore = Read-Journal $journal
        foreach ($id in $reported) { $journalBefore.Last[$id].state | Should -BeIn 'unknown', 'succeeded' }
        $null = Set-AcefoneSimulatorConfig $Sim @{ latencyMs = 3 }
        $null = Assert-ReRunAccountsForEveryRow $rows $journal
    }
}
