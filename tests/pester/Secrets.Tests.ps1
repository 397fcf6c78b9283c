# Secret hygiene (issue 6): every cmdlet, with -Verbose -Debug, through failures, retries and token refreshes,
# inside a transcript. Then every place a secret could leak is searched for every token and password.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
    $script:WrongPassword = 'Wr0ng-Secret-Passw0rd-6d1f'
    $live = Add-AcefoneSimulatorCall $Sim -Generate 12 -Prefix '1730000000.'
    $null = Set-AcefoneSimulatorConfig $Sim @{ tokenExpiresAfterRequests = 3; serviceUnavailableEveryNth = 4 }
    $password = ConvertTo-SecureString $Sim.Password -AsPlainText -Force
    $credential = [pscredential]::new($Sim.LoginId, $password)
    $wrong = [pscredential]::new($Sim.LoginId, (ConvertTo-SecureString $WrongPassword -AsPlainText -Force))
    $common = @{ Verbose = $true; Debug = $true; ErrorAction = 'Continue'; WarningAction = 'Continue' }
    $DebugPreference = 'Continue'

    # Every exported cmdlet must have an entry here: a new cmdlet without one fails the coverage test below.
    $script:Invocations = [ordered]@{
        'Connect-Acefone'          = {
            try { Connect-Acefone -BaseUri $Sim.BaseUri -Credential $wrong @common } catch { $_ }
            Connect-Acefone -BaseUri $Sim.BaseUri -AccessToken $Sim.ConsoleToken @common
            Connect-Acefone -BaseUri $Sim.BaseUri -Credential $credential -PassThru @common
        }
        'Get-AcefoneSession'       = { Get-AcefoneSession @common }
        'Start-AcefoneMonitor'     = { Start-AcefoneMonitor -CallId $live[0] -AgentId 0502842370001 @common; Start-AcefoneMonitor -CallId $live[0] -AgentId 0502842370007 @common }
        'Start-AcefoneWhisper'     = { Start-AcefoneWhisper -CallId $live[1] -AgentId 0502842370002 @common }
        'Start-AcefoneBarge'       = { Start-AcefoneBarge -CallId 1700000000.404 -AgentId 0502842370003 @common }
        'Invoke-AcefoneTransfer'   = { $live[2..5] + '1700000000.1' | ForEach-Object { [pscustomobject]@{ call_id = $_; intercom = '8004' } } | Invoke-AcefoneTransfer -ThrottleLimit 3 @common }
        'Invoke-AcefoneCallOption' = { @([pscustomobject]@{ type = 'Monitor'; call_id = $live[6]; agent_id = '0502842370004' }, [pscustomobject]@{ type = 'Launch'; call_id = $live[6] }) | Invoke-AcefoneCallOption @common }
        'Get-AcefoneLiveCall'      = { Get-AcefoneLiveCall @common | Select-Object -First 2 }
        'Get-AcefoneUser'          = { Get-AcefoneUser -Name 'Team Lead*' @common }
        'Get-AcefoneDepartment'    = { Get-AcefoneDepartment @common }
        'Watch-AcefoneLiveCall'    = { Watch-AcefoneLiveCall -Interval 1 -For 1.5 @common }
        'Stop-AcefoneCall'         = { Stop-AcefoneCall -CallId $live[7] -Force @common; Stop-AcefoneCall -CallId 1700000000.2 -Force @common }
        # Issue 15: the escape hatch (paging, a POST, a refused host), call records, and recordings (their links carry tokens).
        'Invoke-AcefoneRestMethod' = {
            Invoke-AcefoneRestMethod /v1/users -All @common | Select-Object -First 2
            Invoke-AcefoneRestMethod /v1/call/hangup -Method POST -Body @{ call_id = '1700000000.3' } @common
            Invoke-AcefoneRestMethod https://evil.example.com/v1/users @common
        }
        'Get-AcefoneCallRecord'    = { Get-AcefoneCallRecord -From (Get-Date).AddHours(-6) @common | Select-Object -First 3 }
        # Issue 21/24: a journal records the run's target (a token's fingerprint, never the token) and is read back.
        'Get-AcefoneJournal'       = {
            $journal = Join-Path ([IO.Path]::GetTempPath()) "acefone-secrets-journal-$PID.jsonl"
            try {
                $live[8..9] | ForEach-Object { [pscustomobject]@{ call_id = $_; intercom = '8004' } } | Invoke-AcefoneTransfer -JournalPath $journal @common
                $live[8..9] | ForEach-Object { [pscustomobject]@{ call_id = $_; intercom = '8005' } } | Invoke-AcefoneTransfer -JournalPath $journal @common
                Get-AcefoneJournal -Path $journal @common | Format-List * | Out-String
                Get-Content -Raw $journal
            }
            finally { Remove-Item $journal -ErrorAction SilentlyContinue }
        }
        'Save-AcefoneRecording'    = {
            $folder = Join-Path ([IO.Path]::GetTempPath()) "acefone-secrets-rec-$PID"
            try { Get-AcefoneCallRecord -From (Get-Date).AddDays(-1) -Status Answered | Where-Object HasRecording | Select-Object -First 2 | Save-AcefoneRecording -Destination $folder @common }
            finally { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
        }
        'Disconnect-Acefone'       = { Disconnect-Acefone @common }
    }

    $transcript = Join-Path ([IO.Path]::GetTempPath()) "acefone-secrets-$PID.txt"
    $Error.Clear()
    $null = Start-Transcript -Path $transcript -IncludeInvocationHeader
    $script:Streams = [System.Collections.Generic.List[object]]::new()
    foreach ($name in $Invocations.Keys) {
        if ($name -eq 'Disconnect-Acefone') { $script:Session = Get-AcefoneSession }
        foreach ($record in (& $Invocations[$name] *>&1)) { $Streams.Add($record) }
    }
    $null = Stop-Transcript
    $script:TranscriptText = Get-Content -Raw $transcript
    Remove-Item $transcript

    # The secrets: the password, the wrong password, the console token, and every token the simulator issued.
    $issued = Get-AcefoneSimulatorRequest $Sim | ForEach-Object { $_.authorization } | Where-Object { $_ } | ForEach-Object { $_ -replace '^Bearer ', '' }
    $script:Secrets = @($Sim.Password, $WrongPassword, $Sim.ConsoleToken) + @($issued | Sort-Object -Unique)
    # The tokens recording links carry in their query (issue 15).
    $script:Secrets += @((Get-AcefoneSimulatorRequest $Sim -Path '/file/recording').query | ForEach-Object { [regex]::Match($_, 'token=([^&]+)').Groups[1].Value } | Where-Object { $_ } | Sort-Object -Unique)
}

