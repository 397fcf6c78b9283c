# Sessions: Connect-Acefone (token, login, regions, auth scheme, environment variables), Disconnect-Acefone,
# Get-AcefoneSession, two sessions side by side, and a session object that never shows its token.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'Sessions' {
    BeforeEach {
        Disconnect-Acefone -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        Reset-AcefoneSimulator $Sim
    }

    It 'Connect-Acefone writes nothing without -PassThru and makes the session the default' {
        $output = Connect-Acefone -BaseUri $Sim.BaseUri -AccessToken $Sim.ConsoleToken
        $output | Should -BeNullOrEmpty
        (Get-AcefoneSession).BaseUri | Should -Be $Sim.BaseUri
        (Get-AcefoneSession).AuthKind | Should -Be 'AccessToken'
    }

    It 'a login session logs in with email and password and keeps the expiry' {
        $session = Connect-ToSimulator $Sim -Login
        $session.AuthKind | Should -Be 'Login'
        $session.TokenExpiresAt | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(50))
        $login = Get-AcefoneSimulatorRequest $Sim -Path '/v1/auth/login'
        $login.Count | Should -Be 1
        ($login[0].body | ConvertFrom-Json).email | Should -Be $Sim.LoginId
    }

    It 'UKLegacy logs in with login_id' {
        $password = ConvertTo-SecureString $Sim.Password -AsPlainText -Force
        $null = Connect-Acefone -Region UKLegacy -BaseUri $Sim.BaseUri -Credential ([pscredential]::new('admin', $password))
        $body = (Get-AcefoneSimulatorRequest $Sim -Path '/v1/auth/login')[0].body | ConvertFrom-Json
        $body.login_id | Should -Be 'admin'
        $body.PSObject.Properties.Name | Should -Not -Contain 'email'
    }

    It 'a wrong password ends Connect-Acefone with AuthenticationFailed and leaves no default session' {
        $password = ConvertTo-SecureString 'wrong-password' -AsPlainText -Force
        { Connect-Acefone -BaseUri $Sim.BaseUri -Credential ([pscredential]::new($Sim.LoginId, $password)) } | Should -Throw -ErrorId 'AuthenticationFailed*'
        Get-AcefoneSession | Should -BeNullOrEmpty
    }

    It 'sends Bearer by default and the raw token with -AuthScheme Raw' {
        $live = Add-AcefoneSimulatorCall $Sim -Generate 1 -Prefix '1714657800.'
        $null = Connect-Acefone -BaseUri $Sim.BaseUri -AccessToken $Sim.ConsoleToken
        $null = Invoke-AcefoneTransfer -CallId $live[0] -Intercom 8004
        $null = Connect-Acefone -BaseUri $Sim.BaseUri -AccessToken $Sim.ConsoleToken -AuthScheme Raw
        $null = Invoke-AcefoneTransfer -CallId $live[0] -Intercom 8005
        $sent = Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options'
        $sent[0].authorization | Should -BeExactly "Bearer $($Sim.ConsoleToken)"
        $sent[1].authorization | Should -BeExactly $Sim.ConsoleToken
    }

    It 'names the module version and the PowerShell edition in the User-Agent' {
        $live = Add-AcefoneSimulatorCall $Sim -Generate 1 -Prefix '1714657801.'
        $null = Connect-Acefone -BaseUri $Sim.BaseUri -AccessToken $Sim.ConsoleToken
        $null = Invoke-AcefoneTransfer -CallId $live[0] -Intercom 8004
        $version = (Import-PowerShellDataFile (Join-Path $ModuleBase 'Acefone.psd1')).ModuleVersion
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options')[0].userAgent | Should -BeExactly "Acefone-PowerShell/$version (PowerShell $($PSVersionTable.PSVersion); $($PSVersionTable.PSEdition))"
    }

    It 'two sessions side by side: -Session sends to its own simulator' {
        $other = Start-AcefoneSimulator
        try {
            $first = Connect-Acefone -BaseUri $Sim.BaseUri -AccessToken $Sim.ConsoleToken -PassThru
            $second = Connect-Acefone -BaseUri $other.BaseUri -AccessToken $other.ConsoleToken -PassThru
            $liveFirst = Add-AcefoneSimulatorCall $Sim -Generate 1 -Prefix '1714657802.'
            $liveSecond = Add-AcefoneSimulatorCall $other -Generate 1 -Prefix '1714657803.'
            (Invoke-AcefoneTransfer -CallId $liveFirst[0] -Intercom 8004 -Session $first).Success | Should -BeTrue
            (Invoke-AcefoneTransfer -CallId $liveSecond[0] -Intercom 8004).Success | Should -BeTrue   # the default: the second
            (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options').Count | Should -Be 1
            (Get-AcefoneSimulatorRequest $other -Path '/v1/call/options').Count | Should -Be 1
        }
        finally { Stop-AcefoneSimulator $other }
    }

    It 'a token the API refuses ends the command with AuthenticationFailed and sends no further row' {
        $null = Connect-Acefone -BaseUri $Sim.BaseUri -AccessToken 'not-a-token-the-simulator-knows'
        $rows = 1..5 | ForEach-Object { [pscustomobject]@{ call_id = "1714657799.1193096$_"; intercom = '8004' } }
        { $rows | Invoke-AcefoneTransfer -ErrorAction Continue } | Should -Throw -ErrorId 'AuthenticationFailed*'
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options').Count | Should -Be 1
    }

    It 'Disconnect-Acefone logs out a login token and forgets the session' {
        $null = Connect-ToSimulator $Sim -Login
        Disconnect-Acefone
        Get-AcefoneSession | Should -BeNullOrEmpty
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/auth/logout').Count | Should -Be 1
    }
}

