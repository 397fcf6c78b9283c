<#
.SYNOPSIS
    The one entry point: Build, Test, Demo, Bench, Package, Mutate (mutation testing of the engine's safety logic; too slow for CI).
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package', 'Mutate', 'Clean')]
    [string] $Task = 'Build',

    # Test against another copy of the module (e.g. one installed from the packaged .nupkg).
    [string] $ModulePath,

    # Quick benchmark sizes, for trying the bench task out.
    [switch] $Quick,

    # Mutate: only these files (Stryker globs such as '**/Errors/Outcome.cs') instead of stryker-config.json's list.
    [string[]] $MutateFile,

    # Mutate: only the tests this filter selects (dotnet test syntax), so one file's run takes minutes, not an hour.
    [string] $TestFilter
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'Acefone'
$Obj = Join-Path $Root 'obj'
$Configuration = 'Release'
Import-Module (Join-Path $Root 'build/ShippedDlls.psm1') -Force
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
if ([Console]::IsOutputRedirected -and (Get-Variable PSStyle -ErrorAction SilentlyContinue)) { $PSStyle.OutputRendering = 'PlainText' }
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    $props = [xml](Get-Content -Raw (Join-Path $Root 'Directory.Build.props'))
    $version = @($props.Project.PropertyGroup | ForEach-Object { $_.Version } | Where-Object { $_ })[0]
    if (-not $version) { throw 'Directory.Build.props has no <Version>.' }
    $version
}

function Invoke-BuildTask {
    $version = Get-ModuleVersion
    Write-Host "Building Acefone $version" -ForegroundColor Cyan
    Invoke-Dotnet build (Join-Path $Root 'Acefone.PowerShell.sln') -c $Configuration --nologo -v quiet '-clp:ErrorsOnly'
    $publish = Join-Path $Obj 'publish/Acefone.PowerShell'
    Invoke-Dotnet publish (Join-Path $Root 'src/Acefone.PowerShell/Acefone.PowerShell.csproj') -c $Configuration -o $publish --no-build --nologo -v quiet

    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $dependencies = New-Item -ItemType Directory -Force (Join-Path $ModuleOut 'dependencies')
    Assert-ShippedDll -Published @(Get-ChildItem $publish -Filter *.dll | ForEach-Object Name)
    $shipped = Get-ShippedDll
    foreach ($name in $shipped.Own) { Copy-Item (Join-Path $publish $name) $ModuleOut }
    foreach ($name in $shipped.Dependencies) { Copy-Item (Join-Path $publish $name) $dependencies }
    Copy-Item (Join-Path $Root 'src/Acefone.PowerShell/Acefone.format.ps1xml') $ModuleOut
    $manifest = Get-Content -Raw (Join-Path $Root 'Acefone.psd1')
    $manifest = $manifest -replace "ModuleVersion(\s*)=\s*'[^']*'", "ModuleVersion`$1= '$version'"
    Set-Content -Path (Join-Path $ModuleOut 'Acefone.psd1') -Value $manifest -Encoding utf8

    $helpBuilder = Join-Path $Root 'build/Build-Help.ps1'
    if (Test-Path $helpBuilder) { & $helpBuilder -SourcePath (Join-Path $Root 'docs') -ModulePath $ModuleOut }
    Write-Host "Module ready at $ModuleOut" -ForegroundColor Green
}

function Get-TrxCounts([string] $Path) {
    $trx = [xml](Get-Content -Raw $Path)
    $counters = $trx.TestRun.ResultSummary.Counters
    $failedNames = @($trx.TestRun.Results.UnitTestResult | Where-Object { $_.outcome -ne 'Passed' -and $_.outcome -ne 'NotExecuted' } | ForEach-Object {
        $message = $_.Output.ErrorInfo.Message
        $firstLine = if ($message) { ($message -split "`n")[0].Trim() } else { $_.outcome }
        "$($_.testName): $firstLine"
    })
    [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted; FailedTests = $failedNames }
}

