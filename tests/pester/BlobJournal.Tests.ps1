# The journal in an Azure append blob (issue 21), against Azurite and the simulator: the scenario that matters for a
# cloud runbook. A run is killed (kill -9, and separately SIGINT) at a random moment; a fresh process with an empty
# TEMP and HOME (nothing local survives, as in a new sandbox) runs the same command with the same blob URL: the
# simulator saw each row at most once, and every row is accounted for. Functional assertions only, nothing timed.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module (Join-Path $RepoRoot 'build/Azurite.psm1') -Force
    $script:Sim = Start-AcefoneSimulator
    # build.ps1 Test starts one Azurite for the whole run; alone, this file starts its own.
    $script:OwnAzurite = $null
    $script:AccountUrl = $env:ACEFONE_AZURITE_BLOB_URL
    if (-not $AccountUrl) { $script:OwnAzurite = Start-Azurite; $script:AccountUrl = $OwnAzurite.AccountUrl }
    $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ('acefone-blob-tests-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $Folder

    # An account SAS from Azurite's published development key (every copy of Azurite has it).
    $script:Sas = New-AzuriteSas

    function script:New-BlobUrl { (New-AzuriteContainer -AccountUrl $AccountUrl -Sas $Sas) + '/transfers.jsonl' }

    # The last line of each row, by call id, across the blob and its continuations.
    function script:Read-BlobJournal([string] $Url) {
        $text = ''
        foreach ($suffix in @('') + @(1..20 | ForEach-Object { ".$_" })) {
            try { $content = (Invoke-WebRequest -Uri "$Url${suffix}?$Sas" -Headers @{ 'x-ms-version' = '2021-12-02' } -UseBasicParsing).Content }
            catch { break }
            if ($content -is [byte[]]) { $content = [Text.Encoding]::UTF8.GetString($content) }
            $text += $content
        }
        # Row lines only: the line that records the run's target (base URI, account) names no call.
        $lines = @($text -split "`n" | Where-Object { $_.Trim() } | ForEach-Object { $_ | ConvertFrom-Json } | Where-Object { $_.PSObject.Properties['callId'] })
        $last = @{}
        foreach ($line in $lines) { $last[$line.callId] = $line }
        [pscustomobject]@{ Lines = $lines; Last = $last }
    }

    function script:New-Rows([int] $Count, [string] $Prefix) {
        $ids = Add-AcefoneSimulatorCall $Sim -Generate $Count -Prefix $Prefix
        $i = 0
        foreach ($id in $ids) { [pscustomobject]@{ call_id = $id; intercom = (8000 + ($i++ % 50)).ToString() } }
    }

    function script:Get-ProcessedCount {
        $count = @{}
        foreach ($request in (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options')) {
            if ($request.processed) { $id = ($request.body | ConvertFrom-Json).call_id; $count[$id] = 1 + [int]$count[$id] }
        }
        $count
    }

    # One bulk transfer into the blob journal in a child PowerShell, in a sandbox of its own: empty TEMP and HOME.
    # Its results go to -Out (CSV), its errors' call ids and ErrorIds to -Out.errors, its summary to -Out.summary.
    function script:Start-BlobChild([string] $Csv, [string] $Journal, [string] $Out, [int] $LeaseSeconds = 15, [string] $GoFile = 'now') {
        $script = @'
param($Csv, $Journal, $BaseUri, $Token, $Out, $LeaseSeconds, $GoFile)
Import-Module $env:ACEFONE_TEST_MODULE_PATH
# A short lease, so a dead run's lease runs out soon (the service's shortest is 15 s).
$settings = [Acefone.Client.RunJournal].Assembly.GetType('Acefone.Client.BlobJournalSettings')
$default = $settings.GetProperty('Default', [Reflection.BindingFlags]'NonPublic,Static').GetValue($null)
$settings.GetProperty('LeaseSeconds', [Reflection.BindingFlags]'NonPublic,Instance').SetValue($default, [int]$LeaseSeconds)
$null = Connect-Acefone -BaseUri $BaseUri -AccessToken $Token
# Started ahead (pwsh is slow to start on a busy machine), it begins when the test says so.
if ($GoFile -ne 'now') { while (-not (Test-Path $GoFile)) { Start-Sleep -Milliseconds 50 } }
Import-Csv $Csv | Invoke-AcefoneTransfer -ThrottleLimit 8 -JournalPath $Journal -ErrorAction SilentlyContinue -ErrorVariable failed -InformationVariable info |
    Export-Csv -Path $Out -NoTypeInformation
$failed | ForEach-Object { "$($_.TargetObject.call_id),$($_.FullyQualifiedErrorId)" } | Set-Content "$Out.errors"
"$($info | Where-Object { $_.Tags -contains 'Summary' } | ForEach-Object { $_.MessageData })" | Set-Content "$Out.summary"
'@
        $file = Join-Path $Folder ('child-' + [guid]::NewGuid().ToString('n') + '.ps1')
        Set-Content -Path $file -Value $script -Encoding utf8
        $sandbox = Join-Path $Folder ('sandbox-' + [guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory -Path (Join-Path $sandbox 'tmp'), (Join-Path $sandbox 'home')
        $environment = @{ TEMP = (Join-Path $sandbox 'tmp'); TMP = (Join-Path $sandbox 'tmp'); TMPDIR = (Join-Path $sandbox 'tmp'); HOME = (Join-Path $sandbox 'home'); USERPROFILE = (Join-Path $sandbox 'home') }
        Start-ChildPwsh -Arguments @('-NoProfile', '-NonInteractive', '-File', $file, $Csv, $Journal, $Sim.BaseUri, $Sim.ConsoleToken, $Out, $LeaseSeconds, $GoFile) -Environment $environment -DefaultSigInt
    }

    function script:Wait-Processed([int] $AtLeast, $Child) {
        $deadline = [DateTime]::UtcNow.AddSeconds(120)
        while ((Get-AcefoneSimulatorStats $Sim).processed -lt $AtLeast) {
            if ($Child.Process.HasExited) { throw "The child run ended before $AtLeast rows: $($Child.Error.Result)" }
            if ([DateTime]::UtcNow -gt $deadline) { throw "The simulator did not reach $AtLeast processed rows." }
            Start-Sleep -Milliseconds 20
        }
    }

    # Interrupts a first run, re-runs in a fresh sandbox, and checks every row against the simulator's log.
    function script:Invoke-InterruptedRun([string] $Prefix, [scriptblock] $Interrupt) {
        $journal = (New-BlobUrl) + "?$Sas"
        $rows = @(New-Rows 2000 $Prefix)
        $csv = Join-Path $Folder "$Prefix.csv"
        $rows | Export-Csv -Path $csv -NoTypeInformation
        # 50 ms a request: the interrupt (at most 1000 rows in) comes with seconds of rows still to go, however slowly a
        # loaded machine polls and signals (the file journal's run at 3 ms once ended before its SIGINT).
        $null = Set-AcefoneSimulatorConfig $Sim @{ latencyMs = 50 }
        $first = Start-BlobChild $csv $journal (Join-Path $Folder "$Prefix-1.csv")
        # The fresh process is started now and waits for the go: the dead run's 15 s lease must still be held when it
        # asks, however slowly pwsh starts on a busy machine.
        $out = Join-Path $Folder "$Prefix-2.csv"
        $go = Join-Path $Folder "$Prefix.go"
        $second = Start-BlobChild $csv $journal $out -GoFile $go
        try {
            Wait-Processed (Get-Random -Minimum 100 -Maximum 1000) $first
            & $Interrupt $first.Process
            $first.Process.WaitForExit(60000) | Should -BeTrue
        }
        finally { if (-not $first.Process.HasExited) { $first.Process.Kill() } }
        $processedBefore = Get-ProcessedCount
        $leaseState = (Invoke-WebRequest -Method Head -Uri $journal -Headers @{ 'x-ms-version' = '2021-12-02' } -UseBasicParsing).Headers['x-ms-lease-state']
        $null = Set-AcefoneSimulatorConfig $Sim @{ latencyMs = 3 }   # the re-run need not wait
        Set-Content -Path $go -Value 'go'
        try { $second.Process.WaitForExit(180000) | Should -BeTrue }
        finally { if (-not $second.Process.HasExited) { $second.Process.Kill() } }
        $second.Process.ExitCode | Should -Be 0 -Because $second.Error.Result

        # The simulator saw each row at most once over both runs.
        $processed = Get-ProcessedCount
        @($processed.Values | Where-Object { $_ -gt 1 }).Count | Should -Be 0
        (Get-AcefoneSimulatorStats $Sim).duplicateProcessed | Should -Be 0

        # Every row is in the re-run's output exactly once: sent now, or skipped as already sent (a result, not an error).
        $results = @(if (Test-Path $out) { Import-Csv $out })
        $skipped = @($results | Where-Object Status -eq 'AlreadySent')
        $errors = @(if (Test-Path "$out.errors") { Get-Content "$out.errors" | Where-Object { $_ } | ForEach-Object { $id, $errorId = $_ -split ',', 2; [pscustomobject]@{ CallId = $id; ErrorId = $errorId } } })
        @($errors).CallId -join ', ' | Should -BeNullOrEmpty
        # ForEach-Object, not .CallId: an empty list's .CallId is one $null, counted as a row.
        $accounted = @($results | ForEach-Object CallId) + @($errors | ForEach-Object CallId)
        @($accounted | Sort-Object -Unique).Count | Should -Be $rows.Count
        $accounted.Count | Should -Be $rows.Count

        # The journal agrees with the simulator: whatever was processed is recorded as sent, and only once.
        $journalNow = Read-BlobJournal ($journal -replace '\?.*$', '')
        $sending = @{}
        foreach ($line in $journalNow.Lines) { if ($line.state -eq 'sending') { $sending[$line.callId] = 1 + [int]$sending[$line.callId] } }
        $problems = [System.Collections.Generic.List[string]]::new()
        foreach ($id in $rows.call_id) {
            $last = $journalNow.Last[$id]
            if ($processed.ContainsKey($id) -and -not ($last -and $last.state -in 'sending', 'unknown', 'succeeded')) { $problems.Add("$id was processed; the journal says '$($last.state)'") }
            if ($processed.ContainsKey($id) -and [int]$sending[$id] -lt 1) { $problems.Add("$id was processed with no sending line") }
            if ([int]$sending[$id] -gt 1) { $problems.Add("$id was sent $($sending[$id]) times") }
        }
        foreach ($id in @($results | Where-Object Status -ne 'AlreadySent').CallId) { if ($processedBefore.ContainsKey($id)) { $problems.Add("$id was processed by both runs") } }
        foreach ($id in $skipped.CallId) { if (-not $processedBefore.ContainsKey($id) -and -not ($journalNow.Last[$id] -and $journalNow.Last[$id].state -in 'sending', 'unknown')) { $problems.Add("$id was skipped but the first run never sent it") } }
        ($problems | Select-Object -First 10) -join '; ' | Should -BeNullOrEmpty
        [pscustomobject]@{ Second = $second; Results = $results; Skipped = $skipped; Errors = $errors; Summary = Get-Content -Raw "$out.summary"; LeaseStateBefore = "$leaseState"; ProcessedBefore = $processedBefore.Count; Rows = $rows.Count }
    }
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
    if ($script:OwnAzurite) { Stop-Azurite $script:OwnAzurite }
    if ($script:Folder) { Remove-Item $script:Folder -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Run journal in an Azure append blob' {
    BeforeEach {
        Reset-AcefoneSimulator $Sim
    }

    It 'killed with kill -9 at a random moment of a 2000-row run; a fresh sandbox re-runs it, waiting for the dead run''s lease: each row sent at most once, every row accounted for' {
        $run = Invoke-InterruptedRun '1921000000.' { param($process) $process.Kill() }
        $run.LeaseStateBefore | Should -Be 'leased' -Because 'the killed run died holding its lease'
        $run.Second.Output.Result | Should -Match 'leased by another run, or by one that died' -Because 'the dead run''s lease was still held'
        $run.Skipped.Count | Should -BeGreaterThan 0
        $run.Results.Count | Should -BeGreaterThan $run.Skipped.Count
        $run.Summary | Should -Match "Journal 'http://127\.0\.0\.1:\d+/devstoreaccount1/j\w+/transfers\.jsonl': $($run.Skipped.Count) rows? skipped"
        $run.Summary | Should -Not -Match 'sig='
    }

    It 'stopped with SIGINT (Ctrl+C) part-way; the lease is released, so a fresh sandbox re-runs it at once: each row sent at most once, every row accounted for' -Skip:($PSVersionTable.PSVersion.Major -lt 6 -or $IsWindows) {
        $run = Invoke-InterruptedRun '1922000000.' { param($process) & (Get-Command kill -CommandType Application | Select-Object -First 1).Source -s INT $process.Id }
        $run.LeaseStateBefore | Should -Be 'available' -Because 'the stopped run released its lease'
        $run.Second.Output.Result | Should -Not -Match 'leased by another run' -Because 'the stopped run released its lease'
        # A run that ignored the signal would finish, release its lease and pass every check above.
        $run.ProcessedBefore | Should -BeLessThan $run.Rows -Because 'the first run was stopped part-way by the SIGINT'
        $run.Skipped.Count | Should -BeGreaterThan 0
        $run.Results.Count | Should -BeGreaterThan $run.Skipped.Count -Because 'the re-run sent the rows the stopped run never reached'
    }

    It 'a blob URL with no SAS, no -JournalAccessToken and no managed identity stops before anything is sent, naming the three ways' {
        $null = Connect-ToSimulator $Sim
        $url = New-BlobUrl
        $rows = @(New-Rows 3 '1923000000.')
        $caught = $null
        try { $rows | Invoke-AcefoneTransfer -JournalPath $url -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'JournalNotAuthorized*'
        "$caught" | Should -Match 'SAS' 
        "$caught" | Should -Match '-JournalAccessToken'
        "$caught" | Should -Match 'managed identity'
        (Get-AcefoneSimulatorStats $Sim).processed | Should -Be 0
    }

    It 'Get-AcefoneJournal reads a blob journal by its URL (SAS in the query) without taking its lease: one record per row, the SAS never in what it writes' {
        $null = Connect-ToSimulator $Sim
        $url = (New-BlobUrl) + "?$Sas"
        $rows = @(New-Rows 5 '1925000000.')
        $null = $rows | Invoke-AcefoneTransfer -JournalPath $url -InformationAction Ignore
        $records = @(Get-AcefoneJournal -Path $url)
        $records.Count | Should -Be 5
        @($records | Where-Object State -eq 'Succeeded').Count | Should -Be 5
        ($records.CallId | Sort-Object) -join ',' | Should -Be (($rows.call_id | Sort-Object) -join ',')
        $lease = (Invoke-WebRequest -Method Head -Uri $url -Headers @{ 'x-ms-version' = '2021-12-02' } -UseBasicParsing).Headers['x-ms-lease-state']
        "$lease" | Should -Be 'available' -Because 'reading never takes the lease'

        $missing = ($url -replace 'transfers\.jsonl', 'none.jsonl')
        $sig = [uri]::UnescapeDataString(($Sas -split 'sig=')[1])
        $null = Get-AcefoneJournal -Path $missing -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'JournalUnavailable*'
        (($failed | Out-String) + "$($failed[0].TargetObject)") | Should -Not -Match ([regex]::Escape($sig))
        "$($failed[0].TargetObject)" | Should -Match 'none\.jsonl$'
    }

    It 'the SAS never reaches Verbose, errors, the summary or the error''s target' {
        $null = Connect-ToSimulator $Sim
        $url = (New-BlobUrl) + "?$Sas"
        $sig = [uri]::UnescapeDataString(($Sas -split 'sig=')[1])
        $rows = @(New-Rows 3 '1924000000.')
        $out = $rows | Invoke-AcefoneTransfer -JournalPath $url -Verbose -InformationVariable info 4>&1 | Out-String
        $again = $rows | Invoke-AcefoneTransfer -JournalPath $url -ErrorAction SilentlyContinue -ErrorVariable skipped -InformationVariable info2 4>&1 | Out-String
        $text = $out + $again + ($info | Out-String) + ($info2 | Out-String) + ($skipped | Out-String) + ($skipped | ForEach-Object { $_.Exception.Message; "$($_.TargetObject)" } | Out-String)
        $text | Should -Not -Match ([regex]::Escape($sig))
        $text | Should -Not -Match ([regex]::Escape([uri]::EscapeDataString($sig)))
        $text | Should -Match 'transfers\.jsonl'
    }
}
