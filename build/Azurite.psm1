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
        # npm's own lines go to the host: as pipeline output they would become part of Start-Azurite's answer.
        & npm ci --no-audit --no-fund --loglevel=error | Out-Host
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
    # Arguments as one quoted string, not ArgumentList: powershell.exe (.NET Framework) runs this file too.
    $start.Arguments = (@($main, '--blobHost', '127.0.0.1', '--blobPort', "$port", '--inMemoryPersistence', '--loose', '--silent') + $Arguments |
        ForEach-Object { '"' + $_ + '"' }) -join ' '
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $deadline = [DateTime]::UtcNow.AddSeconds(180)
    while ($true) {
        if ($process.HasExited) { throw "Azurite ended at start: $($process.StandardError.ReadToEnd())" }
        $client = [System.Net.Sockets.TcpClient]::new()
        try { $client.Connect([System.Net.IPAddress]::Loopback, $port); break } catch { } finally { $client.Dispose() }
        if ([DateTime]::UtcNow -gt $deadline) { Stop-Azurite ([pscustomobject]@{ Process = $process }); throw 'Azurite did not listen within 180 s.' }
        Start-Sleep -Milliseconds 200
    }
    # With a certificate (--cert) it serves https only.
    $scheme = if ($Arguments -contains '--cert') { 'https' } else { 'http' }
    [pscustomobject]@{ Process = $process; Port = $port; AccountUrl = "${scheme}://127.0.0.1:$port/devstoreaccount1" }
}

<# An account SAS (query without '?') from Azurite's published development key (every copy of Azurite has it). #>
function New-AzuriteSas {
    $key = [Convert]::FromBase64String('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==')
    $expiry = [DateTime]::UtcNow.AddDays(1).ToString('yyyy-MM-ddTHH:mm:ssZ')
    $toSign = (@('devstoreaccount1', 'racwdl', 'b', 'sco', '', $expiry, '', 'https,http', '2019-12-12') -join "`n") + "`n"
    $hmac = [System.Security.Cryptography.HMACSHA256]::new($key)
    $sig = [Convert]::ToBase64String($hmac.ComputeHash([Text.Encoding]::UTF8.GetBytes($toSign)))
    "sv=2019-12-12&ss=b&srt=sco&sp=racwdl&se=$([uri]::EscapeDataString($expiry))&spr=https,http&sig=$([uri]::EscapeDataString($sig))"
}

<# Creates a container with a new name under the account URL; returns its URL (no query). #>
function New-AzuriteContainer {
    param([Parameter(Mandatory)] [string] $AccountUrl, [Parameter(Mandatory)] [string] $Sas, [hashtable] $WebRequestOptions = @{})
    $container = 'j' + [guid]::NewGuid().ToString('n')
    $null = Invoke-WebRequest -Method Put -Uri "$AccountUrl/${container}?restype=container&$Sas" -Headers @{ 'x-ms-version' = '2021-12-02' } -UseBasicParsing @WebRequestOptions
    "$AccountUrl/$container"
}

<# Stops it by its process id: SIGKILL, since it has been seen to ignore SIGTERM (it keeps nothing: in memory). #>
function Stop-Azurite($Azurite) {
    if (-not $Azurite -or -not $Azurite.Process) { return }
    try { if (-not $Azurite.Process.HasExited) { $Azurite.Process.Kill(); $null = $Azurite.Process.WaitForExit(10000) } } catch { }
}

Export-ModuleMember -Function Install-Azurite, Start-Azurite, Stop-Azurite, New-AzuriteSas, New-AzuriteContainer
