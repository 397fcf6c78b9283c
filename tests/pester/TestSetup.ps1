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
    $null = Start-Transcript -Path $path -UseMinimalHeader
    try { $null = & $ScriptBlock } finally { $null = Stop-Transcript }
    $text = Get-Content -Raw $path
    Remove-Item $path
    $text
}
