<#
.SYNOPSIS
    Turns the built module folder into the two things users install:
    Acefone.<version>.nupkg (PowerShell Gallery / Install-PSResource) and automation/Acefone.zip (Azure Automation).
.EXAMPLE
    ./build/Package.ps1 -ModulePath out/Acefone -OutputPath out -Version 0.1.0
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutputPath,
    [Parameter(Mandatory)] [string] $Version
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$module = (Resolve-Path $ModulePath).Path
$manifest = Import-PowerShellDataFile (Join-Path $module 'Acefone.psd1')
if ($manifest.ModuleVersion -ne $Version) { throw "The manifest in $module says $($manifest.ModuleVersion), not ${Version}: build again." }
$null = New-Item -ItemType Directory -Force $OutputPath
$output = (Resolve-Path $OutputPath).Path

# The .nupkg: Compress-PSResource (PSResourceGet 1.1+, ships with PowerShell 7.4+) packs a module folder the
# way Publish-PSResource would, without registering a repository or touching the network.
$nupkg = Join-Path $output "Acefone.$Version.nupkg"
if (Test-Path $nupkg) { Remove-Item $nupkg -Force }
# It needs the folder to be named after the module.
$staging = Join-Path ([IO.Path]::GetTempPath()) ("acefone-pack-" + [guid]::NewGuid().ToString('n'))
try {
    $stagedModule = Join-Path $staging 'Acefone'
    Copy-Item $module $stagedModule -Recurse
    Compress-PSResource -Path $stagedModule -DestinationPath $output
}
finally {
    Remove-Item $staging -Recurse -Force -ErrorAction SilentlyContinue
}
if (-not (Test-Path $nupkg)) { throw "Compress-PSResource did not write $nupkg." }

# The Azure Automation zip: Automation's module import requires the .zip, the folder inside it and the manifest to
# share the module's name, so it is Acefone.zip with an Acefone/ root; in a folder of its own so it collides with nothing.
# ZipFile (not Compress-Archive) so entry names use '/' on every platform.
$zipFolder = New-Item -ItemType Directory -Force (Join-Path $output 'automation')
$zip = Join-Path $zipFolder.FullName 'Acefone.zip'
if (Test-Path $zip) { Remove-Item $zip -Force }
Add-Type -AssemblyName System.IO.Compression.FileSystem
$archive = [IO.Compression.ZipFile]::Open($zip, [IO.Compression.ZipArchiveMode]::Create)
try {
    foreach ($file in Get-ChildItem $module -Recurse -File) {
        $relative = [IO.Path]::GetRelativePath($module, $file.FullName).Replace('\', '/')
        $null = [IO.Compression.ZipFileExtensions]::CreateEntryFromFile($archive, $file.FullName, "Acefone/$relative", [IO.Compression.CompressionLevel]::Optimal)
    }
}
finally {
    $archive.Dispose()
}

Write-Host "Packages ready: $nupkg, $zip" -ForegroundColor Green
[pscustomobject]@{ Nupkg = $nupkg; AzureAutomationZip = $zip }
