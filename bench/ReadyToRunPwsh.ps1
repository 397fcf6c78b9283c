<#
.SYNOPSIS
    Gives the home folder of a PowerShell compiled the way PowerShell's releases are: ReadyToRun.
.DESCRIPTION
    PowerShell's own release packages (MSI, zip, deb, rpm, tar.gz: what admins install) ship their assemblies
    ReadyToRun-compiled (PowerShell/PowerShell#12361). The `PowerShell` dotnet tool package, which this repository
    uses, ships them as IL only (dotnet/sdk#10801), so every process JIT-compiles PowerShell's own code: importing any
    module costs about twice what it costs on a released PowerShell. Benchmark 4 measures on both.

    When the running PowerShell is already ReadyToRun, it is the answer. Otherwise its $PSHOME is copied once to
    obj/bench/pwsh-<version>-readytorun and every IL-only assembly at its top level is compiled with crossgen2, the
    compiler the .NET SDK itself uses for PublishReadyToRun (fetched from the NuGet feed by restoring
    bench/ReadyToRun/ReadyToRun.csproj). Nothing else changes: same files, same versions, same modules.

    Returns that folder ($PSHOME of the PowerShell to start), how many assemblies were compiled (0: the running
    PowerShell), and a note for the benchmark's detail.
.EXAMPLE
    $released = ./bench/ReadyToRunPwsh.ps1; dotnet (Join-Path $released.Home 'pwsh.dll') -NoProfile -Command '$PSVersionTable'
#>
[CmdletBinding()]
param(
    # Where the compiled copy is kept between runs.
    [string] $CacheRoot = (Join-Path (Split-Path $PSScriptRoot -Parent) 'obj/bench')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Test-ReadyToRun([string] $Path) {
    # A ReadyToRun image carries native code, announced by the CLI header's ManagedNativeHeader directory.
    $stream = [IO.File]::OpenRead($Path)
    try {
        $reader = [Reflection.PortableExecutable.PEReader]::new($stream)
        $cor = $reader.PEHeaders.CorHeader
        if (-not $cor -or -not $reader.HasMetadata) { return $null }   # native, or not an assembly
        return $cor.ManagedNativeHeaderDirectory.Size -gt 0
    }
    catch [BadImageFormatException] { return $null }
    finally { $stream.Dispose() }
}

function Get-DotnetPath {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { return $process }
    return (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
}

function Get-Crossgen2([string] $Dotnet, [string] $TargetFramework) {
    $project = Join-Path $PSScriptRoot 'ReadyToRun/ReadyToRun.csproj'
    $restore = & $Dotnet restore $project "-p:TargetFramework=$TargetFramework" --nologo -v quiet 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Restoring $project (to fetch crossgen2) failed: $($restore -join [Environment]::NewLine)" }
    $json = & $Dotnet msbuild $project -nologo "-p:TargetFramework=$TargetFramework" '-t:ResolveFrameworkReferences;ResolveReadyToRunCompilers' -getItem:Crossgen2Tool 2>&1
    if ($LASTEXITCODE -ne 0) { throw "The SDK did not name its crossgen2: $($json -join [Environment]::NewLine)" }
    $tool = @(($json -join "`n" | ConvertFrom-Json).Items.Crossgen2Tool)[0]
    return [pscustomobject]@{ Path = $tool.Identity; TargetOS = $tool.TargetOS; TargetArch = $tool.TargetArch }
}

if (Test-ReadyToRun ([psobject].Assembly.Location)) {
    return [pscustomobject]@{ Home = $PSHOME; Compiled = 0; Note = 'the running PowerShell, already ReadyToRun' }
}

$target = Join-Path $CacheRoot "pwsh-$($PSVersionTable.PSVersion)-readytorun"
$note = Join-Path $target 'readytorun.txt'
if (-not (Test-Path $note)) {
    $framework = "net$([Environment]::Version.Major).0"
    $crossgen = Get-Crossgen2 (Get-DotnetPath) $framework
    $partial = "$target.partial"
    if (Test-Path $partial) { Remove-Item $partial -Recurse -Force }
    if (Test-Path $target) { Remove-Item $target -Recurse -Force }
    New-Item -ItemType Directory -Force $CacheRoot | Out-Null
    Copy-Item $PSHOME $partial -Recurse
    $runtime = [Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
    $ilOnly = @(Get-ChildItem $partial -Filter *.dll | Where-Object { (Test-ReadyToRun $_.FullName) -eq $false })
    Write-Host "Compiling $($ilOnly.Count) IL-only assemblies of PowerShell $($PSVersionTable.PSVersion) with crossgen2 (once; kept in $target)..."
    # A response file, because PowerShell on Unix would expand the '*.dll' of a native argument itself.
    $options = Join-Path $CacheRoot 'crossgen2.rsp'
    Set-Content $options -Value @('-r', (Join-Path $runtime '*.dll'), '-r', (Join-Path $PSHOME '*.dll'),
        '--targetos', $crossgen.TargetOS, '--targetarch', $crossgen.TargetArch, '-O')
    $compiled = $ilOnly | ForEach-Object -ThrottleLimit ([Environment]::ProcessorCount) -Parallel {
        $out = "$($_.FullName).r2r"
        $log = & $using:crossgen.Path $_.FullName -o $out "@$using:options" 2>&1
        if ($LASTEXITCODE -eq 0 -and (Test-Path $out)) { Move-Item $out $_.FullName -Force; $_.Name }
        else { Write-Warning "crossgen2 left $($_.Name) as IL: $($log -join ' ')"; Remove-Item $out -ErrorAction SilentlyContinue }
    }
    Set-Content (Join-Path $partial 'readytorun.txt') -Value @(
        "A copy of $PSHOME (PowerShell $($PSVersionTable.PSVersion)) with its IL-only assemblies compiled ReadyToRun by"
        "$($crossgen.Path), for bench/Invoke-Benchmarks.ps1 benchmark 4. Compiled ($(@($compiled).Count)):"
        @($compiled | Sort-Object)
    )
    Move-Item $partial $target
}
$count = @(Get-Content $note | Select-Object -Skip 2).Count
[pscustomobject]@{
    Home     = $target
    Compiled = $count
    Note     = "a copy of the running PowerShell with its $count IL-only assemblies compiled ReadyToRun, as PowerShell's releases ship them"
}
