# Proves bench/Invoke-Benchmarks.ps1 runs end to end (tiny sizes; benchmark 12's -Quick sizes take seconds, not minutes) and prints the table with every benchmark row.
# A row that measured nothing real (its transfers failed) is an error row, not a number: the script checks what it measured.
# It never asserts a timing target: CI machines are too noisy for that; `build.ps1 Bench` is where targets are read.
BeforeAll {
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:ModulePath = if ($env:ACEFONE_TEST_MODULE_PATH) { $env:ACEFONE_TEST_MODULE_PATH } else { Join-Path $script:RepoRoot 'out/Acefone' }
    $script:Readme = Join-Path ([IO.Path]::GetTempPath()) "acefone-bench-smoke-$PID.md"
    $script:Json = Join-Path ([IO.Path]::GetTempPath()) "acefone-bench-smoke-$PID.json"
    $bench = Join-Path $script:RepoRoot 'bench/Invoke-Benchmarks.ps1'
    # Hand-written prose around an old results block: the run must replace the block and keep the prose.
    Set-Content -Path $script:Readme -Encoding utf8 -Value "# Benchmarks`n`nProse before.`n`n<!-- results: written by Invoke-Benchmarks.ps1 -->`nOLD RESULTS`n<!-- end of results -->`n`nProse after.`n"
    $command = @"
`$rows = & '$($bench.Replace("'", "''"))' -ModulePath '$($script:ModulePath.Replace("'", "''"))' -Quick -PassThru -ReadmePath '$($script:Readme.Replace("'", "''"))' -Size @{
    TransferRows = 20; TransferRounds = 1; WarmupRows = 5; WarmupRounds = 1; JitQuietSeconds = 0.1; LatencyMs = 5; LatencyRows = 16; LatencySequentialRows = 4; LatencyRounds = 1
    RateLimit = 200; RateLimitedRows = 20; ImportRuns = 1; MemorySmallRows = 20; MemoryLargeRows = 40
    WatchCalls = 200; WatchRounds = 2; WatchChurn = 3; WatchMemoryCalls = 50; WatchMemoryChurn = 2; WatchMemorySmallPolls = 5; WatchMemoryLargePolls = 30; JournalRows = 20; JournalRounds = 1; RecordsSmall = 50; RecordsLarge = 100; RecordingFiles = 1; RecordingRounds = 1
}
`$rows | Select-Object Id, Benchmark, Measured, Target, Result, Detail | ConvertTo-Json | Set-Content -Path '$($script:Json.Replace("'", "''"))'
"@
    # A child process, as `build.ps1 Bench` runs it: the script imports and removes the module and starts its own simulator.
    $exe = [Environment]::ProcessPath
    [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' } else { @() }
    $script:Output = & $exe @prefix -NoProfile -NonInteractive -Command $command 2>&1 | Out-String
    $script:ExitCode = $LASTEXITCODE
    $script:Rows = if (Test-Path $script:Json) { @(Get-Content -Raw $script:Json | ConvertFrom-Json) } else { @() }
}

AfterAll {
    Remove-Item $script:Readme, $script:Json -ErrorAction SilentlyContinue
}

Describe 'bench/Invoke-Benchmarks.ps1 -Quick' {
    It 'finishes without error' {
        $script:ExitCode | Should -Be 0 -Because $script:Output
        $script:Rows.Count | Should -BeGreaterThan 0 -Because $script:Output
    }

    It 'measures every benchmark: <Name>' -ForEach @(
        @{ Name = '1a. module vs Invoke-RestMethod'; Pattern = '^1a\. .*Invoke-RestMethod'; Informational = $true }
        @{ Name = '1b. module vs HttpClient'; Pattern = '^1b\. .*HttpClient' }
        @{ Name = '2. latency, -ThrottleLimit 16'; Pattern = '^2\. .*ThrottleLimit 16' }
        @{ Name = '3a. unknown limit, throughput'; Pattern = '^3a\. ' }
        @{ Name = '3b. unknown limit, 429 share'; Pattern = '^3b\. ' }
        @{ Name = '4a. Import-Module cost, PowerShell as released'; Pattern = '^4a\. Import-Module cost over a bare pwsh start, PowerShell as released \(ReadyToRun\)' }
        @{ Name = '4b. Import-Module cost, dotnet tool PowerShell'; Pattern = '^4b\. Import-Module cost over a bare pwsh start, dotnet tool PowerShell \(IL only\)'; Informational = $true }
        @{ Name = '5. peak working set'; Pattern = '^5\. .*working set' }
        @{ Name = '6. watch diff vs round trip'; Pattern = '^6\. Watch: diffing one poll of \d+ live calls vs its HTTP round trip' }
        @{ Name = '7. watch memory'; Pattern = '^7\. Watch: managed memory after \d+ polls minus after \d+' }
        @{ Name = '8. journal overhead'; Pattern = '^8\. Journal overhead: .* with -JournalPath vs without' }
        @{ Name = '9. call records, peak working set'; Pattern = '^9\. .*call records' }
        @{ Name = '10. recording downloads vs Invoke-WebRequest'; Pattern = '^10\. Recording download.*Invoke-WebRequest' }
        @{ Name = '11. blob journal, with vs without'; Pattern = '^11\. Blob journal, storage 20 ms away' }
        @{ Name = '12a. unknown 3/s limit, use'; Pattern = '^12a\. Unknown 3/s limit' }
        @{ Name = '12b. unknown 3/s limit, 429 share'; Pattern = '^12b\. Unknown 3/s limit' }
        @{ Name = '12c. 2 sessions sharing 10/s'; Pattern = '^12c\. 2 sessions sharing 10/s' }
        @{ Name = '12d. 4 sessions sharing 10/s'; Pattern = '^12d\. 4 sessions sharing 10/s' }
        @{ Name = '12e. outage, then 10/s'; Pattern = '^12e\. 1 s outage, then 10/s' }
        @{ Name = '12f. 20/s dropping to 5/s'; Pattern = '^12f\. 20/s dropping to 5/s at 1 s' }
    ) {
        $row = @($script:Rows | Where-Object Benchmark -Match $Pattern)
        $row.Count | Should -Be 1 -Because ($script:Rows | Format-Table Benchmark, Result | Out-String)
        $row[0].Result | Should -BeIn $(if ($Informational) { @('info (quick)') } else { @('pass (quick)', 'fail (quick)') }) -Because "it must have produced a number: $($row[0].Detail)"
        $row[0].Measured | Should -Not -Be 'error'
        $row[0].Target | Should -Not -BeNullOrEmpty
    }

    It 'prints the table' {
        $script:Output | Should -Match 'Benchmark\s+Measured\s+Target\s+Result'
        foreach ($id in '1a', '1b', '2', '3a', '3b', '4a', '4b', '5', '6', '7', '8', '9', '10') { $script:Output | Should -Match "(?m)^$([regex]::Escape($id))\. " }
    }

    It 'keeps the repository''s bench/README.md in the shape the script rewrites' {
        $readme = Get-Content -Raw (Join-Path $script:RepoRoot 'bench/README.md')
        $readme | Should -Match '(?s)<!-- results: written by Invoke-Benchmarks\.ps1 -->.*<!-- end of results -->'
        $readme | Should -Match 'build\.ps1 Bench'
    }

    It 'rewrites only the results block of the README, keeping the hand-written text around it' {
        $markdown = Get-Content -Raw $script:Readme
        $markdown | Should -Match '(?s)^# Benchmarks\s+Prose before\.\s+<!-- results: written by Invoke-Benchmarks\.ps1 -->.*<!-- end of results -->\s+Prose after\.\s*$'
        $markdown | Should -Not -Match 'OLD RESULTS'
    }

    It 'writes the markdown with the machine, the table and how to run it' {
        $markdown = Get-Content -Raw $script:Readme
        $markdown | Should -Match '\| CPU \|'
        $markdown | Should -Match '\| PowerShell \|'
        $markdown | Should -Match '\| benchmark \| measured \| target \| result \|'
        ([regex]::Matches($markdown, '(?m)^\| (?:[1-9]|10)[ab]?\. ')).Count | Should -Be 13
    }

    It 'times benchmark 1 only once the JIT is quiet, and says how much it compiled during the best rounds' {
        $row = @($script:Rows | Where-Object Benchmark -Match '^1a\. ')
        $row[0].Detail | Should -Match 'methods JIT-compiled during the best rounds: module \d+, baseline \d+, HttpClient \d+'
        $row[0].Detail | Should -Match 'waited [\d.]+-[\d.]+ s before a round for the JIT to go quiet'
    }

    It 'measures 4a on a ReadyToRun build of the same PowerShell, and 4b on this IL-only one' {
        # The premise of 4a/4b: the dotnet tool ships PowerShell as IL only, released PowerShell is ReadyToRun.
        $isReadyToRun = {
            param($Path)
            $stream = [IO.File]::OpenRead($Path)
            try { [Reflection.PortableExecutable.PEReader]::new($stream).PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0 }
            finally { $stream.Dispose() }
        }
        $copy = Join-Path $script:RepoRoot "obj/bench/pwsh-$($PSVersionTable.PSVersion)-readytorun"
        & $isReadyToRun ([psobject].Assembly.Location) | Should -BeFalse
        & $isReadyToRun (Join-Path $copy 'System.Management.Automation.dll') | Should -BeTrue
        & $isReadyToRun (Join-Path $copy 'Microsoft.PowerShell.Commands.Utility.dll') | Should -BeTrue
        (Get-FileHash (Join-Path $copy 'Modules/Microsoft.PowerShell.Utility/Microsoft.PowerShell.Utility.psd1')).Hash |
            Should -Be (Get-FileHash (Join-Path $PSHOME 'Modules/Microsoft.PowerShell.Utility/Microsoft.PowerShell.Utility.psd1')).Hash
        $row = @($script:Rows | Where-Object Benchmark -Match '^4a\. ')
        $row[0].Detail | Should -Match 'IL-only assemblies compiled ReadyToRun'
    }
}