AfterAll {
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'Nothing secret is ever printed' {
    It 'covers every exported cmdlet' {
        $exported = (Get-Module Acefone).ExportedCmdlets.Keys | Sort-Object
        ($Invocations.Keys | Sort-Object) | Should -Be $exported
    }

    It 'went through failures, retries and token refreshes (so the test means something)' {
        $stats = Get-AcefoneSimulatorStats $Sim
        $stats.refreshes | Should -BeGreaterThan 0
        $stats.serviceUnavailable | Should -BeGreaterThan 0
        $stats.failedLogins | Should -BeGreaterThan 0
        @($Error).Count | Should -BeGreaterThan 3
        $Secrets.Count | Should -BeGreaterThan 4
        @($Streams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 10
        @($Streams | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Count | Should -BeGreaterThan 10
    }

    It 'Verbose shows one line per request: method, path, status, elapsed and attempt' {
        $lines = $Streams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message | Where-Object { $_ -match '^(GET|POST) /v1/' }
        @($lines).Count | Should -BeGreaterThan 10
        $lines | ForEach-Object { $_ | Should -Match '^(GET|POST) /v1/\S+ -> (\d{3}|no answer) in \d+ ms \(attempt \d+\)' }
    }

    It 'Debug shows bodies, with the login password redacted' {
        $debug = ($Streams | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message) -join "`n"
        $debug | Should -Match '"password":"\*\*\*"'
        $debug | Should -Match '"access_token":"\*\*\*"'
    }

    It 'no secret in <Place>' -ForEach @(
        @{ Place = 'any stream' }, @{ Place = '$Error' }, @{ Place = 'the transcript' }, @{ Place = 'the session display' }
        @{ Place = 'Export-Clixml of the session' }, @{ Place = 'ConvertTo-Json of the session' }
    ) {
        $text = switch ($Place) {
            'any stream' { ($Streams | ForEach-Object { $_ | Out-String; if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.Exception.ToString(); $_.Exception.ResponseBody; $_.ErrorDetails.Message } }) -join "`n" }
            '$Error' { ($Error | ForEach-Object { $_ | Out-String; $_.Exception.ToString(); if ($_.Exception.PSObject.Properties['ResponseBody']) { $_.Exception.ResponseBody } }) -join "`n" }
            'the transcript' { $TranscriptText }
            'the session display' { ($Session | Format-List * | Out-String) + ($Session | Format-Table | Out-String) + ($Session | Out-String) + "$Session" }
            'Export-Clixml of the session' {
                $file = Join-Path ([IO.Path]::GetTempPath()) "acefone-session-$PID.xml"
                $Session | Export-Clixml -Path $file -Depth 5
                Get-Content -Raw $file
                Remove-Item $file
            }
            'ConvertTo-Json of the session' { $Session | ConvertTo-Json -Depth 5 -WarningAction SilentlyContinue }
        }
        $text.Length | Should -BeGreaterThan 100
        $leaks = @($Secrets | Where-Object { $text.Contains($_) }).Count
        Write-Host "    leaks found in $Place`: $leaks (searched for $($Secrets.Count) secrets in $($text.Length) characters)"
        foreach ($secret in $Secrets) { $text.Contains($secret) | Should -BeFalse -Because "a secret ($($secret.Length) characters) appeared in $Place" }
    }
}
