# Azurite (the Azure Storage emulator's blob service) for the blob-journal tests: installed with npm from
# tests/azurite/package-lock.json into tests/azurite/node_modules (ignored by git, kept between runs), started on a
# free loopback port in memory, stopped by its own process id. Test only: the Demo command never needs it.

$script:AzuriteFolder = Join-Path (Split-Path $PSScriptRoot) 'tests/azurite'

function Install-Azurite {
    $installed = Join-Path $AzuriteFolder 'node_modules/azurite/package.json'
    $wanted = ((Get-Content -Raw (Join-Path $AzuriteFolder 'package.json') | ConvertFrom-Json).dependencies).azurite
    if ((Test-Path $installed) -and (Get-Content -Raw $installed | ConvertFrom-Json).version -eq $wanted) { return }
    if (-not (Get-Command npm -ErrorAction SilentlyContinue)) { throw 'The blob-journal tests need Node.js and npm (for Azurite): install Node.js 18 or later.' }
    Write-Host "Installing Azurite $wanted (npm ci, about a minute the first time)..."
    Push-Location $AzuriteFolder
    try {
        & npm ci --no-audit --no-fund --loglevel=error
        if ($LASTEXITCODE -ne 0) { throw "npm ci in $AzuriteFolder failed (exit code $LASTEXITCODE)." }
    }
    finally { Pop-Location }
}

function Get-FreeLoopbackPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

<#
.SYNOPSIS
    Starts azurite-blob on 127.0.0.1 at a free port, in memory; returns its process and account URL
    (http://127.0.0.1:<port>/devstoreaccount1).
#>
function Start-Azurite {
    param([string[]] $Arguments = @())
    Install-Azurite
    $port = Get-FreeLoopbackPort
    $main = Join-Path $AzuriteFolder 'node_modules/azurite/dist/src/blob/main.js'
    $node = (Get-Command node -CommandType Application | Select-Object -First 1).Source
    $start = [System.Diagnostics.ProcessStartInfo]::new($node)
    foreach ($a in @($main, '--blobHost', '127.0.0.1', '--blobPort', "$port", '--inMemoryPersistence', '--loose', '--silent') + $Arguments) { $start.ArgumentList.Add($a) }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while ($true) {
        if ($process.HasExited) { throw "Azurite ended at start: $($process.StandardError.ReadToEnd())" }
        $client = [System.Net.Sockets.TcpClient]::new()
        try { $client.Connect([System.Net.IPAddress]::Loopback, $port); break } catch { } finally { $client.Dispose() }
        if ([DateTime]::UtcNow -gt $deadline) { Stop-Azurite ([pscustomobject]@{ Process = $process }); throw 'Azurite did not listen within 60 s.' }
        Start-Sleep -Milliseconds 200
    }
    [pscustomobject]@{ Process = $process; Port = $port; AccountUrl = "http://127.0.0.1:$port/devstoreaccount1" }
}

<# Stops it by its process id: SIGKILL, since it has been seen to ignore SIGTERM (it keeps nothing: in memory). #>
function Stop-Azurite($Azurite) {
    if (-not $Azurite -or -not $Azurite.Process) { return }
    try { if (-not $Azurite.Process.HasExited) { $Azurite.Process.Kill($true); $null = $Azurite.Process.WaitForExit(10000) } } catch { }
}

Export-ModuleMember -Function Install-Azurite, Start-Azurite, Stop-Azurite