Describe 'Connecting from environment variables' {
    BeforeEach {
        Disconnect-Acefone -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        Reset-AcefoneSimulator $Sim
    }
    AfterEach {
        foreach ($name in 'ACEFONE_ACCESS_TOKEN', 'ACEFONE_LOGIN_ID', 'ACEFONE_PASSWORD', 'ACEFONE_BASE_URI', 'ACEFONE_REGION') { Remove-Item "Env:$name" -ErrorAction SilentlyContinue }
        Disconnect-Acefone -ErrorAction SilentlyContinue
    }

    It 'Connect-Acefone with no credential reads ACEFONE_ACCESS_TOKEN and ACEFONE_BASE_URI' {
        $env:ACEFONE_ACCESS_TOKEN = $Sim.ConsoleToken
        $env:ACEFONE_BASE_URI = $Sim.BaseUri.AbsoluteUri
        Connect-Acefone
        (Get-AcefoneSession).BaseUri | Should -Be $Sim.BaseUri
        (Get-AcefoneSession).AuthKind | Should -Be 'AccessToken'
    }

    It 'a cmdlet with no session connects implicitly from ACEFONE_LOGIN_ID and ACEFONE_PASSWORD' {
        $env:ACEFONE_LOGIN_ID = $Sim.LoginId
        $env:ACEFONE_PASSWORD = $Sim.Password
        $env:ACEFONE_BASE_URI = $Sim.BaseUri.AbsoluteUri
        $live = Add-AcefoneSimulatorCall $Sim -Generate 1 -Prefix '1714657804.'
        (Invoke-AcefoneTransfer -CallId $live[0] -Intercom 8004).Success | Should -BeTrue
        (Get-AcefoneSession).AuthKind | Should -Be 'Login'
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/auth/login').Count | Should -Be 1
    }

    It 'with nothing to connect with, Connect-Acefone names the options and never prompts' {
        { Connect-Acefone } | Should -Throw -ExpectedMessage '*-AccessToken*-Credential*ACEFONE_ACCESS_TOKEN*ACEFONE_LOGIN_ID*'
        { Invoke-AcefoneTransfer -CallId 1.2 -Intercom 8004 } | Should -Throw -ErrorId 'NotConnected*'
        (Get-AcefoneSimulatorRequest $Sim).Count | Should -Be 0
    }

    It 'refuses an unknown ACEFONE_REGION by name' {
        $env:ACEFONE_ACCESS_TOKEN = 'x'
        $env:ACEFONE_REGION = 'Mars'
        { Connect-Acefone } | Should -Throw -ExpectedMessage "*ACEFONE_REGION 'Mars' is not a region*"
    }
}

