<#
.SYNOPSIS
    The throughput, import and memory benchmarks, against the simulator on 127.0.0.1.
.DESCRIPTION
    Every benchmark is a RATIO (or a difference) measured in this one run, never an absolute time alone: the
    machine is small and shared, so absolute times are noise; the contenders of one benchmark run one after the
    other in the same minute, in rotating order (bench/README.md says which round counts for each). Benchmark 4's
    target is a time; references measured in the same run stand beside it.

      1. 2000-row CSV, transfer, no latency: the module vs an admin's Invoke-RestMethod loop and vs a bare
         .NET HttpClient loop.
      2. 50 ms latency: -ThrottleLimit 16 vs the module's own sequential rate.
      3. A 50/s account limit the module is not told about, no Retry-After: throughput and 429 share.
      4. Import-Module cost over a bare pwsh -NoProfile start, on PowerShell as its releases ship it (ReadyToRun;
         bench/ReadyToRunPwsh.ps1 compiles a copy of the dotnet tool's IL-only build once) and on the dotnet tool
         itself, with ThreadJob and PSResourceGet (binary modules that ship with PowerShell) measured beside it.
      5. Peak working set streaming 10k vs 100k rows, each in a fresh pwsh process.
      6. Watch-AcefoneLiveCall: diffing one poll of 5000 live calls, as a share of the poll's HTTP round trip.
      7. Watch-AcefoneLiveCall: managed memory after 1000 polls vs after 10.
      8. Run journal overhead: 2000 rows sequential with -JournalPath vs without.
      9. Peak working set streaming 10k vs 1k call records (Get-AcefoneCallRecord), each in a fresh pwsh process.
     10. Recording download throughput: Save-AcefoneRecording -ThrottleLimit 1 vs an Invoke-WebRequest -OutFile
         loop over the same files.

    Prints one table; a full run also writes it, with the machine and the date, into the results block of
    bench/README.md (the text around that block is written by hand).
    Traffic goes only to the simulator on 127.0.0.1; every loop is bounded in rows and time.
.EXAMPLE
    dotnet pwsh ./build.ps1 Bench            # builds, then runs this with -ModulePath out/Acefone
.EXAMPLE
    ./bench/Invoke-Benchmarks.ps1 -ModulePath out/Acefone -Quick -Size @{ TransferRows = 40 } -PassThru
#>
[CmdletBinding()]
param(
    # The built module folder (out/Acefone).
    [Parameter(Mandatory)] [string] $ModulePath,

    # Smaller sizes for a smoke check; the table then reads "quick" and README.md is left alone.
    [switch] $Quick,

    # Overrides of single sizes, e.g. @{ TransferRows = 40; MemoryLargeRows = 300 } (see $sizes below).
    [hashtable] $Size = @{},

    # Where to write the results as markdown. Default: bench/README.md for a full run, nowhere for -Quick.
    [string] $ReadmePath,

    # Also return the rows of the table as objects.
    [switch] $PassThru,

    # Run only these benchmarks (1-12), e.g. while tuning one. README.md is then left alone unless -ReadmePath is given.
    [ValidateRange(1, 12)] [int[]] $Only
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
# Progress bars cost every contender time and fill CI logs; an admin's bulk script turns them off too.
$ProgressPreference = 'SilentlyContinue'

$BenchRoot = $PSScriptRoot
$RepoRoot = Split-Path $BenchRoot -Parent
$ModulePath = (Resolve-Path $ModulePath).Path

$sizes = [ordered]@{
    TransferRows          = 2000   # benchmark 1, per contender per round
    TransferRounds        = 9      # benchmark 1, rounds in rotating order; each contender's best round counts
    WarmupRows            = 100    # benchmark 1 and 2, rows sent once before timing (JIT, connections)
    WarmupRounds          = 3      # benchmark 1, untimed full-size rounds of every contender, then the JIT is let finish
    JitQuietSeconds       = 1      # benchmark 1, before each round: no method compiled for this long (at most 30 s of waiting)
    LatencyMs             = 50     # benchmark 2
    LatencyRows           = 400    # benchmark 2, at -ThrottleLimit 16
    LatencySequentialRows = 100    # benchmark 2, sequential (rate compared, so fewer rows is fair)
    LatencyRounds         = 2      # benchmark 2, rounds of each; best round counts
    LatencyThrottle       = 16
    RateLimit             = 50     # benchmark 3, the simulator's requests per second
    RateLimitedRows       = 1000
    RateLimitedThrottle   = 8
    SmallLimitRows        = 200    # benchmark 12 (issue 22): one run at an unknown 3/s, sliding window
    SharedRows            = 300    # benchmark 12: rows in all, split between 2 or 4 sessions sharing 10/s
    OutageRows            = 80     # benchmark 12: every request refused for OutageSeconds, then 10/s
    OutageSeconds         = 8
    DropRows              = 260    # benchmark 12: 20/s dropping to 5/s DropAfterSeconds in
    DropAfterSeconds      = 8
    ImportRuns            = 11     # benchmark 4, process starts of each kind (bare, Acefone cold and warm, ThreadJob, PSResourceGet)
    MemorySmallRows       = 10000  # benchmark 5
    MemoryLargeRows       = 100000
    MemoryThrottle        = 8
    WatchCalls            = 5000   # benchmark 6, live calls in one listing
    WatchRounds           = 9      # benchmark 6, polls and diffs in rotating order; the best of each counts
    WatchChurn            = 25     # benchmarks 6 and 7, calls started, ended and changed between two polls
    WatchMemoryCalls      = 500    # benchmark 7, live calls while the watch runs
    WatchMemoryChurn      = 5      # benchmark 7, calls started, ended and changed before every listing
    WatchMemorySmallPolls = 10     # benchmark 7
    WatchMemoryLargePolls = 1000
    JournalRows           = 2000   # benchmark 8, sequential, with and without -JournalPath
    JournalRounds         = 7      # benchmark 8, rounds in rotating order; each contender's median round counts
    RecordsSmall          = 1000   # benchmark 9
    RecordsLarge          = 10000
    RecordingFiles        = 8      # benchmark 10, files per round (100 KB-5 MB each)
    RecordingRounds       = 5      # benchmark 10, rounds of each contender in rotating order; best round counts
    BlobJournalRows       = 500    # benchmark 11, at -ThrottleLimit 8 under a 50/s limit (about 10 s a round)
    BlobJournalSeqRows    = 100    # benchmark 11, sequential, for the cost per row
    BlobJournalRounds     = 3      # benchmark 11, rounds in rotating order; each contender's median round counts
}
if ($Quick) {
    $sizes.TransferRows = 300; $sizes.TransferRounds = 1; $sizes.WarmupRows = 30; $sizes.WarmupRounds = 1
    $sizes.LatencyRows = 64; $sizes.LatencySequentialRows = 16; $sizes.LatencyRounds = 1
    $sizes.RateLimitedRows = 150; $sizes.ImportRuns = 3
    $sizes.MemorySmallRows = 1000; $sizes.MemoryLargeRows = 5000
    $sizes.WatchCalls = 500; $sizes.WatchRounds = 3; $sizes.WatchChurn = 5; $sizes.WatchMemoryChurn = 2; $sizes.WatchMemoryCalls = 100; $sizes.WatchMemoryLargePolls = 100
    $sizes.JournalRows = 300; $sizes.JournalRounds = 1
    $sizes.RecordsSmall = 200; $sizes.RecordsLarge = 1000; $sizes.RecordingFiles = 2; $sizes.RecordingRounds = 1
    $sizes.BlobJournalRows = 40; $sizes.BlobJournalSeqRows = 10; $sizes.BlobJournalRounds = 1
    # Benchmark 12 runs at a few requests a second: full sizes take minutes, these a few seconds each.
    $sizes.SmallLimitRows = 9; $sizes.SharedRows = 24; $sizes.OutageRows = 10; $sizes.OutageSeconds = 1; $sizes.DropRows = 30; $sizes.DropAfterSeconds = 1
}
foreach ($key in $Size.Keys) {
    if (-not $sizes.Contains($key)) { throw "Unknown size '$key'. Known: $($sizes.Keys -join ', ')." }
    $sizes[$key] = $Size[$key]
}
if (-not $ReadmePath -and -not $Quick -and -not $Only) { $ReadmePath = Join-Path $BenchRoot 'README.md' }

Import-Module (Join-Path $RepoRoot 'build/SimulatorControl.psm1') -Force
Import-Module $ModulePath -Force

$work = Join-Path ([IO.Path]::GetTempPath()) "acefone-bench-$PID"
New-Item -ItemType Directory -Force $work | Out-Null
$CallPrefix = '1800000000.'
$Intercom = '9876543210'

#region helpers

function New-TransferCsv([string] $Path, [int] $Rows) {
    # Streamed to disk, as an admin's export would be: call ids prefix+1..Rows, all live in the simulator.
    $writer = [IO.StreamWriter]::new($Path, $false, [Text.UTF8Encoding]::new($false))
    try {
        $writer.WriteLine('call_id,intercom')
        for ($i = 1; $i -le $Rows; $i++) { $writer.WriteLine("$CallPrefix$i,$Intercom") }
    }
    finally { $writer.Dispose() }
    $Path
}

function Measure-Ms([scriptblock] $Script) {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $value = & $Script
    $watch.Stop()
    [pscustomobject]@{ Ms = $watch.Elapsed.TotalMilliseconds; Value = $value }
}

function Wait-JitQuiet {
    # The tiered JIT compiles PowerShell's own hot methods on one background thread; on 2 busy cores that backlog
    # takes many seconds to drain and, while it lasts, competes with whatever is timed and leaves code in its slow
    # tiers. Steady-state throughput is measured once the JIT has stopped: no method compiled for JitQuietSeconds.
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $last = [Runtime.JitInfo]::GetCompiledMethodCount($false)
    $quietSince = $watch.Elapsed
    while (($watch.Elapsed - $quietSince).TotalSeconds -lt $sizes.JitQuietSeconds -and $watch.Elapsed.TotalSeconds -lt 30) {
        Start-Sleep -Milliseconds 100
        $now = [Runtime.JitInfo]::GetCompiledMethodCount($false)
        if ($now -ne $last) { $last = $now; $quietSince = $watch.Elapsed }
    }
    $watch.Elapsed.TotalSeconds
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n -eq 0) { return [double]::NaN }
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

# \$Pass \$null: a figure reported for information, with no target to pass or fail.
function New-Row([int] $Id, [string] $Name, [double] $Value, [string] $Format, [string] $Target, [object] $Pass, [string] $Detail) {
    [pscustomobject]@{
        PSTypeName = 'Acefone.BenchmarkResult'
        Id         = $Id
        Benchmark  = $Name
        Measured   = ($Format -f $Value)
        Target     = $Target
        Result     = if ($null -eq $Pass) { if ($Quick) { 'info (quick)' } else { 'info' } } elseif ($Quick) { if ($Pass) { 'pass (quick)' } else { 'fail (quick)' } } elseif ($Pass) { 'pass' } else { 'FAIL' }
        Value      = $Value
        Detail     = $Detail
    }
}

function Get-PwshCommand([string] $PwshHome = $PSHOME) {
    # The PowerShell in $PwshHome, started the way this one was: the dotnet tool runs as `dotnet pwsh.dll`.
    # First the executable, then its arguments.
    $process = [Environment]::ProcessPath
    $dll = Join-Path $PwshHome 'pwsh.dll'
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet' -and (Test-Path $dll)) { return , [string[]]@($process, $dll) }
    return , [string[]]@(Join-Path $PwshHome ($(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })))
}

function Invoke-Pwsh([string[]] $Arguments, [int] $TimeoutSec, [string[]] $Pwsh = (Get-PwshCommand)) {
    $info = [Diagnostics.ProcessStartInfo]::new($Pwsh[0])
    foreach ($a in @($Pwsh | Select-Object -Skip 1) + $Arguments) { $info.ArgumentList.Add($a) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $process = [Diagnostics.Process]::Start($info)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit($TimeoutSec * 1000)) {
        try { $process.Kill($true) } catch { }
        throw "A child pwsh did not finish within $TimeoutSec s."
    }
    $process.WaitForExit()
    $watch.Stop()
    [pscustomobject]@{ Ms = $watch.Elapsed.TotalMilliseconds; ExitCode = $process.ExitCode; StdOut = $stdout.Result; StdErr = $stderr.Result }
}

function Set-Sim([hashtable] $Config) { Set-AcefoneSimulatorConfig $script:Sim $Config | Out-Null }

function Connect-Bench {
    Connect-Acefone -BaseUri $script:Sim.BaseUri -AccessToken $script:Sim.ConsoleToken -PassThru
}

function Invoke-ModuleTransfer([string] $Csv, $Session, [int] $ThrottleLimit = 1) {
    $errs = $null
    $results = Import-Csv $Csv | Invoke-AcefoneTransfer -Session $Session -ThrottleLimit $ThrottleLimit -ErrorAction SilentlyContinue -ErrorVariable errs
    [pscustomobject]@{ Results = @($results); Errors = @($errs) }
}

# The simulator as every benchmark expects it: the start sets it up with this, and benchmarks 9 and 10 put it back after
# resetting it for their call records (a reset of a fresh simulator changes nothing).
function Reset-BenchSimulator {
    Reset-AcefoneSimulator $script:Sim
    Set-Sim @{ recordRequests = $false }
    $null = Add-AcefoneSimulatorCall $script:Sim -Generate $script:CallCount -Prefix $CallPrefix
}

function Get-Outcome($Raw) {
    # Counted after the clock stopped, the same way for every contender (the C# loop counts as it goes).
    if ($Raw.PSObject.Properties['Succeeded']) { return [pscustomobject]@{ Succeeded = $Raw.Succeeded; Results = $Raw.Succeeded; Errors = 0 } }
    $succeeded = 0
    foreach ($r in $Raw.Results) { if ($r.Success -eq $true -or $r.success -eq $true) { $succeeded++ } }
    [pscustomobject]@{ Succeeded = $succeeded; Results = $Raw.Results.Count; Errors = $Raw.Errors.Count }
}

function Assert-AllSucceeded($Outcome, [int] $Rows, [string] $What) {
    if ($Outcome.Succeeded -ne $Rows -or $Outcome.Errors -ne 0) {
        throw "$What`: $($Outcome.Succeeded) of $Rows rows succeeded, $($Outcome.Errors) errors."
    }
}

#endregion

#region benchmarks

function Invoke-TransferBenchmark {
    $rows = $sizes.TransferRows
    Set-Sim @{ latencyMs = 0; rateLimitPerSecond = $null; rateLimitBurst = $null; retryAfter = 'none' }
    $csv = New-TransferCsv (Join-Path $work 'transfer.csv') $rows
    $warm = New-TransferCsv (Join-Path $work 'warmup.csv') ([Math]::Min($rows, $sizes.WarmupRows))
    if (-not ('AcefoneBench.HttpClientLoop' -as [type])) { Add-Type -Path (Join-Path $BenchRoot 'HttpClientLoop.cs') }
    $session = Connect-Bench
    $base = $script:Sim.BaseUri.AbsoluteUri
    $token = $script:Sim.ConsoleToken

    # What an admin writes by hand: a hashtable to JSON, the Bearer header, one Invoke-RestMethod per row.
    $baseline = {
        param($Csv)
        $headers = @{ Authorization = "Bearer $token" }
        $uri = "${base}v1/call/options"
        $answers = Import-Csv $Csv | ForEach-Object {
            $body = @{ type = 4; call_id = $_.call_id; intercom = $_.intercom } | ConvertTo-Json
            Invoke-RestMethod -Method Post -Uri $uri -Headers $headers -ContentType 'application/json' -Body $body
        }
        [pscustomobject]@{ Results = @($answers); Errors = @() }
    }
    $module = { param($Csv) Invoke-ModuleTransfer $Csv $session }
    $httpClient = { param($Csv) [pscustomobject]@{ Succeeded = [AcefoneBench.HttpClientLoop]::Run($base, $token, $Csv) } }
    $contenders = [ordered]@{ baseline = $baseline; module = $module; httpclient = $httpClient }

    foreach ($name in $contenders.Keys) { $null = & $contenders[$name] $warm }
    $names = @($contenders.Keys)
    # Untimed full-size rounds, so every contender's code paths (PowerShell's included) are hot before the JIT drains.
    for ($round = 0; $round -lt $sizes.WarmupRounds; $round++) {
        foreach ($name in $names) { Assert-AllSucceeded (Get-Outcome (& $contenders[$name] $csv)) $rows "benchmark 1, warm-up, $name" }
    }
    $times = @{ baseline = @(); module = @(); httpclient = @() }
    $jitted = @{ baseline = @(); module = @(); httpclient = @() }
    $settled = @()
    for ($round = 0; $round -lt $sizes.TransferRounds; $round++) {
        for ($k = 0; $k -lt $names.Count; $k++) {
            $name = $names[($round + $k) % $names.Count]
            $settled += Wait-JitQuiet
            $compiledBefore = [Runtime.JitInfo]::GetCompiledMethodCount($false)
            $run = Measure-Ms { & $contenders[$name] $csv }
            $jitted[$name] += [Runtime.JitInfo]::GetCompiledMethodCount($false) - $compiledBefore
            Assert-AllSucceeded (Get-Outcome $run.Value) $rows "benchmark 1, $name"
            $times[$name] += $run.Ms
        }
    }
    $rate = @{}
    foreach ($name in $names) { $rate[$name] = $rows * 1000 / ($times[$name] | Measure-Object -Minimum).Minimum }
    $vsBaseline = $rate.module / $rate.baseline
    $vsHttp = $rate.module / $rate.httpclient
    # The HttpClient loop's own lead over the baseline is the most any sequential client could show here.
    $best = @{}
    foreach ($name in $names) { $best[$name] = [Array]::IndexOf($times[$name], ($times[$name] | Measure-Object -Minimum).Minimum) }
    $median = @{}
    foreach ($name in $names) { $median[$name] = $rows * 1000 / (Get-Median $times[$name]) }
    $detail = ('rows/s (best of {0}): module {1:0}, baseline {2:0}, HttpClient {3:0} (the HttpClient loop itself is {4:0.0}x the baseline); ' +
        'medians: module {5:0}, baseline {6:0}, HttpClient {7:0} ({8:0.0}x, {9:0}%); methods JIT-compiled during the best rounds: module {10}, baseline {11}, HttpClient {12}; ' +
        'waited {13:0.0}-{14:0.0} s before a round for the JIT to go quiet') -f
        $sizes.TransferRounds, $rate.module, $rate.baseline, $rate.httpclient, ($rate.httpclient / $rate.baseline),
        $median.module, $median.baseline, $median.httpclient, ($median.module / $median.baseline), (100 * $median.module / $median.httpclient),
        $jitted.module[$best.module], $jitted.baseline[$best.baseline], $jitted.httpclient[$best.httpclient],
        ($settled | Measure-Object -Minimum).Minimum, ($settled | Measure-Object -Maximum).Maximum
    # 1a is reported, not judged: a raw HttpClient loop is itself only 4.6-7.6x the baseline here (issue 16).
    # Sequential speed is judged by 1b, on the medians of the rounds, not the best: >= 80% since issue 22 (60% in issue 16).
    $vsHttpMedian = $median.module / $median.httpclient
    New-Row 1 "1a. Transfer $rows rows: module vs Invoke-RestMethod loop" $vsBaseline '{0:0.0}x' 'reported' $null $detail
    New-Row 1 "1b. Transfer $rows rows: module vs HttpClient loop (medians)" ($vsHttpMedian * 100) '{0:0}%' '>= 80%' ($vsHttpMedian -ge 0.8) $detail
}

function Invoke-LatencyBenchmark {
    $throttle = $sizes.LatencyThrottle
    Set-Sim @{ latencyMs = $sizes.LatencyMs; rateLimitPerSecond = $null; rateLimitBurst = $null }
    $csv = New-TransferCsv (Join-Path $work 'latency.csv') $sizes.LatencyRows
    $seqCsv = New-TransferCsv (Join-Path $work 'latency-seq.csv') $sizes.LatencySequentialRows
    $warm = New-TransferCsv (Join-Path $work 'latency-warm.csv') ([Math]::Min($sizes.LatencyRows, $throttle * 2))
    $session = Connect-Bench
    $null = Invoke-ModuleTransfer $warm $session $throttle   # opens the connections both contenders then reuse
    $seq = @(); $par = @()
    for ($round = 0; $round -lt $sizes.LatencyRounds; $round++) {
        $run = Measure-Ms { Invoke-ModuleTransfer $seqCsv $session 1 }
        Assert-AllSucceeded (Get-Outcome $run.Value) $sizes.LatencySequentialRows 'benchmark 2, sequential'
        $seq += $sizes.LatencySequentialRows * 1000 / $run.Ms
        $run = Measure-Ms { Invoke-ModuleTransfer $csv $session $throttle }
        Assert-AllSucceeded (Get-Outcome $run.Value) $sizes.LatencyRows "benchmark 2, -ThrottleLimit $throttle"
        $par += $sizes.LatencyRows * 1000 / $run.Ms
    }
    $seqRate = ($seq | Measure-Object -Maximum).Maximum
    $parRate = ($par | Measure-Object -Maximum).Maximum
    $ratio = $parRate / $seqRate
    $detail = 'rows/s (best of {0}): -ThrottleLimit {1} {2:0.0} ({3} rows), sequential {4:0.0} ({5} rows); the ideal is {1}x' -f $sizes.LatencyRounds, $throttle, $parRate, $sizes.LatencyRows, $seqRate, $sizes.LatencySequentialRows
    New-Row 2 "2. $($sizes.LatencyMs) ms latency: -ThrottleLimit $throttle vs sequential" $ratio '{0:0.0}x' '>= 12x' ($ratio -ge 12) $detail
}

function Invoke-RateLimitBenchmark {
    $rows = $sizes.RateLimitedRows
    $limit = $sizes.RateLimit
    $csv = New-TransferCsv (Join-Path $work 'ratelimit.csv') $rows
    # A fresh session: its limiter has learned nothing. Setting the knobs refills the simulator's bucket.
    $session = Connect-Bench
    Set-Sim @{ latencyMs = 0; rateLimitPerSecond = $limit; rateLimitBurst = $null; retryAfter = 'none' }
    $before = Get-AcefoneSimulatorStats $script:Sim
    $run = Measure-Ms { Invoke-ModuleTransfer $csv $session $sizes.RateLimitedThrottle }
    $after = Get-AcefoneSimulatorStats $script:Sim
    Set-Sim @{ rateLimitPerSecond = $null }
    $received = $after.received - $before.received
    $limited = $after.tooManyRequests - $before.tooManyRequests
    $throughput = $rows * 1000 / $run.Ms
    $share = if ($received) { 100.0 * $limited / $received } else { 0 }
    $o = Get-Outcome $run.Value
    $complete = ($o.Results + $o.Errors -eq $rows) -and ($o.Succeeded -eq $rows)
    $detail = '{0} rows in {1:0.0} s at -ThrottleLimit {2}; {3} requests, {4} answered 429; {5} results + {6} errors, {7} succeeded; settled at {8} req/s' -f $rows, ($run.Ms / 1000), $sizes.RateLimitedThrottle, $received, $limited, $o.Results, $o.Errors, $o.Succeeded, $session.CurrentRequestsPerSecond
    New-Row 3 "3a. Unknown $limit/s limit: throughput vs the limit" (100 * $throughput / $limit) '{0:0}%' '>= 90%' ($throughput -ge 0.9 * $limit -and $complete) $detail
    New-Row 3 "3b. Unknown $limit/s limit: requests answered 429" $share '{0:0.0}%' '<= 5%, none lost' ($share -le 5 -and $complete) $detail
}

function Invoke-SessionsAtOnce([int] $Sessions, [int] $RowsEach) {
    # Sessions that share the account without talking, as separate runbooks would: each in its own runspace with its
    # own session (so its own rate controller), started together.
    $csv = New-TransferCsv (Join-Path $work "shared-$Sessions.csv") $RowsEach
    $base = $script:Sim.BaseUri; $token = $script:Sim.ConsoleToken; $module = $ModulePath
    # Stopwatch timestamps are one clock for the whole process, so the runspaces' starts and ends compare.
    $origin = [Diagnostics.Stopwatch]::GetTimestamp()
    $runs = 1..$Sessions | ForEach-Object -ThrottleLimit $Sessions -Parallel {
        Import-Module $using:module
        $session = Connect-Acefone -BaseUri $using:base -AccessToken $using:token -PassThru
        $from = [Diagnostics.Stopwatch]::GetTimestamp()
        $errs = $null
        $results = Import-Csv $using:csv | Invoke-AcefoneTransfer -Session $session -ThrottleLimit 8 -ErrorAction SilentlyContinue -ErrorVariable errs
        $to = [Diagnostics.Stopwatch]::GetTimestamp()
        $ok = @($results | Where-Object { $_.Success -eq $true }).Count
        [pscustomobject]@{ FromTicks = $from; ToTicks = $to; Succeeded = $ok; Errors = @($errs).Count }
    }
    foreach ($r in $runs) {
        $from = ($r.FromTicks - $origin) / [Diagnostics.Stopwatch]::Frequency
        $to = ($r.ToTicks - $origin) / [Diagnostics.Stopwatch]::Frequency
        [pscustomobject]@{ From = $from; To = $to; Seconds = $to - $from; Succeeded = $r.Succeeded; Errors = $r.Errors }
    }
}

# -MayFail: rows refused past the resend budget (an outage) are errors the figure allows; anything else failing means
# the case measured no transfers (calls not live), and its figures would look right while meaning nothing.
function Invoke-RateLimitCase([hashtable] $Config, [int] $Sessions, [int] $RowsEach, [switch] $MayFail) {
    Set-Sim $Config
    $before = Get-AcefoneSimulatorStats $script:Sim
    $runs = if ($Sessions -gt 1) { @(Invoke-SessionsAtOnce $Sessions $RowsEach) } else {
        $csv = New-TransferCsv (Join-Path $work 'limit-one.csv') $RowsEach
        $session = Connect-Bench
        $run = Measure-Ms { Invoke-ModuleTransfer $csv $session $sizes.RateLimitedThrottle }
        $o = Get-Outcome $run.Value
        @([pscustomobject]@{ From = 0; To = $run.Ms / 1000; Seconds = $run.Ms / 1000; Succeeded = $o.Succeeded; Errors = $o.Errors })
    }
    $after = Get-AcefoneSimulatorStats $script:Sim
    Set-Sim @{ rateLimitPerSecond = $null; rateLimitModel = 'tokenBucket'; outageSeconds = $null; rateLimitChangesTo = $null; rateLimitChangesAfterSeconds = $null }
    $received = $after.received - $before.received
    $succeeded = ($runs | Measure-Object Succeeded -Sum).Sum
    if ($succeeded -eq 0 -or (-not $MayFail -and $succeeded -ne $Sessions * $RowsEach)) {
        throw "$Sessions session(s) x $RowsEach rows: $succeeded succeeded, $(($runs | Measure-Object Errors -Sum).Sum) errors."
    }
    [pscustomobject]@{
        Runs      = $runs
        Seconds   = ($runs | Measure-Object To -Maximum).Maximum - ($runs | Measure-Object From -Minimum).Minimum
        Succeeded = ($runs | Measure-Object Succeeded -Sum).Sum
        Errors    = ($runs | Measure-Object Errors -Sum).Sum
        Share429  = if ($received) { 100.0 * ($after.tooManyRequests - $before.tooManyRequests) / $received } else { 0 }
        Received  = $received
    }
}

function Invoke-SmallLimitBenchmark {
    # Issue 22's goals: small limits, limits shared by several runbooks, an outage, a limit that drops. The simulator's
    # sliding one-second window (the strictest of its models), no Retry-After; the setting of the knobs starts the clock.
    $c = Invoke-RateLimitCase @{ latencyMs = 0; rateLimitPerSecond = 3; rateLimitBurst = $null; rateLimitModel = 'slidingWindow'; retryAfter = 'none' } 1 $sizes.SmallLimitRows
    $use = 100 * $sizes.SmallLimitRows / $c.Seconds / 3
    $detail = '{0} rows in {1:0.0} s at -ThrottleLimit 8; {2} requests, {3:0.0}% answered 429; {4} succeeded, {5} errors' -f $sizes.SmallLimitRows, $c.Seconds, $c.Received, $c.Share429, $c.Succeeded, $c.Errors
    New-Row 12 '12a. Unknown 3/s limit (sliding): use of the limit' $use '{0:0}%' '>= 95%' ($use -ge 95) $detail
    New-Row 12 '12b. Unknown 3/s limit (sliding): requests answered 429' $c.Share429 '{0:0.0}%' '<= 3%' ($c.Share429 -le 3) $detail

    foreach ($n in 2, 4) {
        $each = [int]($sizes.SharedRows / $n)
        $c = Invoke-RateLimitCase @{ latencyMs = 0; rateLimitPerSecond = 10; rateLimitBurst = $null; rateLimitModel = 'slidingWindow'; retryAfter = 'none' } $n $each
        $use = 100 * $sizes.SharedRows / $c.Seconds / 10
        $apart = ($c.Runs | Measure-Object Seconds -Maximum).Maximum / ($c.Runs | Measure-Object Seconds -Minimum).Minimum
        $goal = if ($n -eq 2) { @(90, 1.3) } else { @(85, 1.5) }
        $detail = '{0} sessions x {1} rows: {2:0.0} s in all, each {3} s; {4:0.0}% answered 429; {5} succeeded, {6} errors' -f $n, $each, $c.Seconds, (($c.Runs | ForEach-Object { '{0:0.0}' -f $_.Seconds }) -join '/'), $c.Share429, $c.Succeeded, $c.Errors
        New-Row 12 "12$([char](98 + $n / 2)). $n sessions sharing 10/s: use together" $use '{0:0}%' ">= $($goal[0])%" ($use -ge $goal[0] -and $c.Share429 -le 5) ($detail + ('; {0:0.00}x apart (goal {1}x, <= 5% 429)' -f $apart, $goal[1]))
    }

    $outage = $sizes.OutageSeconds
    $c = Invoke-RateLimitCase @{ latencyMs = 0; rateLimitPerSecond = 10; rateLimitBurst = $null; rateLimitModel = 'slidingWindow'; retryAfter = 'none'; outageSeconds = $outage } 1 $sizes.OutageRows -MayFail
    # The goal (<= 20 s for 80 rows after 8 s) is the outage, the rows at 10/s and 4 s to spare.
    $goal = $outage + $sizes.OutageRows / 10 + 4
    $detail = '{0} rows; {1} requests, {2:0.0}% answered 429; {3} succeeded, {4} errors' -f $sizes.OutageRows, $c.Received, $c.Share429, $c.Succeeded, $c.Errors
    New-Row 12 "12e. $outage s outage, then 10/s: whole run" $c.Seconds '{0:0.0} s' "<= $goal s" ($c.Seconds -le $goal) $detail

    $at = $sizes.DropAfterSeconds
    $c = Invoke-RateLimitCase @{ latencyMs = 0; rateLimitPerSecond = 20; rateLimitBurst = $null; rateLimitModel = 'slidingWindow'; retryAfter = 'none'; rateLimitChangesTo = 5; rateLimitChangesAfterSeconds = $at } 1 $sizes.DropRows
    # What a whole run at the two limits would take: $at s at 20/s, the rest at 5/s.
    $ideal = $at + ($sizes.DropRows - 20 * $at) / 5
    $use = 100 * $ideal / $c.Seconds
    $detail = '{0} rows in {1:0.0} s (ideal {2:0.0} s); {3:0.0}% answered 429; {4} succeeded, {5} errors' -f $sizes.DropRows, $c.Seconds, $ideal, $c.Share429, $c.Succeeded, $c.Errors
    New-Row 12 "12f. 20/s dropping to 5/s at $at s: ideal time vs taken" $use '{0:0}%' '>= 85%' ($use -ge 85) $detail
}

function Invoke-ImportBenchmark {
    # Issue 3's measure: what `Import-Module` adds to a bare `pwsh -NoProfile` start. A stopwatch inside each fresh
    # start times the import itself (cold: the first module the process loads); that median is the result. The
    # start-to-exit times are in the detail too, but they are far noisier here (process start varies by +-200 ms)
    # than the import they would be subtracted from. Also timed: the import warm (after PowerShell's own
    # Microsoft.PowerShell.Utility is loaded, as in any session that has run a command), and two modules that ship
    # with PowerShell: ThreadJob, a small binary module, and PSResourceGet, the binary HTTP module this one is
    # modelled on.
    # Two builds of the same PowerShell: as its releases ship it (ReadyToRun, what admins install)
    # and, when that is what runs this script, the dotnet tool's IL-only build, which JIT-compiles PowerShell's own
    # code in every process. Builds and kinds rotate so drift in the machine's load hits all of them.
    $released = & (Join-Path $BenchRoot 'ReadyToRunPwsh.ps1')
    $builds = [ordered]@{
        released = @{ Pwsh = Get-PwshCommand $released.Home; Id = '4a'; Label = 'PowerShell as released (ReadyToRun)'; Note = $released.Note; Judged = $true }
    }
    if ($released.Compiled -gt 0) {
        # Reported only: the time is PowerShell's own JIT, out of the module's reach (issue 16).
        $builds.tool = @{ Pwsh = Get-PwshCommand; Id = '4b'; Label = 'dotnet tool PowerShell (IL only)'; Judged = $false
            Note = 'the dotnet tool PowerShell that runs this script (IL only: every process JIT-compiles PowerShell itself)' }
    }
    $threadJob = if (Test-Path (Join-Path $PSHOME 'Modules/Microsoft.PowerShell.ThreadJob')) { 'Microsoft.PowerShell.ThreadJob' } else { 'ThreadJob' }
    $timed = '{0}$s = [Diagnostics.Stopwatch]::StartNew(); Import-Module -Name ''{1}'' -ErrorAction Stop; [Console]::Out.WriteLine($s.Elapsed.TotalMilliseconds); exit'
    $acefone = $ModulePath.Replace("'", "''")
    $commands = [ordered]@{
        bare          = '[Console]::Out.WriteLine(0); exit'
        module        = $timed -f '', $acefone
        modulewarm    = $timed -f '$null = Get-Date; ', $acefone
        threadjob     = $timed -f '', $threadJob
        psresourceget = $timed -f '', 'Microsoft.PowerShell.PSResourceGet'
    }
    $contenders = @(foreach ($build in $builds.Keys) { foreach ($kind in $commands.Keys) { "$build/$kind" } })
    $wallMs = @{}
    $importMs = @{}
    foreach ($c in $contenders) { $wallMs[$c] = @(); $importMs[$c] = @() }
    foreach ($build in $builds.Values) { $null = Invoke-Pwsh @('-NoProfile', '-NonInteractive', '-Command', $commands.bare) 120 $build.Pwsh }   # warm the disk cache
    for ($i = 0; $i -lt $sizes.ImportRuns; $i++) {
        for ($k = 0; $k -lt $contenders.Count; $k++) {
            $contender = $contenders[($i + $k) % $contenders.Count]
            $build, $kind = $contender -split '/'
            $run = Invoke-Pwsh @('-NoProfile', '-NonInteractive', '-Command', $commands[$kind]) 120 $builds[$build].Pwsh
            if ($run.ExitCode -ne 0) { throw "benchmark 4: pwsh ($contender) exited with $($run.ExitCode): $($run.StdErr)" }
            $wallMs[$contender] += $run.Ms
            $importMs[$contender] += [double]::Parse($run.StdOut.Trim(), [cultureinfo]::InvariantCulture)
        }
    }
    foreach ($build in $builds.Keys) {
        $median = { param($kind) Get-Median $importMs["$build/$kind"] }
        $wall = { param($kind) Get-Median $wallMs["$build/$kind"] }
        $cost = & $median module
        $bare = & $wall bare
        $detail = ('On {0}. Import-Module inside fresh starts, medians of {1}: Acefone {2:0} ms cold, {3:0} ms warm (after PowerShell''s own Utility module); ' +
            'ThreadJob {4:0} ms; PSResourceGet {5:0} ms. Start to exit: bare {6:0} ms, with Acefone +{7:0} ms, with ThreadJob +{8:0} ms, with PSResourceGet +{9:0} ms') -f
            $builds[$build].Note, $sizes.ImportRuns, $cost, (& $median modulewarm), (& $median threadjob), (& $median psresourceget),
            $bare, ((& $wall module) - $bare), ((& $wall threadjob) - $bare), ((& $wall psresourceget) - $bare)
        $pass = if ($builds[$build].Judged) { $cost -le 150 } else { $null }
        New-Row 4 "$($builds[$build].Id). Import-Module cost over a bare pwsh start, $($builds[$build].Label)" $cost '{0:0} ms' $(if ($builds[$build].Judged) { '<= 150 ms' } else { 'reported' }) $pass $detail
    }
}

function Invoke-MemoryBenchmark {
    $child = Join-Path $work 'memory-child.ps1'
    Set-Content -Path $child -Encoding utf8 -Value @'
param($ModulePath, $BaseUri, $Token, $Csv, $ThrottleLimit)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath
$session = Connect-Acefone -BaseUri $BaseUri -AccessToken $Token -PassThru
$watch = [Diagnostics.Stopwatch]::StartNew()
$count = (Import-Csv $Csv | Invoke-AcefoneTransfer -Session $session -ThrottleLimit $ThrottleLimit -ErrorAction SilentlyContinue -ErrorVariable benchErrors | Measure-Object).Count
$watch.Stop()
$process = [Diagnostics.Process]::GetCurrentProcess()
$process.Refresh()
[pscustomobject]@{ Results = $count; Errors = @($benchErrors).Count; PeakWorkingSet = $process.PeakWorkingSet64; Seconds = $watch.Elapsed.TotalSeconds } | ConvertTo-Json -Compress
'@
    Set-Sim @{ latencyMs = 0; rateLimitPerSecond = $null; rateLimitBurst = $null; recordRequests = $false }
    $outcome = @{}   # keyed by "$rows": an [ordered] dictionary would take an int key as a position
    foreach ($rows in $sizes.MemorySmallRows, $sizes.MemoryLargeRows) {
        $csv = New-TransferCsv (Join-Path $work "memory-$rows.csv") $rows
        $run = Invoke-Pwsh @('-NoProfile', '-NonInteractive', '-File', $child, $ModulePath, $script:Sim.BaseUri.AbsoluteUri, $script:Sim.ConsoleToken, $csv, $sizes.MemoryThrottle) 480
        if ($run.ExitCode -ne 0) { throw "benchmark 5: the $rows-row child exited with $($run.ExitCode): $($run.StdErr)" }
        $result = ($run.StdOut.Trim() -split "`n")[-1] | ConvertFrom-Json
        if ($result.Results -ne $rows -or $result.Errors -ne 0) { throw "benchmark 5: $rows rows gave $($result.Results) results and $($result.Errors) errors." }
        $outcome["$rows"] = $result
        Remove-Item $csv
    }
    $small = $outcome["$($sizes.MemorySmallRows)"]; $large = $outcome["$($sizes.MemoryLargeRows)"]
    $diffMb = ($large.PeakWorkingSet - $small.PeakWorkingSet) / 1MB
    $detail = 'peak working set: {0} rows {1:0.0} MB ({2:0.0} s), {3} rows {4:0.0} MB ({5:0.0} s); -ThrottleLimit {6}' -f $sizes.MemorySmallRows, ($small.PeakWorkingSet / 1MB), $small.Seconds, $sizes.MemoryLargeRows, ($large.PeakWorkingSet / 1MB), $large.Seconds, $sizes.MemoryThrottle
    New-Row 5 "5. Peak working set, $($sizes.MemoryLargeRows) rows minus $($sizes.MemorySmallRows) rows" $diffMb '{0:0.0} MB' '<= 30 MB' ($diffMb -le 30) $detail
}

. (Join-Path $BenchRoot 'WatchBenchmarks.ps1')

function Invoke-JournalBenchmark {
    $rows = $sizes.JournalRows
    Set-Sim @{ latencyMs = 0; rateLimitPerSecond = $null; rateLimitBurst = $null; recordRequests = $false }
    $csv = New-TransferCsv (Join-Path $work 'journal.csv') $rows
    $session = Connect-Bench
    $script:journalRound = 0
    # A fresh journal each round: with the last round's journal every row would be skipped, not sent.
    $withJournal = {
        param($Csv)
        $path = Join-Path $work "journal-$(($script:journalRound++)).jsonl"
        $errs = $null
        $results = Import-Csv $Csv | Invoke-AcefoneTransfer -Session $session -JournalPath $path -ErrorAction SilentlyContinue -ErrorVariable errs
        Remove-Item $path
        [pscustomobject]@{ Results = @($results); Errors = @($errs) }
    }
    $contenders = [ordered]@{ without = { param($Csv) Invoke-ModuleTransfer $Csv $session }; with = $withJournal }
    $names = @($contenders.Keys)
    foreach ($name in $names) { Assert-AllSucceeded (Get-Outcome (& $contenders[$name] $csv)) $rows "benchmark 8, warm-up, $name" }
    $times = @{ without = @(); with = @() }
    for ($round = 0; $round -lt $sizes.JournalRounds; $round++) {
        for ($k = 0; $k -lt $names.Count; $k++) {
            $name = $names[($round + $k) % $names.Count]
            $run = Measure-Ms { & $contenders[$name] $csv }
            Assert-AllSucceeded (Get-Outcome $run.Value) $rows "benchmark 8, $name"
            $times[$name] += $run.Ms
        }
    }
    # Medians, not best rounds: the two contenders differ by a few per cent, less than one lucky round on a busy machine.
    $rate = @{}; $best = @{}
    foreach ($name in $names) {
        $rate[$name] = $rows * 1000 / (Get-Median $times[$name])
        $best[$name] = $rows * 1000 / ($times[$name] | Measure-Object -Minimum).Minimum
    }
    $ratio = $rate.with / $rate.without
    $detail = 'rows/s (median of {0}, sequential): with -JournalPath {1:0}, without {2:0}; best rounds {3:0} and {4:0}; the journal writes 2 lines a row and syncs to disk once a second' -f
        $sizes.JournalRounds, $rate.with, $rate.without, $best.with, $best.without
    New-Row 8 "8. Journal overhead: $rows rows sequential, with -JournalPath vs without" ($ratio * 100) '{0:0}%' '>= 85%' ($ratio -ge 0.85) $detail
}

function Invoke-BlobJournalBenchmark {
    # Issue 21: the journal in an append blob 20 ms away (Azurite behind a latency proxy), an account limit of 50/s
    # the module is not told, -ThrottleLimit 8: group commit should keep throughput at the limit.
    Import-Module (Join-Path $RepoRoot 'build/Azurite.psm1') -Force
    if (-not ('AcefoneBench.StorageLatencyProxy' -as [type])) { Add-Type -Path (Join-Path $BenchRoot 'StorageLatencyProxy.cs') }
    $azurite = Start-Azurite
    $proxy = [AcefoneBench.StorageLatencyProxy]::new($azurite.Port, 20)
    try {
        $sas = New-AzuriteSas
        # The container through the proxy, as every journal request of the run goes.
        $container = New-AzuriteContainer -AccountUrl "http://127.0.0.1:$($proxy.Port)/devstoreaccount1" -Sas $sas
        $script:blobRound = 0
        $session = Connect-Bench
        $run = {
            param($Csv, [int] $Throttle, [bool] $Journal)
            $errs = $null
            $journalArgs = @{}
            if ($Journal) { $journalArgs['JournalPath'] = "$container/run-$(($script:blobRound++)).jsonl?$sas" }
            $results = Import-Csv $Csv | Invoke-AcefoneTransfer -Session $session -ThrottleLimit $Throttle -ErrorAction SilentlyContinue -ErrorVariable errs @journalArgs
            [pscustomobject]@{ Results = @($results); Errors = @($errs) }
        }
        $rows = $sizes.BlobJournalRows; $seqRows = $sizes.BlobJournalSeqRows
        $csv = New-TransferCsv (Join-Path $work 'blob.csv') $rows
        $seqCsv = New-TransferCsv (Join-Path $work 'blob-seq.csv') $seqRows
        Set-Sim @{ latencyMs = 0; rateLimitPerSecond = 50; rateLimitBurst = $null; retryAfter = 'none'; recordRequests = $false }
        # Warm-up: JIT, connections, the adaptive limiter's first estimate.
        foreach ($journal in $false, $true) { $null = & $run $seqCsv 8 $journal }
        $times = @{ without = @(); with = @(); seqWithout = @(); seqWith = @() }
        for ($round = 0; $round -lt $sizes.BlobJournalRounds; $round++) {
            foreach ($journal in @($false, $true) | Sort-Object { ($round + [int]$_) % 2 }) {
                $name = if ($journal) { 'with' } else { 'without' }
                $m = Measure-Ms { & $run $csv 8 $journal }
                Assert-AllSucceeded (Get-Outcome $m.Value) $rows "benchmark 11, -ThrottleLimit 8, $name"
                $times[$name] += $m.Ms
                $m = Measure-Ms { & $run $seqCsv 1 $journal }
                Assert-AllSucceeded (Get-Outcome $m.Value) $seqRows "benchmark 11, sequential, $name"
                $times['seq' + (Get-Culture).TextInfo.ToTitleCase($name)] += $m.Ms
            }
        }
        $with = $rows * 1000 / (Get-Median $times.with); $without = $rows * 1000 / (Get-Median $times.without)
        $seqCost = ((Get-Median $times.seqWith) - (Get-Median $times.seqWithout)) / $seqRows
        $ratio = $with / $without
        $detail = 'rows/s (median of {0}, -ThrottleLimit 8, {1} rows, 50/s account limit, storage 20 ms away): with the blob journal {2:0.0}, without {3:0.0}; sequential ({4} rows): {5:0.0} ms more per row with it ({6:0.0} vs {7:0.0} ms a row)' -f
            $sizes.BlobJournalRounds, $rows, $with, $without, $seqRows, $seqCost, ((Get-Median $times.seqWith) / $seqRows), ((Get-Median $times.seqWithout) / $seqRows)
        New-Row 11 "11. Blob journal, storage 20 ms away, 50/s limit, -ThrottleLimit 8: with vs without" ($ratio * 100) '{0:0}%' '>= 95%' ($ratio -ge 0.95) $detail
    }
    finally {
        $proxy.Dispose()
        Stop-Azurite $azurite
        Set-Sim @{ rateLimitPerSecond = $null; rateLimitBurst = $null }
    }
}

function Invoke-CallRecordMemoryBenchmark {
    # Issue 15: call records stream page by page, so 10k records cost no more memory than 1k.
    $child = Join-Path $work 'records-child.ps1'
    Set-Content -Path $child -Encoding utf8 -Value @'
param($ModulePath, $BaseUri, $Token, $Days)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath
$session = Connect-Acefone -BaseUri $BaseUri -AccessToken $Token -PassThru
$watch = [Diagnostics.Stopwatch]::StartNew()
# The live managed heap after a full collection every 500 records: what the listing holds while it streams (records
# buffered would be live here), without the GC's own swings that move the working set by 10-20 MB from run to run.
$script:peakHeap = 0; $script:seen = 0
$count = (Get-AcefoneCallRecord -Session $session -From ([datetime]::UtcNow.AddDays(-$Days - 1)) -To ([datetime]::UtcNow) -ErrorAction SilentlyContinue -ErrorVariable benchErrors |
    ForEach-Object { if ((++$script:seen % 500) -eq 0) { $h = [GC]::GetTotalMemory($true); if ($h -gt $script:peakHeap) { $script:peakHeap = $h } }; $_ } | Measure-Object).Count
$watch.Stop()
$process = [Diagnostics.Process]::GetCurrentProcess()
$process.Refresh()
[pscustomobject]@{ Results = $count; Errors = @($benchErrors).Count; PeakWorkingSet = $process.PeakWorkingSet64; PeakHeap = $script:peakHeap; Seconds = $watch.Elapsed.TotalSeconds } | ConvertTo-Json -Compress
'@
    $days = 10
    $outcome = @{}
    foreach ($records in $sizes.RecordsSmall, $sizes.RecordsLarge) {
        $null = Invoke-SimulatorAdmin $script:Sim 'records/generate' -Method Post -Body @{ count = $records; days = $days; clear = $true }
        $run = Invoke-Pwsh @('-NoProfile', '-NonInteractive', '-File', $child, $ModulePath, $script:Sim.BaseUri.AbsoluteUri, $script:Sim.ConsoleToken, $days) 480
        if ($run.ExitCode -ne 0) { throw "benchmark 9: the $records-record child exited with $($run.ExitCode): $($run.StdErr)" }
        $result = ($run.StdOut.Trim() -split "`n")[-1] | ConvertFrom-Json
        if ($result.Results -ne $records -or $result.Errors -ne 0) { throw "benchmark 9: $records records gave $($result.Results) results and $($result.Errors) errors." }
        $outcome["$records"] = $result
    }
    Reset-BenchSimulator
    $small = $outcome["$($sizes.RecordsSmall)"]; $large = $outcome["$($sizes.RecordsLarge)"]
    $diffMb = ($large.PeakHeap - $small.PeakHeap) / 1MB
    $detail = 'peak live managed heap (full collection every 500 records): {0} records {1:0.0} MB ({2:0.0} s), {3} records {4:0.0} MB ({5:0.0} s); peak working set {6:0.0} and {7:0.0} MB; 100 a page, a day a chunk, over {8} days' -f $sizes.RecordsSmall, ($small.PeakHeap / 1MB), $small.Seconds, $sizes.RecordsLarge, ($large.PeakHeap / 1MB), $large.Seconds, ($small.PeakWorkingSet / 1MB), ($large.PeakWorkingSet / 1MB), $days
    New-Row 9 "9. Peak managed heap, $($sizes.RecordsLarge) call records minus $($sizes.RecordsSmall)" $diffMb '{0:0.0} MB' '<= 20 MB' ($diffMb -le 20) $detail
}

function Invoke-RecordingDownloadBenchmark {
    # Issue 15: Save-AcefoneRecording at -ThrottleLimit 1 against what an admin would write: Invoke-WebRequest -OutFile per file.
    Reset-BenchSimulator
    $session = Connect-Bench
    $now = [datetime]::UtcNow
    $records = @(Get-AcefoneCallRecord -Session $session -From $now.AddDays(-3) -To $now -Status Answered | Where-Object HasRecording | Select-Object -First $sizes.RecordingFiles)
    if ($records.Count -lt $sizes.RecordingFiles) { throw "benchmark 10: only $($records.Count) recorded calls." }
    $headers = @{ Authorization = "Bearer $($script:Sim.ConsoleToken)" }
    $contenders = [ordered]@{
        module   = { param($Dir) $records | Save-AcefoneRecording -Session $session -Destination $Dir -ThrottleLimit 1 -Force | Measure-Object Length -Sum | ForEach-Object Sum }
        baseline = {
            param($Dir)
            $total = 0
            foreach ($r in $records) {
                $file = Join-Path $Dir ($r.CallId + '.bin')
                Invoke-WebRequest -Uri $r.RecordingUrl -Headers $headers -OutFile $file
                $total += (Get-Item $file).Length
            }
            $total
        }
    }
    $best = @{ module = [double]::MaxValue; baseline = [double]::MaxValue }
    $bytes = @{}
    foreach ($name in $contenders.Keys) { $dir = Join-Path $work "rec-warm-$name"; $null = New-Item -ItemType Directory -Force $dir; $null = & $contenders[$name] $dir }
    for ($round = 0; $round -lt $sizes.RecordingRounds; $round++) {
        $order = if ($round % 2) { 'baseline', 'module' } else { 'module', 'baseline' }
        foreach ($name in $order) {
            $dir = Join-Path $work "rec-$name-$round"; $null = New-Item -ItemType Directory -Force $dir
            $m = Measure-Ms { & $contenders[$name] $dir }
            $bytes[$name] = [long]$m.Value
            $best[$name] = [Math]::Min($best[$name], $m.Ms)
            Remove-Item $dir -Recurse -Force
        }
    }
    if ($bytes.module -ne $bytes.baseline -or $bytes.module -le 0) { throw "benchmark 10: the module saved $($bytes.module) bytes, the baseline $($bytes.baseline)." }
    $mbps = @{ module = $bytes.module / 1MB / ($best.module / 1000); baseline = $bytes.baseline / 1MB / ($best.baseline / 1000) }
    $ratio = $mbps.module / $mbps.baseline
    $detail = '{0} files, {1:0.0} MB a round; best of {2} rounds: module {3:0.0} MB/s, Invoke-WebRequest -OutFile {4:0.0} MB/s' -f $records.Count, ($bytes.module / 1MB), $sizes.RecordingRounds, $mbps.module, $mbps.baseline
    New-Row 10 '10. Recording download: Save-AcefoneRecording -ThrottleLimit 1 vs Invoke-WebRequest -OutFile' $ratio '{0:0.00}x' '>= 1.0x' ($ratio -ge 1.0) $detail
}

#endregion

#region report

function Get-MachineDescription {
    $cpu = 'unknown CPU'
    $memory = [GC]::GetGCMemoryInfo().TotalAvailableMemoryBytes
    if (Test-Path /proc/cpuinfo) {
        $model = Select-String -Path /proc/cpuinfo -Pattern '^model name\s*:\s*(.+)$' | Select-Object -First 1
        if ($model) { $cpu = $model.Matches[0].Groups[1].Value.Trim() }
        $total = Select-String -Path /proc/meminfo -Pattern '^MemTotal:\s*(\d+) kB' | Select-Object -First 1
        if ($total) { $memory = [long]$total.Matches[0].Groups[1].Value * 1KB }
    }
    elseif ($env:PROCESSOR_IDENTIFIER) { $cpu = $env:PROCESSOR_IDENTIFIER }
    $load = if (Test-Path /proc/loadavg) { ' Load average at start: ' + ((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' ' } else { '' }
    [ordered]@{
        CPU        = $cpu
        Cores      = [Environment]::ProcessorCount
        Memory     = '{0:0.0} GB' -f ($memory / 1GB)
        OS         = [Runtime.InteropServices.RuntimeInformation]::OSDescription
        '.NET'     = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        PowerShell = "$($PSVersionTable.PSVersion) ($($PSVersionTable.PSEdition))"
        Note       = "Shared with other work while measuring.$load"
    }
}

function Format-Table-Text($Rows) {
    $columns = 'Benchmark', 'Measured', 'Target', 'Result'
    $width = @{}
    foreach ($c in $columns) { $width[$c] = (@($Rows | ForEach-Object { "$($_.$c)".Length }) + $c.Length | Measure-Object -Maximum).Maximum }
    $line = { param($values) ($columns | ForEach-Object { "$($values[$_])".PadRight($width[$_]) }) -join '  ' }
    $header = @{}; $rule = @{}
    foreach ($c in $columns) { $header[$c] = $c; $rule[$c] = '-' * $width[$c] }
    @(& $line $header; & $line $rule) + @($Rows | ForEach-Object { $r = $_; $v = @{}; foreach ($c in $columns) { $v[$c] = $r.$c }; & $line $v })
}

# The README's prose (what each benchmark does, what bounds it) is written by hand; the script replaces only the block
# between the two markers with this run's machine, table and details.
$script:ResultsStart = '<!-- results: written by Invoke-Benchmarks.ps1 -->'
$script:ResultsEnd = '<!-- end of results -->'

function Write-Readme([string] $Path, $Rows, $Machine, [timespan] $Elapsed) {
    $md = [Text.StringBuilder]::new()
    $null = $md.AppendLine($script:ResultsStart)
    $null = $md.AppendLine("## Results ($(if ($Quick) { 'QUICK sizes: a smoke check, not a measurement' } else { 'full run' }))").AppendLine()
    $null = $md.AppendLine("Measured $((Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm')) UTC in $([Math]::Round($Elapsed.TotalMinutes, 1)) minutes.").AppendLine()
    $null = $md.AppendLine('| machine | |').AppendLine('|---|---|')
    foreach ($entry in $Machine.GetEnumerator()) { $null = $md.AppendLine("| $($entry.Key) | $($entry.Value) |") }
    $null = $md.AppendLine()
    $null = $md.AppendLine('| benchmark | measured | target | result |').AppendLine('|---|---|---|---|')
    foreach ($r in $Rows) { $null = $md.AppendLine("| $($r.Benchmark) | $($r.Measured) | $($r.Target) | $($r.Result) |") }
    $null = $md.AppendLine().AppendLine('Details:').AppendLine()
    foreach ($r in $Rows) { $null = $md.AppendLine("- $($r.Benchmark): $($r.Detail)") }
    $null = $md.AppendLine().AppendLine('Sizes: ' + (($sizes.GetEnumerator() | ForEach-Object { "$($_.Key) $($_.Value)" }) -join ', ') + '.')
    $null = $md.Append($script:ResultsEnd)
    $results = $md.ToString()

    $existing = if (Test-Path $Path) { Get-Content -Raw $Path } else { "# Benchmarks`n`n" }
    $pattern = '(?s)' + [regex]::Escape($script:ResultsStart) + '.*?' + [regex]::Escape($script:ResultsEnd)
    $text = if ($existing -match $pattern) { [regex]::Replace($existing, $pattern, { param($m) $results }) }
    else { $existing.TrimEnd() + "`n`n" + $results + "`n" }
    Set-Content -Path $Path -Value $text -Encoding utf8 -NoNewline
}

#endregion

$started = [Diagnostics.Stopwatch]::StartNew()
$machine = Get-MachineDescription
$rows = [Collections.Generic.List[object]]::new()
$script:Sim = $null
$benchmarks = [ordered]@{
    '1. Transfer throughput'   = { Invoke-TransferBenchmark }
    '2. Latency, concurrency'  = { Invoke-LatencyBenchmark }
    '3. Unknown rate limit'    = { Invoke-RateLimitBenchmark }
    '4. Import-Module cost'    = { Invoke-ImportBenchmark }
    '5. Memory, 10k vs 100k'   = { Invoke-MemoryBenchmark }
    '6. Watch, diff per poll'  = { Invoke-WatchDiffBenchmark }
    '7. Watch, memory'         = { Invoke-WatchMemoryBenchmark }
    '8. Journal overhead'      = { Invoke-JournalBenchmark }
    '9. Memory, call records'  = { Invoke-CallRecordMemoryBenchmark }
    '10. Recording downloads'  = { Invoke-RecordingDownloadBenchmark }
    '11. Blob journal'         = { Invoke-BlobJournalBenchmark }
    '12. Small, shared limits' = { Invoke-SmallLimitBenchmark }
}
try {
    $script:Sim = Start-AcefoneSimulator -InlineScheduling
    $script:CallCount = (@($sizes.TransferRows, $sizes.LatencyRows, $sizes.LatencySequentialRows, $sizes.RateLimitedRows, $sizes.SmallLimitRows, $sizes.SharedRows, $sizes.DropRows, $sizes.MemorySmallRows, $sizes.MemoryLargeRows) | Measure-Object -Maximum).Maximum
    Reset-BenchSimulator
    $i = 0
    foreach ($entry in $benchmarks.GetEnumerator()) {
        $i++
        if ($Only -and $i -notin $Only) { continue }
        Write-Host "== $($entry.Key)" -ForegroundColor Cyan
        try {
            foreach ($row in & $entry.Value) { $rows.Add($row); Write-Host "   $($row.Benchmark): $($row.Measured) (target $($row.Target)) $($row.Result); $($row.Detail)" }
        }
        catch {
            Write-Warning "$($entry.Key) failed: $_"
            $rows.Add([pscustomobject]@{ PSTypeName = 'Acefone.BenchmarkResult'; Id = $i; Benchmark = $entry.Key; Measured = 'error'; Target = ''; Result = 'ERROR'; Value = [double]::NaN; Detail = "$_" })
        }
    }
}
finally {
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
    Remove-Module Acefone -ErrorAction SilentlyContinue
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
$started.Stop()

Write-Host ''
Write-Host "Acefone benchmarks$(if ($Quick) { ' (QUICK sizes: a smoke check, not a measurement)' }), $([Math]::Round($started.Elapsed.TotalMinutes, 1)) min" -ForegroundColor Cyan
Format-Table-Text $rows | ForEach-Object { Write-Host $_ }
if ($ReadmePath) {
    Write-Readme $ReadmePath $rows $machine $started.Elapsed
    Write-Host "Written to $ReadmePath"
}
if ($PassThru) { $rows }
