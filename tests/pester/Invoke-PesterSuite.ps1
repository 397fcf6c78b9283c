<#
.SYNOPSIS
    Runs the Pester suite against a built module and writes the counts for build.ps1 to total.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [string[]] $Path = @($PSScriptRoot)
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:ACEFONE_TEST_MODULE_PATH = (Resolve-Path $ModulePath).Path

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
$configuration.TestResult.Enabled = $false
$result = Invoke-Pester -Configuration $configuration

$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
# Each file's run time, slowest first, printed and kept in the result: where the suite's minutes go (tests/README.md).
$files = [ordered]@{}
foreach ($container in $result.Containers | Sort-Object Duration -Descending) {
    $files[(Split-Path $container.Item -Leaf)] = [math]::Round($container.Duration.TotalSeconds, 1)
}
Write-Host "`nSeconds per file:"
foreach ($entry in $files.GetEnumerator()) { Write-Host ('{0,8:n1}  {1}' -f $entry.Value, $entry.Key) }
# Failed tests by name (and failed blocks or files, whose tests never ran): build.ps1 repeats them beside the totals.
$failedTests = @($result.Failed | ForEach-Object { '{0}: {1}' -f $_.ExpandedPath, (($_.ErrorRecord | Select-Object -First 1 | ForEach-Object { "$_" }) -split "`n")[0] })
$failedTests += @($result.FailedBlocks | ForEach-Object { '{0} (block): {1}' -f ($_.Path -join '.'), (($_.ErrorRecord | Select-Object -First 1 | ForEach-Object { "$_" }) -split "`n")[0] })
$failedTests += @($result.FailedContainers | ForEach-Object { '{0} (file): {1}' -f $_.Item, (($_.ErrorRecord | Select-Object -First 1 | ForEach-Object { "$_" }) -split "`n")[0] })
[ordered]@{ Passed = $result.PassedCount; Failed = $failed; FailedTests = $failedTests; Skipped = $result.SkippedCount; Seconds = [math]::Round($result.Duration.TotalSeconds, 1); Files = $files } |
    ConvertTo-Json | Set-Content -Path $ResultPath -Encoding utf8
exit ([int]($failed -gt 0))
