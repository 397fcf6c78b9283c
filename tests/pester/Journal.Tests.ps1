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
        $lines = @(Get-Content -LiteralPath $Path | Where-Object { $_.Trim() } | ForEach-Object { $_ | ConvertFrom-Json })
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
        Start-ChildPwsh -Arguments $arguments
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

        # Every row is in the output or an error (AlreadySent for what the first run sent), exactly once.
        $accounted = @($results.CallId) + @($failures | ForEach-Object { $_.TargetObject.call_id })
        $accounted.Count | Should -Be $Rows.Count
        @($accounted | Sort-Object -Unique).Count | Should -Be $Rows.Count
        @($failures | Where-Object { $_.FullyQualifiedErrorId -notlike 'AlreadySent*' }).Count | Should -Be 0
        $skipped = @($before.Last.Values | Where-Object { $_.state -ne 'failed' }).Count
        $failures.Count | Should -Be $skipped
        "$($info.MessageData)" | Should -Match "Journal '.+': $skipped rows? skipped as already sent"

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
        foreach ($id in $results.CallId) {
            if ($after.Last[$id].state -ne 'succeeded') { $problems.Add("$id was sent by the re-run; the journal says '$($after.Last[$id].state)'") }
            if ($processedBefore.ContainsKey($id)) { $problems.Add("$id was processed by both runs") }
        }
        ($problems | Select-Object -First 10) -join '; ' | Should -BeNullOrEmpty
        [pscustomobject]@{ Results = $results; Failures = $failures; Before = $before; ProcessedBefore = $processedBefore }
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

    It 'a re-run with the same journal sends nothing again: each row gets AlreadySent with the row as TargetObject' {
        $journal = New-JournalPath
        $rows = @(New-Rows 20 '1910000000.')
        $first = @($rows | Invoke-AcefoneTransfer -ThrottleLimit 4 -JournalPath $journal)
        $first.Count | Should -Be 20
        $second = @($rows | Invoke-AcefoneTransfer -ThrottleLimit 4 -JournalPath $journal -ErrorVariable e -ErrorAction SilentlyContinue -InformationVariable info)
        $second.Count | Should -Be 0
        $e.Count | Should -Be 20
        (Get-AcefoneSimulatorStats $Sim).processed | Should -Be 20
        $e[0].FullyQualifiedErrorId | Should -BeLike 'AlreadySent*'
        $e[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $e[3].TargetObject | Should -Be $rows[3]
        "$e" | Should -Match ([regex]::Escape($journal))
        $e[0].ToString() | Should -Match 'Row 1: Transfer call .* succeeded at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ; it was not sent again'
        "$($info.MessageData)" | Should -Match "Journal '$([regex]::Escape($journal))': 20 rows skipped as already sent"
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
        @($results.CallId | Sort-Object) | Should -Be @(($ended + $more.call_id) | Sort-Object)
        $e.Count | Should -Be 8
        (Read-Journal $journal).Last[$ended[0]].state | Should -Be 'succeeded'
    }

    It 'Stop-AcefoneCall takes -JournalPath too' {
        $journal = New-JournalPath
        $rows = @(New-Rows 3 '1912000000.')
        $null = $rows | Stop-AcefoneCall -Force -JournalPath $journal
        $null = $rows | Stop-AcefoneCall -Force -JournalPath $journal -ErrorVariable e -ErrorAction SilentlyContinue
        @($e | Where-Object FullyQualifiedErrorId -like 'AlreadySent*').Count | Should -Be 3
        (Read-Journal $journal).Lines[0].operation | Should -Be 'Hangup'
    }

    It '-WhatIf reads the journal (shows what would be skipped) and writes nothing' {
        $journal = New-JournalPath
        $rows = @(New-Rows 6 '1913000000.')
        $null = $rows[0..2] | Invoke-AcefoneTransfer -JournalPath $journal
        $bytes = [IO.File]::ReadAllBytes($journal)
        $null = $rows | Invoke-AcefoneTransfer -JournalPath $journal -WhatIf -ErrorVariable e -ErrorAction SilentlyContinue -InformationVariable info
        @($e | Where-Object FullyQualifiedErrorId -like 'AlreadySent*').Count | Should -Be 3
        "$($info.MessageData)" | Should -Match 'read only: -WhatIf'
        [IO.File]::ReadAllBytes($journal) | Should -Be $bytes
        (Get-AcefoneSimulatorStats $Sim).processed | Should -Be 3
        $missing = New-JournalPath
        $null = $rows | Invoke-AcefoneTransfer -JournalPath $missing -WhatIf
        Test-Path $missing | Should -BeFalse
        Test-Path "$missing.lock" | Should -BeFalse
    }

    It 'a torn last line is ignored with a warning, never a crash' {
        $journal = New-JournalPath
        $rows = @(New-Rows 8 '1914000000.')
        $null = $rows[0..4] | Invoke-AcefoneTransfer -JournalPath $journal
        [IO.File]::AppendAllText($journal, '{"v":1,"time":"2026-12-02T07:00:00.000Z","state":"sen')
        $results = @($rows | Invoke-AcefoneTransfer -JournalPath $journal -ErrorVariable e -ErrorAction SilentlyContinue -WarningVariable w -WarningAction SilentlyContinue)
        "$w" | Should -Match 'torn line'
        $results.Count | Should -Be 3
        $e.Count | Should -Be 5
        # The fragment stays a line of its own; the new records after it are whole.
        foreach ($line in (Get-Content $journal | Select-Object -Skip 11)) { { $line | ConvertFrom-Json } | Should -Not -Throw }
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
        $null = Set-AcefoneSimulatorConfig $Sim @{ latencyMs = 3 }
        $child = Start-BulkChild $csv $journal (Join-Path $Folder 'kill-out.csv')
        try {
            Wait-Processed (Get-Random -Minimum 100 -Maximum 1500) $child
            $child.Process.Kill()
            $child.Process.WaitForExit(30000) | Should -BeTrue
        }
        finally { if (-not $child.Process.HasExited) { $child.Process.Kill() } }
        $run = Assert-ReRunAccountsForEveryRow $rows $journal
        $run.Failures.Count | Should -BeGreaterThan 0
        $run.Results.Count | Should -BeGreaterThan 0
    }

    It 'stopped with SIGINT (Ctrl+C) part-way, then re-run: the stop report names what was in flight, every row accounted for' -Skip:($PSVersionTable.PSVersion.Major -lt 6 -or $IsWindows) {
        # Skipped on Windows: there is no SIGINT to send to another console process there.
        $journal = New-JournalPath
        $rows = @(New-Rows 2000 '1918000000.')
        $csv = Join-Path $Folder 'sigint.csv'
        $out = Join-Path $Folder 'sigint-out.csv'
        $rows | Export-Csv -Path $csv -NoTypeInformation
        $null = Set-AcefoneSimulatorConfig $Sim @{ latencyMs = 3 }
        $child = Start-BulkChild $csv $journal $out
        try {
            Wait-Processed (Get-Random -Minimum 100 -Maximum 1500) $child
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
        $null = Assert-ReRunAccountsForEveryRow $rows $journal
    }
}