function Invoke-TestTask {
    Invoke-BuildTask
    $module = if ($ModulePath) { (Resolve-Path $ModulePath).Path } else { $ModuleOut }
    $results = Join-Path $Obj 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Force $results | Out-Null
    $totals = [ordered]@{}
    # The blob journal's tests run against Azurite (Node.js + npm): one copy for the whole run, stopped at the end.
    Import-Module (Join-Path $Root 'build/Azurite.psm1') -Force
    $azurite = Start-Azurite
    $env:ACEFONE_AZURITE_BLOB_URL = $azurite.AccountUrl
    try {
    foreach ($project in Get-ChildItem (Join-Path $Root 'tests') -Recurse -Filter '*.Tests.csproj') {
        $name = $project.BaseName
        Write-Host "`n== xunit: $name" -ForegroundColor Cyan
        $env:ACEFONE_TEST_MODULE_PATH = $module
        & dotnet test $project.FullName -c $Configuration --no-build --nologo -v quiet `
            --logger "trx;LogFileName=$name.trx" --logger 'console;verbosity=minimal' --results-directory $results
        $trx = Join-Path $results "$name.trx"
        if (Test-Path $trx) { $totals[$name] = Get-TrxCounts $trx }
        else { $totals[$name] = [pscustomobject]@{ Passed = 0; Failed = 1; FailedTests = @() }; Write-Warning "$name produced no results (exit code $LASTEXITCODE)." }
    }

    Write-Host "`n== Pester" -ForegroundColor Cyan
    Invoke-Dotnet restore (Join-Path $Root 'build/tools/Tools.csproj') --nologo -v quiet
    $pester = (& dotnet msbuild (Join-Path $Root 'build/tools/Tools.csproj') -t:PrintPesterPath -nologo | Select-String 'PESTER_PATH=(.+)$').Matches[0].Groups[1].Value.Trim()
    $pesterResult = Join-Path $results 'pester.json'
    # A child process: the suite imports, removes and re-imports the module and sets environment variables. It runs in
    # the edition running this script, so `powershell.exe ./build.ps1 Test` tests the module on Windows PowerShell 5.1.
    $suite = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'tests/pester/Invoke-PesterSuite.ps1'), '-PesterPath', $pester, '-ModulePath', $module, '-ResultPath', $pesterResult)
    if ($PSVersionTable.PSEdition -eq 'Desktop') { & (Get-Process -Id $PID).Path @suite }
    else { & dotnet pwsh @suite }
    if (Test-Path $pesterResult) {
        $counts = Get-Content -Raw $pesterResult | ConvertFrom-Json
        $totals['Pester'] = [pscustomobject]@{ Passed = [int]$counts.Passed; Failed = [int]$counts.Failed; FailedTests = @($counts.FailedTests) }
    }
    else { $totals['Pester'] = [pscustomobject]@{ Passed = 0; Failed = 1; FailedTests = @() }; Write-Warning "Pester produced no results (exit code $LASTEXITCODE)." }
    }
    finally {
        Stop-Azurite $azurite
        Remove-Item Env:ACEFONE_AZURITE_BLOB_URL -ErrorAction SilentlyContinue
    }

    Write-Host "`n== Totals" -ForegroundColor Cyan
    foreach ($entry in $totals.GetEnumerator()) { '{0,-28} {1,5} passed, {2,3} failed' -f $entry.Key, $entry.Value.Passed, $entry.Value.Failed | Write-Host }
    # Failures are named again here, next to the totals: a CI log is often read from its tail only.
    foreach ($entry in $totals.GetEnumerator()) {
        foreach ($test in $entry.Value.FailedTests) { if ($test) { Write-Host "FAILED [$($entry.Key)] $test" -ForegroundColor Red } }
    }
    $passed = ($totals.Values | Measure-Object Passed -Sum).Sum
    $failed = ($totals.Values | Measure-Object Failed -Sum).Sum
    Write-Output "$passed passed, $failed failed"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-DemoTask {
    Invoke-BuildTask
    & (Join-Path $Root 'samples/Invoke-Demo.ps1') -ModulePath $ModuleOut
    if (-not $?) { exit 1 }
}

function Invoke-BenchTask {
    Invoke-BuildTask
    & (Join-Path $Root 'bench/Invoke-Benchmarks.ps1') -ModulePath $ModuleOut -Quick:$Quick
}

# Mutation testing (Stryker.NET) of the files whose logic decides safety: what may be resent, what is redacted, what is
# refused, how fast to send. The list is tests/Acefone.Client.Tests/stryker-config.json. Prints each file's score.
function Invoke-MutateTask {
    $tests = Join-Path $Root 'tests/Acefone.Client.Tests'
    $output = Join-Path $Obj 'mutation'
    if (Test-Path $output) { Remove-Item $output -Recurse -Force }
    # Stryker finds the SDK by running `dotnet --info` (Buildalyzer) and gives up after 10 s with "Could not find build
    # environment"; on 2 loaded cores that wait can run out. Give it two minutes unless the caller chose.
    if (-not $env:DOTNET_INFO_WAIT_TIME) { $env:DOTNET_INFO_WAIT_TIME = '120000' }
    $arguments = @('--config-file', (Join-Path $tests 'stryker-config.json'), '--output', $output)
    foreach ($glob in $MutateFile) { $arguments += @('--mutate', $glob) }
    if ($TestFilter) { $arguments += @('--test-case-filter', $TestFilter) }
    Push-Location $tests
    try { Invoke-Dotnet stryker @arguments }
    finally { Pop-Location }
    $report = Get-Content -Raw (Join-Path $output 'reports/mutation-report.json') | ConvertFrom-Json
    $rows = foreach ($file in $report.files.PSObject.Properties) {
        $status = @($file.Value.mutants | ForEach-Object status)
        $detected = @($status | Where-Object { $_ -in 'Killed', 'Timeout' }).Count
        $missed = @($status | Where-Object { $_ -in 'Survived', 'NoCoverage' }).Count
        if ($detected + $missed -eq 0 -and $MutateFile) { continue }  # a file this run did not mutate
        [pscustomobject]@{
            File      = [IO.Path]::GetRelativePath($Root, $file.Name)
            Killed    = $detected
            Survived  = @($status | Where-Object { $_ -eq 'Survived' }).Count
            Uncovered = @($status | Where-Object { $_ -eq 'NoCoverage' }).Count
            Ignored   = @($status | Where-Object { $_ -in 'Ignored', 'CompileError' }).Count
            Score     = if ($detected + $missed) { '{0:0}%' -f (100 * $detected / ($detected + $missed)) } else { 'n/a' }
        }
    }
    $rows | Sort-Object File | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
    Write-Host "HTML report: $(Join-Path $output 'reports/mutation-report.html')"
}

function Invoke-PackageTask {
    Invoke-BuildTask
    & (Join-Path $Root 'build/Package.ps1') -ModulePath $ModuleOut -OutputPath $Out -Version (Get-ModuleVersion)
}

switch ($Task) {
    'Build' { Invoke-BuildTask }
    'Test' { Invoke-TestTask }
    'Demo' { Invoke-DemoTask }
    'Bench' { Invoke-BenchTask }
    'Package' { Invoke-PackageTask }
    'Mutate' { Invoke-MutateTask }
    'Clean' { foreach ($path in $Out, $Obj) { if (Test-Path $path) { Remove-Item $path -Recurse -Force } } }
}
