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
    # The DLLs are netstandard2.0, which .NET Framework supports cleanly from 4.7.2 (4.6.1-4.7.1 need facade
    # DLLs we do not ship); HttpClientHandler.SslProtocols, used to ask for TLS 1.2+, exists from 4.7.1.
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
        'Watch-AcefoneLiveCall'
        # Issue 15: the escape hatch, call records and recordings.
        'Invoke-AcefoneRestMethod'
        'Get-AcefoneCallRecord'
        'Get-AcefoneJournal'
        'Save-AcefoneRecording'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('Acefone', 'Telephony', 'CallCenter', 'ContactCentre', 'REST', 'AzureAutomation', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ReleaseNotes = @'
- First release: Connect-Acefone (console token, login, environment variables), Disconnect-Acefone, Get-AcefoneSession.
- Call operations Start-AcefoneMonitor, Start-AcefoneWhisper, Start-AcefoneBarge, Invoke-AcefoneTransfer and
  Invoke-AcefoneCallOption: pipeline and CSV input, -WhatIf, -ThrottleLimit, typed results, one error per bad row.
- Offline help (Get-Help <command> -Full, about_Acefone, about_Acefone_Errors), table views, Windows PowerShell 5.1
  and PowerShell 7 (private dependency loading), -Proxy/-ProxyCredential, Azure Automation zip.
'@
        }
    }
}
