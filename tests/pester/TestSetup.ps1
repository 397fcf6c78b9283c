# Dot-sourced by every Pester file's BeforeAll: imports the module under test and the simulator controls.
$ErrorActionPreference = 'Stop'
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModulePath = if ($env:ACEFONE_TEST_MODULE_PATH) { $env:ACEFONE_TEST_MODULE_PATH } else { Join-Path $script:RepoRoot 'out/Acefone' }
Import-Module (Join-Path $script:RepoRoot 'build/SimulatorControl.psm1') -Force
Import-Module $script:ModulePath -Force

# No test may reach a real Acefone host: clear anything that could point a session elsewhere.
foreach ($name in 'ACEFONE_ACCESS_TOKEN', 'ACEFONE_LOGIN_ID', 'ACEFONE_PASSWORD', 'ACEFONE_BASE_URI', 'ACEFONE_REGION') {
    Remove-Item "Env:$name" -ErrorAction SilentlyContinue
}

function script:Connect-ToSimulator {
    param([Parameter(Mandatory)] $Simulator, [switch] $Login, [hashtable] $Extra = @{})
    if ($Login) {
        $password = ConvertTo-SecureString $Simulator.Password -AsPlainText -Force
        $credential = [pscredential]::new($Simulator.LoginId, $password)
        Connect-Acefone -BaseUri $Simulator.BaseUri -Credential $credential -PassThru @Extra
    }
    else {
        Connect-Acefone -BaseUri $Simulator.BaseUri -AccessToken $Simulator.ConsoleToken -PassThru @Extra
    }
}

# -WhatIf and -Confirm messages go to the host, not to a stream: a transcript is what captures them.
function script:Get-HostOutput {
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    $path = Join-Path ([IO.Path]::GetTempPath()) "acefone-host-$PID-$([guid]::NewGuid().ToString('n')).txt"
    # -UseMinimalHeader is PowerShell 6.2+; Windows PowerShell 5.1 writes the full header, which no test reads.
    $minimal = @{}
    if ((Get-Command Start-Transcript).Parameters.ContainsKey('UseMinimalHeader')) { $minimal['UseMinimalHeader'] = $true }
    $null = Start-Transcript -Path $path @minimal
    try { $null = & $ScriptBlock } finally { $null = Stop-Transcript }
    $text = Get-Content -Raw $path
    Remove-Item $path
    $text
}

# The folder the imported module really lives in (build output, or an installed copy with a version folder).
$script:ModuleBase = (Get-Module Acefone).ModuleBase

# Runs a script in a fresh PowerShell process (the same pwsh as this one), for what one process cannot show
# twice: import side effects, assembly loading, the system proxy. Returns exit code, stdout and stderr.
function script:Invoke-ChildPwsh {
    param([Parameter(Mandatory)] [string] $Script, [System.Collections.IDictionary] $Environment = @{}, [int] $TimeoutSec = 120)
    $file = Join-Path ([IO.Path]::GetTempPath()) ('acefone-child-' + [guid]::NewGuid().ToString('n') + '.ps1')
    Set-Content -Path $file -Value $Script -Encoding utf8
    try {
        $child = Start-ChildPwsh -Arguments @('-NoProfile', '-NonInteractive', '-File', $file) -Environment $Environment
        if (-not $child.Process.WaitForExit($TimeoutSec * 1000)) { $child.Process.Kill(); throw "The child PowerShell did not finish within $TimeoutSec s." }
        $child.Process.WaitForExit()
        [pscustomobject]@{ ExitCode = $child.Process.ExitCode; Output = $child.Output.Result; Error = $child.Error.Result }
    }
    finally { Remove-Item $file -ErrorAction SilentlyContinue }
}

# Starts this same PowerShell again (pwsh, `dotnet pwsh.dll`, or powershell.exe) without waiting, stdout and stderr
# read as they come; written for Windows PowerShell 5.1 too (no ProcessPath, ArgumentList or Kill($true) there).
# -DefaultSigInt: the child handles Ctrl+C (SIGINT) even when this run ignores it. A test run started in the background
# of a non-interactive shell (`cmd &`) inherits SIGINT ignored, .NET then leaves it ignored, and a SIGINT test's child
# ran to its end; coreutils' `env --default-signal` restores the default before starting the child.
function script:Start-ChildPwsh {
    param([Parameter(Mandatory)] [string[]] $Arguments, [System.Collections.IDictionary] $Environment = @{}, [switch] $DefaultSigInt)
    $exe = [Environment]::ProcessPath
    if (-not $exe) { $exe = (Get-Process -Id $PID).Path }
    $all = @()
    $launcher = $exe
    if ($DefaultSigInt -and $IsLinux -and (Test-Path /usr/bin/env)) {
        & /usr/bin/env --default-signal=INT true 2>$null
        if ($LASTEXITCODE -eq 0) { $all += @('--default-signal=INT', $exe); $launcher = '/usr/bin/env' }
    }
    # Under `dotnet pwsh` the process is dotnet running pwsh.dll.
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $all += (Join-Path $PSHOME 'pwsh.dll') }
    $all += $Arguments
    $info = New-Object System.Diagnostics.ProcessStartInfo $launcher
    $info.Arguments = @($all | ForEach-Object { if ($_ -eq '' -or $_ -match '[\s"]') { '"' + ($_ -replace '"', '\"') + '"' } else { $_ } }) -join ' '
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    # The manifest, not the folder: an installed copy's folder is named after its version, not the module.
    $info.Environment['ACEFONE_TEST_MODULE_PATH'] = Join-Path $script:ModuleBase 'Acefone.psd1'
    foreach ($name in $Environment.Keys) { if ($null -eq $Environment[$name]) { $null = $info.Environment.Remove($name) } else { $info.Environment[$name] = $Environment[$name] } }
    $process = [Diagnostics.Process]::Start($info)
    [pscustomobject]@{ Process = $process; Error = $process.StandardError.ReadToEndAsync(); Output = $process.StandardOutput.ReadToEndAsync() }
}

# The five live calls the simulator is seeded with, in the order it lists them (the read-side files, completion).
$script:Seeded = '1714657799.11930961', '1714657799.11930962', '1714657799.11930963', '1714657799.11930964', '1714657799.11930965'
function script:Get-SentBody([string] $Path) { @((Get-AcefoneSimulatorRequest $Sim -Path $Path).body) }
function script:Complete([string] $InputScript) { (TabExpansion2 -inputScript $InputScript -cursorColumn $InputScript.Length).CompletionMatches }

# Bulk runs of transfers against $Sim (BulkRuns.Tests.ps1, ThrottleLimit.Tests.ps1).
function script:New-Rows([int] $Count, [string] $Prefix) {
    $ids = Add-AcefoneSimulatorCall $Sim -Generate $Count -Prefix $Prefix
    $i = 0
    foreach ($id in $ids) { [pscustomobject]@{ call_id = $id; intercom = (8000 + ($i++ % 50)).ToString() } }
}

function script:Invoke-Bulk([object[]] $Rows, [hashtable] $Parameters = @{}) {
    $results = $Rows | Invoke-AcefoneTransfer @Parameters -ErrorVariable failures -ErrorAction SilentlyContinue -InformationVariable info
    [pscustomobject]@{ Results = @($results); Errors = @($failures); Summary = "$($info.MessageData)" }
}

function script:Assert-NothingLostOrDoubled($Run, [int] $Rows) {
    $Run.Results.Count + $Run.Errors.Count | Should -Be $Rows
    (Get-AcefoneSimulatorStats $Sim).duplicateProcessed | Should -Be 0
}
