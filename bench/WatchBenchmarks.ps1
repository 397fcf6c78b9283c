# Benchmarks 6 and 7 (issue 14): Watch-AcefoneLiveCall's diffing cost and memory. Dot-sourced by Invoke-Benchmarks.ps1,
# whose helpers ($sizes, $work, New-Row, Get-Median, Invoke-Pwsh) they use. Each starts its own simulator: the shared
# one holds as many generated calls as the largest CSV, far more than one live-call listing should.

function Start-WatchSimulator([int] $Calls) {
    $sim = Start-AcefoneSimulator -InlineScheduling
    Set-AcefoneSimulatorConfig $sim @{ recordRequests = $false } | Out-Null
    # The 5 seeded calls plus generated ones: $Calls in all.
    if ($Calls -gt 5) { $null = Add-AcefoneSimulatorCall $sim -Generate ($Calls - 5) -Prefix '1700000000.' }
    $sim
}

# Steps for the simulator's scenario: before each listing, end the oldest $PerPoll generated calls, start as many new
# ones and change the state of as many more, so every poll has $PerPoll each of Started, Ended and Changed.
function New-ChurnSteps([int] $Calls, [int] $Polls, [int] $PerPoll, [string] $Prefix) {
    $steps = [Collections.Generic.List[object]]::new()
    $oldest = 1; $next = $Calls
    for ($poll = 2; $poll -le $Polls; $poll++) {
        for ($k = 0; $k -lt $PerPoll; $k++) {
            $steps.Add(@{ listing = $poll; end = "$Prefix$oldest" }); $oldest++
            $next++; $steps.Add(@{ listing = $poll; add = @{ call_id = "$Prefix$next"; state = 'Ringing'; agent_name = 'Agent 010' } })
            $steps.Add(@{ listing = $poll; change = @{ call_id = "$Prefix$($oldest + $PerPoll + $k)"; state = $(if ($poll % 2) { 'Answered' } else { 'On Hold' }) } })
        }
    }
    $steps
}

function Invoke-WatchDiffBenchmark {
    $calls = $sizes.WatchCalls
    $sim = Start-WatchSimulator $calls
    try {
        $session = Connect-Acefone -BaseUri $sim.BaseUri -AccessToken $sim.ConsoleToken -PassThru
        $none = [Threading.CancellationToken]::None
        # The comma keeps the list one object: PowerShell would otherwise enumerate it into an object[].
        $poll = { , $session.GetLiveCallsAsync($null, $null, $none).GetAwaiter().GetResult() }
        # Two listings that differ as a busy minute would: a few calls started, ended and changed.
        $steps = New-ChurnSteps $calls 3 $sizes.WatchChurn '1700000000.'
        $null = Invoke-SimulatorAdmin $sim 'calls/scenario' -Method Post -Body @{ steps = @($steps) }
        $first = & $poll; $second = & $poll
        $listings = $first, $second
        if ($listings[0].Count -ne $calls) { throw "benchmark 6: the simulator listed $($listings[0].Count) calls, not $calls." }
        $null = Invoke-SimulatorAdmin $sim 'calls/scenario' -Method Post -Body @{ steps = @() }
        $tracker = [Acefone.Client.LiveCallTracker]::new()
        $null = $tracker.Update($listings[1], [DateTime]::UtcNow, $false, $null)
        for ($i = 0; $i -lt 3; $i++) { $null = & $poll; $null = $tracker.Update($listings[$i % 2], [DateTime]::UtcNow, $false, $null) }   # warm-up

        $pollMs = [Collections.Generic.List[double]]::new(); $diffMs = [Collections.Generic.List[double]]::new(); $events = 0
        for ($round = 0; $round -lt $sizes.WatchRounds; $round++) {
            # Rotating order, in one process: a poll and a diff per round.
            $watch = [Diagnostics.Stopwatch]::StartNew(); $null = & $poll; $watch.Stop(); $pollMs.Add($watch.Elapsed.TotalMilliseconds)
            $watch.Restart(); $out = $tracker.Update($listings[$round % 2], [DateTime]::UtcNow, $false, $null); $watch.Stop(); $diffMs.Add($watch.Elapsed.TotalMilliseconds)
            $events = $out.Count
        }
        $bestPoll = ($pollMs | Measure-Object -Minimum).Minimum; $bestDiff = ($diffMs | Measure-Object -Minimum).Minimum
        $ratio = 100 * $bestDiff / $bestPoll
        $detail = ('{0} live calls, {1} events per diff; best of {2}: poll (HTTP round trip and parsing) {3:0.0} ms, diff {4:0.00} ms; medians {5:0.0} ms and {6:0.00} ms ({7:0.0}%)' -f
            $calls, $events, $sizes.WatchRounds, $bestPoll, $bestDiff, (Get-Median $pollMs), (Get-Median $diffMs), (100 * (Get-Median $diffMs) / (Get-Median $pollMs)))
        Disconnect-Acefone -Session $session
        New-Row 6 "6. Watch: diffing one poll of $calls live calls vs its HTTP round trip" $ratio '{0:0.0}%' '<= 10%' ($ratio -le 10) $detail
    }
    finally { Stop-AcefoneSimulator $sim }
}

