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
        # Issue 23: placing calls, agents off and on the queue, webhooks.
        'Start-AcefoneCall'
        'Block-AcefoneAgent'
        'Unblock-AcefoneAgent'
        'ConvertFrom-AcefoneWebhook'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('Acefone', 'Telephony', 'CallCenter', 'ContactCentre', 'REST', 'AzureAutomation', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ReleaseNotes = @'
- Sessions: Connect-Acefone (console token, login, environment variables, regions, proxy), Disconnect-Acefone,
  Get-AcefoneSession; tokens renewed during long runs; one rate limiter per session (-MaxRequestsPerSecond).
- Call control: Start-AcefoneMonitor, Start-AcefoneWhisper, Start-AcefoneBarge, Invoke-AcefoneTransfer,
  Invoke-AcefoneCallOption, Stop-AcefoneCall: pipeline and CSV input, -WhatIf, -ThrottleLimit, results in input order,
  one non-terminating error per failed row whose TargetObject is the row as given (export it, fix it, run it again),
  the row carried on each result (InputObject), a summary line (also after Ctrl+C), -JournalPath (a file or an Azure
  append blob) for runs that are safe to restart, Get-AcefoneJournal to read what a journal recorded.
- What is happening: Get-AcefoneLiveCall, Watch-AcefoneLiveCall (events as calls start, change and end),
  Get-AcefoneUser, Get-AcefoneDepartment; tab completion of call ids, intercoms and agent ids.
- After the call: Get-AcefoneCallRecord (day by day, in the account's time zone, oldest first), Save-AcefoneRecording (resumable
  downloads; files as Get-Item gives them).
- Anything else of the API: Invoke-AcefoneRestMethod, with the session's token, rate limiter and paging, and
  Invoke-RestMethod's -Headers, -StatusCodeVariable, -ResponseHeadersVariable, -OutFile and -SkipHttpErrorCheck.
- A supervisor's day: Start-AcefoneCall (click-to-call; -Wait finds the placed call as a live call), Block-AcefoneAgent
  and Unblock-AcefoneAgent (idempotent, by agent id or from Get-AcefoneUser), ConvertFrom-AcefoneWebhook (deliveries
  and Automation's $WebhookData as typed events, repeated deliveries acted on once).
- Offline help (Get-Help <command> -Full, about_Acefone, about_Acefone_Errors, about_Acefone_Journal,
  about_Acefone_Supervisor), samples for
  Azure Automation runbooks, Windows PowerShell 5.1 and PowerShell 7.
'@
        }
    }
}
