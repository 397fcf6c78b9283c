# build/Package.ps1 turns the module under test into what users install: a .nupkg that Install-PSResource
# installs from a local repository, and an Azure Automation zip whose root is the Acefone/ folder.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
    $script:Version = (Import-PowerShellDataFile (Join-Path $ModuleBase 'Acefone.psd1')).ModuleVersion
    $script:PackageOut = Join-Path $TestDrive 'packages'
    # In a child with its own HOME: PSResourceGet creates its settings and module folders under the profile.
    $packed = Invoke-ChildPwsh -Environment @{ HOME = (Join-Path $TestDrive 'pack-home'); XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = $null; PACKAGE_SCRIPT = (Join-Path $RepoRoot 'build/Package.ps1'); PACKAGE_MODULE = $ModuleBase; PACKAGE_OUT = $PackageOut; PACKAGE_VERSION = $Version } -Script @'
$ErrorActionPreference = 'Stop'
& $env:PACKAGE_SCRIPT -ModulePath $env:PACKAGE_MODULE -OutputPath $env:PACKAGE_OUT -Version $env:PACKAGE_VERSION 6>$null | ConvertTo-Json -Compress
'@
    if ($packed.ExitCode -ne 0) { throw "build/Package.ps1 failed: $($packed.Error)" }
    $script:Packages = $packed.Output | ConvertFrom-Json
}

AfterAll {
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'Packages' {
    It 'writes Acefone.<version>.nupkg and automation/Acefone.zip' {
        $Packages.Nupkg | Should -Be (Join-Path $PackageOut "Acefone.$Version.nupkg")
        $Packages.Nupkg | Should -Exist
        # Azure Automation refuses a zip whose name is not the module's: Acefone.zip, nothing else.
        $Packages.AzureAutomationZip | Should -Be (Join-Path $PackageOut 'automation/Acefone.zip')
        $Packages.AzureAutomationZip | Should -Exist
        Split-Path -Leaf $Packages.AzureAutomationZip | Should -BeExactly 'Acefone.zip'
        @(Get-ChildItem $PackageOut -Recurse -Filter *.zip | ForEach-Object Name) | Should -Be @('Acefone.zip')
    }

    It 'the Azure Automation zip holds the whole module under one Acefone/ root, with / separators' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($Packages.AzureAutomationZip)
        try { $entries = @($zip.Entries | ForEach-Object FullName) } finally { $zip.Dispose() }
        $entries | Should -Contain 'Acefone/Acefone.psd1'
        $entries | Should -Contain 'Acefone/en-US/Acefone.PowerShell.dll-Help.xml'
        @($entries | Where-Object { -not $_.StartsWith('Acefone/') -or $_.Contains('\') }) | Should -BeNullOrEmpty
        $expected = @(Get-ChildItem $ModuleBase -Recurse -File | ForEach-Object { 'Acefone/' + [IO.Path]::GetRelativePath($ModuleBase, $_.FullName).Replace('\', '/') } | Sort-Object)
        @($entries | Sort-Object) | Should -Be $expected
    }

    It 'the .nupkg installs with Install-PSResource from a local repository, imports, and runs a command against the simulator' {
        # A separate process with its own home folder: the repository registration and the installed module
        # stay out of the real profile .
        $profileRoot = Join-Path $TestDrive 'profile'
        # PowerShell's user module path and PSResourceGet's install path both follow HOME when XDG_* are unset.
        $environment = @{ HOME = $profileRoot; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = $null
            PACKAGE_FOLDER = $PackageOut; SIM_BASE_URI = "$($Sim.BaseUri)"; SIM_TOKEN = $Sim.ConsoleToken; EXPECTED_VERSION = $Version; PSModulePath = '' }
        $result = Invoke-ChildPwsh -Environment $environment -TimeoutSec 180 -Script @'
$ErrorActionPreference = 'Stop'
$name = 'AcefoneTest' + [guid]::NewGuid().ToString('n').Substring(0, 8)
Register-PSResourceRepository -Name $name -Uri $env:PACKAGE_FOLDER -Trusted
try {
    Install-PSResource -Name Acefone -Repository $name -Scope CurrentUser -TrustRepository -Quiet
    Import-Module Acefone
    $module = Get-Module Acefone
    Connect-Acefone -BaseUri $env:SIM_BASE_URI -AccessToken $env:SIM_TOKEN
    $result = Start-AcefoneMonitor -CallId 1714657799.11930961 -AgentId 0502842370001
    $help = (Get-Help Start-AcefoneMonitor).Synopsis
    $installed = (Get-InstalledPSResource -Name Acefone).InstalledLocation
    [pscustomobject]@{ Installed = $installed; Version = "$($module.Version)"; Base = $module.ModuleBase; Success = $result.Success; Help = $help } | ConvertTo-Json -Compress
}
finally { Unregister-PSResourceRepository -Name $name }
'@
        $result.Error | Should -BeNullOrEmpty
        $report = $result.Output | ConvertFrom-Json
        $report.Version | Should -Be $Version
        $report.Installed | Should -BeLike "$profileRoot*"
        $report.Base | Should -BeLike "$profileRoot*"
        $report.Success | Should -BeTrue
        $report.Help | Should -Match 'supervisor'
    }
}