function Invoke-WatchMemoryBenchmark {
    $calls = $sizes.WatchMemoryCalls
    $sim = Start-WatchSimulator $calls
    try {
        $steps = New-ChurnSteps $calls $sizes.WatchMemoryLargePolls $sizes.WatchMemoryChurn '1700000000.'
        $null = Invoke-SimulatorAdmin $sim 'calls/scenario' -Method Post -Body @{ steps = @($steps) }
        $child = Join-Path $work 'watch-memory-child.ps1'
        Set-Content -Path $child -Encoding utf8 -Value @'
param($ModulePath, $BaseUri, $Token, $SmallPolls, $LargePolls)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$session = Connect-Acefone -BaseUri $BaseUri -AccessToken $Token -PassThru
# The engine's watch, as Watch-AcefoneLiveCall runs it, without the cmdlet's 1 s minimum between polls.
$options = [Acefone.Client.LiveCallWatchOptions]::new(); $options.Interval = [timespan]::FromMilliseconds(1)
$watch = [Acefone.Client.LiveCallWatch]::new($session, $options, $null)
$none = [Threading.CancellationToken]::None
$events = 0
function Measure-Now {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    $process = [Diagnostics.Process]::GetCurrentProcess(); $process.Refresh()
    [pscustomobject]@{ Polls = $watch.Polls; Heap = [GC]::GetTotalMemory($true); WorkingSet = $process.WorkingSet64; Live = $watch.LiveCalls
        Committed = [GC]::GetGCMemoryInfo().TotalCommittedBytes; Jitted = [Runtime.JitInfo]::GetCompiledMethodCount($false) }
}
$marks = @()
while ($watch.Polls -lt $LargePolls) {
    $poll = $watch.PollAsync($null, $none).GetAwaiter().GetResult()
    if ($poll.Failure) { throw "poll $($poll.Number) failed: $($poll.Failure.Message)" }
    $events += $poll.Events.Count
    if ($watch.Polls -eq $SmallPolls) { $marks += Measure-Now }
}
$marks += Measure-Now
[pscustomobject]@{ Small = $marks[0]; Large = $marks[1]; Events = $events } | ConvertTo-Json -Compress -Depth 3
'@
        $run = Invoke-Pwsh @('-NoProfile', '-NonInteractive', '-File', $child, $ModulePath, $sim.BaseUri.AbsoluteUri, $sim.ConsoleToken, $sizes.WatchMemorySmallPolls, $sizes.WatchMemoryLargePolls) 600
        if ($run.ExitCode -ne 0) { throw "benchmark 7: the child exited with $($run.ExitCode): $($run.StdErr)" }
        $result = ($run.StdOut.Trim() -split "`n")[-1] | ConvertFrom-Json
        # The managed heap after full collections is where the watch keeps its state; the working set also grows with
        # the JIT and the GC's own budget (see bench/README.md), so it is in the detail.
        $diffMb = ($result.Large.Heap - $result.Small.Heap) / 1MB
        $detail = ('{0} live calls, {1} started, {1} ended and {1} changed per poll ({2} events in all); after {3} polls: working set {4:0.0} MB, managed heap {5:0.00} MB, GC committed {6:0.0} MB; after {7} polls: {8:0.0} MB, {9:0.00} MB and {10:0.0} MB (working set difference {11:0.0} MB); methods JIT-compiled between: {12}; calls kept at the end: {13}' -f
            $calls, $sizes.WatchMemoryChurn, $result.Events, $result.Small.Polls, ($result.Small.WorkingSet / 1MB), ($result.Small.Heap / 1MB), ($result.Small.Committed / 1MB),
            $result.Large.Polls, ($result.Large.WorkingSet / 1MB), ($result.Large.Heap / 1MB), ($result.Large.Committed / 1MB), (($result.Large.WorkingSet - $result.Small.WorkingSet) / 1MB),
            ($result.Large.Jitted - $result.Small.Jitted), $result.Large.Live)
        New-Row 7 "7. Watch: managed memory after $($sizes.WatchMemoryLargePolls) polls minus after $($sizes.WatchMemorySmallPolls)" $diffMb '{0:0.00} MB' '<= 10 MB' ($diffMb -le 10) $detail
    }
    finally { Stop-AcefoneSimulator $sim }
}
