# Starts and drives the Acefone simulator (tests/Acefone.Simulator) as a separate process on 127.0.0.1.
# Used by the demo, the Pester suite and the benchmarks. It only ever talks to loopback.

$script:Root = Split-Path $PSScriptRoot -Parent

function Start-AcefoneSimulator {
    [CmdletBinding()]
    param(
        [int] $TimeoutSec = 60,
        # Serve on the socket threads, with no hop to the thread pool: for benchmarks, where the simulator's own CPU
        # on the shared cores would be counted against the client (see SimulatorOptions.InlineScheduling).
        [switch] $InlineScheduling
    )
    $dll = Join-Path $script:Root 'tests/Acefone.Simulator/bin/Release/net10.0/Acefone.Simulator.dll'
    if (-not (Test-Path $dll)) { throw "The simulator is not built ($dll). Run ./build.ps1 Build first." }
    $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in $dll, '--port', '0', '--parent-pid', "$PID") { $info.ArgumentList.Add($argument) }
    if ($InlineScheduling) {
        $info.ArgumentList.Add('--inline')
        $info.Environment['DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS'] = '1'
    }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    $uri = $null
    # One read at a time: a read still pending after a one-second wait is waited on again, never started anew
    # (a second ReadLineAsync on a busy stream throws, as it did on a loaded machine whose simulator started slowly).
    $read = $null
    while (-not $uri -and [DateTime]::UtcNow -lt $deadline) {
        if (-not $read) { $read = $process.StandardOutput.ReadLineAsync() }
        if (-not $read.Wait([TimeSpan]::FromSeconds(1))) { if ($process.HasExited) { break } else { continue } }
        $line = $read.Result
        $read = $null
        if ($null -eq $line) { break }
        if ($line -match 'listening on (http://127\.0\.0\.1:\d+)') { $uri = $Matches[1] + '/' }
    }
    if (-not $uri) {
        $errorText = if ($process.HasExited) { $process.StandardError.ReadToEnd() } else { '' }
        try { $process.Kill() } catch { }
        throw "The simulator did not start within $TimeoutSec s. $errorText"
    }
    # Keep draining its output so a full pipe never blocks it.
    $process.StandardOutput.ReadToEndAsync() | Out-Null
    $process.StandardError.ReadToEndAsync() | Out-Null
    [pscustomobject]@{
        PSTypeName   = 'Acefone.SimulatorProcess'
        BaseUri      = [Uri]$uri
        Process      = $process
        ConsoleToken = 'sim-console-token-7f3a9c2e51b04d8e'
        LoginId      = 'admin@example.com'
        Password     = 'Simulat0r!Pass'
    }
}

function Stop-AcefoneSimulator {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Simulator)
    process {
        if ($Simulator -and -not $Simulator.Process.HasExited) {
            try { $Simulator.Process.Kill($true) } catch { }
            $null = $Simulator.Process.WaitForExit(10000)
        }
    }
}

function Invoke-SimulatorAdmin {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Simulator,
        [Parameter(Mandatory)] [string] $Path,
        [ValidateSet('Get', 'Post')] [string] $Method = 'Get',
        $Body
    )
    $uri = [Uri]::new($Simulator.BaseUri, "_sim/$Path")
    $parameters = @{ Uri = $uri; Method = $Method; ContentType = 'application/json' }
    if ($null -ne $Body) { $parameters.Body = ($Body | ConvertTo-Json -Depth 10 -Compress) }
    Invoke-RestMethod @parameters
}

function Reset-AcefoneSimulator {
    param([Parameter(Mandatory)] $Simulator)
    Invoke-SimulatorAdmin $Simulator 'reset' -Method Post | Out-Null
}

function Set-AcefoneSimulatorConfig {
    param([Parameter(Mandatory)] $Simulator, [Parameter(Mandatory)] [hashtable] $Config)
    Invoke-SimulatorAdmin $Simulator 'config' -Method Post -Body $Config
}

function Add-AcefoneSimulatorCall {
    param([Parameter(Mandatory)] $Simulator, [int] $Generate, [string] $Prefix, [string[]] $CallId)
    $body = if ($CallId) { @{ calls = @($CallId | ForEach-Object { @{ call_id = $_ } }) } } else { @{ generate = $Generate; prefix = $Prefix } }
    # Always an array, even for one call, so callers can index it.
    Write-Output -NoEnumerate @((Invoke-SimulatorAdmin $Simulator 'calls' -Method Post -Body $body).callIds)
}

function Get-AcefoneSimulatorRequest {
    param([Parameter(Mandatory)] $Simulator, [string] $Path)
    $suffix = if ($Path) { "requests?path=$([Uri]::EscapeDataString($Path))" } else { 'requests' }
    # Invoke-RestMethod writes a JSON array as one object: flatten it, and always hand back an array.
    Write-Output -NoEnumerate @(Invoke-SimulatorAdmin $Simulator $suffix | ForEach-Object { $_ })
}

function Get-AcefoneSimulatorStats {
    param([Parameter(Mandatory)] $Simulator)
    Invoke-SimulatorAdmin $Simulator 'stats'
}

Export-ModuleMember -Function Start-AcefoneSimulator, Stop-AcefoneSimulator, Invoke-SimulatorAdmin, Reset-AcefoneSimulator,
    Set-AcefoneSimulatorConfig, Add-AcefoneSimulatorCall, Get-AcefoneSimulatorRequest, Get-AcefoneSimulatorStats
