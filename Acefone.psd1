# Source manifest. build.ps1 stamps ModuleVersion from Directory.Build.props and copies it to out/Acefone/.
@{
    RootModule             = 'Acefone.PowerShell.dll'
    ModuleVersion          = '0.0.0'
    GUID                   = '4f0c6a52-8d3e-4b7a-9a61-2c1d5e7f9b30'
    Author                 = 'Acefone PowerShell contributors'
    CompanyName            = 'Community'
    Copyright              = '(c) Acefone PowerShell contributors. MIT License.'
    Description            = 'Control live Acefone calls from PowerShell: monitor, whisper, barge and transfer, one call or thousands from a CSV, at a prompt or in an Azure Automation runbook.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('Acefone.format.ps1xml')
    CmdletsToExport        = @(
        'Connect-Acefone'
        'Disconnect-Acefone'
        'Get-AcefoneSession'
        'Start-AcefoneMonitor'
        'Start-AcefoneWhisper'
        'Start-AcefoneBarge'
        'Invoke-AcefoneTransfer'
        'Invoke-AcefoneCallOption'
        'Stop-AcefoneCall'
        'Get-AcefoneLiveCall'
        'Get-AcefoneUser'
        'Get-AcefoneDepartment'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('Acefone', 'Telephony', 'CallCenter', 'ContactCentre', 'REST', 'AzureAutomation', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'First release: Connect-Acefone (token, login, environment), call operations (monitor, whisper, barge, transfer) with pipeline input, -WhatIf and typed results.'
        }
    }
}