Describe 'No output shows a token' {
    It 'the session display, its JSON, CliXml, and Verbose and Debug output never contain the token or password' {
        Reset-AcefoneSimulator $Sim
        $session = Connect-ToSimulator $Sim -Login
        $live = Add-AcefoneSimulatorCall $Sim -Generate 1 -Prefix '1714657805.'
        $streams = Invoke-AcefoneTransfer -CallId $live[0] -Intercom 8004 -Verbose -Debug 4>&1 5>&1 | Out-String
        $token = ((Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options')[0].authorization -replace '^Bearer ', '')
        $token.Length | Should -BeGreaterThan 20
        $clixml = Join-Path ([IO.Path]::GetTempPath()) "acefone-session-$PID.xml"
        $session | Export-Clixml $clixml
        $texts = @(
            $streams
            ($session | Format-List * | Out-String)
            ($session | Format-Table | Out-String)
            ($session | ConvertTo-Json -Depth 5 -WarningAction SilentlyContinue)
            (Get-Content -Raw $clixml)
            "$session"
        )
        Remove-Item $clixml
        $streams | Should -Match 'POST /v1/call/options -> 200'
        foreach ($text in $texts) {
            $text | Should -Not -Match ([regex]::Escape($token))
            $text | Should -Not -Match ([regex]::Escape($Sim.Password))
        }
    }
}

Describe 'The session object' {
    BeforeAll {
        Reset-AcefoneSimulator $Sim
        $script:TokenSession = Connect-ToSimulator $Sim
        $script:LoginSession = Connect-ToSimulator $Sim -Login
        $null = Start-AcefoneMonitor -CallId 1714657799.11930961 -AgentId 0502842370001 -Session $LoginSession
        # The JWT the login session holds, as the simulator saw it.
        $script:LoginToken = (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options')[0].authorization -replace '^Bearer '
        $script:Secrets = @($Sim.ConsoleToken, $Sim.Password, $LoginToken)
    }

    It 'shows region, base URI, auth kind, token expiry and rate' {
        $table = $LoginSession | Out-String -Width 200
        # The table fits 80 columns: the host without the scheme, and LoginId in Format-List (DefaultViews.Tests.ps1).
        $table | Should -Match 'Region\s+Host\s+AuthKind\s+TokenExpiresAt\s+Rate'
        $table | Should -Match ([regex]::Escape($Sim.BaseUri.Authority))
        $list = $LoginSession | Format-List | Out-String -Width 200
        foreach ($label in 'Region', 'BaseUri', 'AuthKind', 'LoginId', 'TokenExpiresAt', 'RequestsPerSecond', 'Proxy') { $list | Should -Match "(?m)^$label\s+:" }
        $LoginSession.TokenExpiresAt | Should -Not -BeNullOrEmpty
    }

    It 'never writes a token or password through Export-Clixml, ConvertTo-Json, formatting or a transcript' {
        $LoginToken | Should -Match '^\S{20,}$' -Because 'the test needs the real token to look for'
        $clixml = Join-Path $TestDrive 'session.clixml'
        $transcript = Join-Path $TestDrive 'transcript.txt'
        $TokenSession, $LoginSession | Export-Clixml -Path $clixml -Depth 10
        $json = $TokenSession, $LoginSession | ConvertTo-Json -Depth 6 -WarningAction SilentlyContinue
        $null = Start-Transcript -Path $transcript
        try {
            $TokenSession, $LoginSession | Format-List * -Force | Out-Host
            $TokenSession, $LoginSession | Format-Table * -AutoSize | Out-Host
            $TokenSession, $LoginSession | Out-Host
        }
        finally { $null = Stop-Transcript }
        $texts = @((Get-Content -Raw $clixml), $json, (Get-Content -Raw $transcript), ($LoginSession | Select-Object * | Out-String), "$LoginSession")
        foreach ($text in $texts) {
            $text | Should -Match ([regex]::Escape($Sim.BaseUri.Authority)) -Because 'the output must be of the session at all'
            foreach ($secret in $Secrets) { $text.Contains($secret) | Should -BeFalse }
        }
    }
}
