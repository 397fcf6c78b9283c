# Failure containment (issue 12): renewal storms, a long Retry-After, echoed secrets, a listing that stops early,
# an unsendable pasted token, and the "also contain" items, through the cmdlets against the simulator's
# /_sim/containment knobs (tests/Acefone.Simulator/README.md).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator

    function script:Set-Containment([hashtable] $Knobs) { $null = Invoke-SimulatorAdmin $Sim 'containment' -Method Post -Body $Knobs }
    function script:Revoke-IssuedTokens { $null = Invoke-SimulatorAdmin $Sim 'containment/revoke-tokens' -Method Post }
    function script:Get-Count([string] $Path) { $requests = Get-AcefoneSimulatorRequest $Sim -Path $Path; $requests.Count }

    # Runs a script in a runspace of its own with the module loaded, so a hang fails the test instead of the run.
    function script:Invoke-WithBackstop([scriptblock] $Script, [object[]] $Arguments = @(), [int] $TimeoutSec = 60) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$((Join-Path $ModuleBase 'Acefone.psd1'))'").AddStatement()
            $null = $ps.AddScript($Script.ToString())
            foreach ($a in $Arguments) { $null = $ps.AddArgument($a) }
            $handle = $ps.BeginInvoke()
            if (-not $handle.AsyncWaitHandle.WaitOne($TimeoutSec * 1000)) { $ps.Stop(); throw "still running after $TimeoutSec s" }
            [pscustomobject]@{ Output = @($ps.EndInvoke($handle)); Errors = @($ps.Streams.Error) }
        }
        finally { $ps.Dispose() }
    }
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'A failed renewal is shared, not repeated by every row' {
    BeforeEach {
        Disconnect-Acefone -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        Reset-AcefoneSimulator $Sim
    }

    It 'a revoked token with a rotated password: one refresh, one login, and the command ends AuthenticationFailed' {
        $ids = Add-AcefoneSimulatorCall $Sim -Generate 32 -Prefix '1812000000.'
        $null = Connect-ToSimulator $Sim -Login
        Revoke-IssuedTokens
        Set-Containment @{ loginRefusal = 'badCredentials' }
        $rows = foreach ($id in $ids) { [pscustomobject]@{ call_id = $id; intercom = '8004' } }

        $thrown = $null
        try { $null = $rows | Invoke-AcefoneTransfer -ThrottleLimit 16 -ErrorAction SilentlyContinue } catch { $thrown = $_ }

        $thrown.FullyQualifiedErrorId | Should -BeLike 'AuthenticationFailed*'
        (Get-Count '/v1/auth/login') - 1 | Should -Be 1
        Get-Count '/v1/auth/refresh' | Should -Be 1
    }

    It 'a throttled login backs off once for the session and says so in Verbose and in the error' {
        $ids = Add-AcefoneSimulatorCall $Sim -Generate 32 -Prefix '1812100000.'
        $null = Connect-ToSimulator $Sim -Login -Extra @{ MaxRetries = 1 }
        Revoke-IssuedTokens
        Set-Containment @{ loginRefusal = 'throttled'; loginRetryAfterSeconds = 2 }
        $rows = foreach ($id in $ids) { [pscustomobject]@{ call_id = $id; intercom = '8004' } }

        $verbose = $rows | Invoke-AcefoneTransfer -ThrottleLimit 16 -ErrorVariable failures -ErrorAction SilentlyContinue -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        (Get-Count '/v1/auth/login') - 1 | Should -BeLessOrEqual 2
        @($failures).Count | Should -Be 32
        @($failures)[0].FullyQualifiedErrorId | Should -BeLike 'RateLimited*'
        @($failures)[0].Exception.Message | Should -Match 'throttled the login'
        ($verbose.Message -join "`n") | Should -Match 'auth/login -> 429.*throttled; the session waits \d+ ms as the API asked'
    }
}

Describe 'A Retry-After over the cap fails the row at once and freezes nothing' {
    BeforeAll { Reset-AcefoneSimulator $Sim }

    It 'Retry-After: <Header> on a 429: every row fails RateLimited saying how long the API asked, and the run goes on' -ForEach @(
        @{ Header = '3600'; Says = '3600 s \(1 h\)' }
        @{ Header = [DateTimeOffset]::UtcNow.AddDays(1).ToString('r'); Says = ' s \(2\d(\.\d)? h\)' }
    ) {
        Reset-AcefoneSimulator $Sim
        $ids = Add-AcefoneSimulatorCall $Sim -Generate 3 -Prefix '1812200000.'
        Set-Containment @{ callOptionsStatus = 429; callOptionsRetryAfter = $Header }
        $run = Invoke-WithBackstop -Arguments $Sim.BaseUri, $Sim.ConsoleToken, $ids -Script {
            param($BaseUri, $Token, $Ids)
            Connect-Acefone -BaseUri $BaseUri -AccessToken $Token
            $Ids | ForEach-Object { [pscustomobject]@{ call_id = $_; intercom = '8004' } } | Invoke-AcefoneTransfer -ThrottleLimit 1
        }
        $run.Errors.Count | Should -Be 3
        $run.Errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'RateLimited*'; $_.Exception.Message | Should -Match $Says }
        Get-Count '/v1/call/options' | Should -Be 3
    }
}

Describe 'Secrets the API echoes never leave the module' {
    BeforeAll {
        Reset-AcefoneSimulator $Sim
        Disconnect-Acefone -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $ids = Add-AcefoneSimulatorCall $Sim -Generate 4 -Prefix '1812300000.'
        $Error.Clear()
        Set-Containment @{ echoSecrets = $true }
        $session = Connect-ToSimulator $Sim -Login
        foreach ($status in 403, 500) {
            Set-Containment @{ echoSecrets = $true; callOptionsStatus = $status }
            Invoke-AcefoneTransfer -CallId $ids[0] -Intercom 8004 -Session $session -ErrorAction SilentlyContinue -Verbose -Debug 4>$null 5>$null
        }
        Set-Containment @{ echoSecrets = $true; callOptionsStatus = $null }
        $null = Invoke-SimulatorAdmin $Sim 'tokens' -Method Post -Body @{ token = 'sim-second-console-token-5c1d' }
        $console = Connect-Acefone -BaseUri $Sim.BaseUri -AccessToken 'sim-second-console-token-5c1d' -PassThru
        Revoke-IssuedTokens
        $null = Invoke-SimulatorAdmin $Sim 'containment/revoke-tokens' -Method Post
        Set-Containment @{ echoSecrets = $true; loginRefusal = 'badCredentials' }
        try { Invoke-AcefoneTransfer -CallId $ids[1] -Intercom 8004 -Session $session -ErrorAction SilentlyContinue } catch { }
        try { Connect-ToSimulator $Sim -Login } catch { }
        $script:Clixml = Join-Path ([IO.Path]::GetTempPath()) "acefone-containment-$PID.xml"
        $Error | Export-Clixml -Path $Clixml -Depth 5
        $script:Exported = Get-Content -Raw $Clixml
        Remove-Item $Clixml
        $requests = Get-AcefoneSimulatorRequest $Sim
        $script:Issued = @($requests | ForEach-Object { $_.authorization } | Where-Object { $_ } | ForEach-Object { $_ -replace '^Bearer ', '' } | Sort-Object -Unique)
    }

    It 'the API did echo them (the test would prove nothing otherwise)' {
        $Exported | Should -Match 'Authorization='
        $Exported | Should -Match 'The password'
        $Issued.Count | Should -BeGreaterThan 0
    }

    It '$Error | Export-Clixml holds no password, token or token signature' {
        $Exported | Should -Not -Match ([regex]::Escape($Sim.Password))
        foreach ($token in $Issued) {
            $Exported | Should -Not -Match ([regex]::Escape($token))
            if ($token -match '^[^.]+\.[^.]+\.([^.]{16,})$') { $Exported | Should -Not -Match ([regex]::Escape($Matches[1])) }
        }
    }
}

Describe 'Get-AcefoneUser never returns a short list silently' {
    It 'empty pages that say has_more: an InvalidResponse error, $? false, after a few requests' {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
        Set-Containment @{ endlessUserPages = $true }
        $users = Get-AcefoneUser -ErrorVariable failure -ErrorAction SilentlyContinue
        $ok = $?
        $ok | Should -BeFalse
        @($users).Count | Should -Be 0
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidResponse*'
        $failure[0].Exception.Message | Should -Match 'incomplete'
        Get-Count '/v1/users' | Should -BeLessOrEqual 5
    }
}

Describe 'A pasted token that no header can hold' {
    BeforeAll { Reset-AcefoneSimulator $Sim; Disconnect-Acefone -ErrorAction SilentlyContinue -WarningAction SilentlyContinue }

    It 'an invisible character is refused at Connect: InvalidInput naming the position, never the token' {
        $pasted = $Sim.ConsoleToken.Insert(5, [string][char]0x200B)
        $thrown = $null
        try { Connect-Acefone -BaseUri $Sim.BaseUri -AccessToken $pasted } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike 'InvalidInput*'
        $thrown.Exception.Message | Should -Match 'U\+200B\) at position 6'
        $thrown.Exception.Message | Should -Not -Match ([regex]::Escape($Sim.ConsoleToken.Substring(6)))
        Get-Count '/v1/call/options' | Should -Be 0
    }

    It 'a pasted "Bearer " in front is stripped' {
        $id = (Add-AcefoneSimulatorCall $Sim -Generate 1 -Prefix '1812400000.')[0]
        $null = Connect-Acefone -BaseUri $Sim.BaseUri -AccessToken ('Bearer ' + $Sim.ConsoleToken)
        (Invoke-AcefoneTransfer -CallId $id -Intercom 8004).Success | Should -BeTrue
        $requests = Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options'
        $requests[-1].authorization | Should -BeExactly ('Bearer ' + $Sim.ConsoleToken)
    }
}

Describe 'Listings: one bad entry, and the response cap' {
    BeforeAll { Reset-AcefoneSimulator $Sim; $null = Connect-ToSimulator $Sim }

    It 'a live call with call_id null: the good calls and one InvalidResponse error' {
        Set-Containment @{ nullCallIdAt = 2 }
        $calls = Get-AcefoneLiveCall -ErrorVariable failure -ErrorAction SilentlyContinue
        @($calls).Count | Should -Be 4
        @($failure).Count | Should -Be 1
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidResponse*'
        $failure[0].Exception.Message | Should -Match 'live call 2 '
        Set-Containment @{ nullCallIdAt = $null }
    }

    It 'a live list over 1 MB is read by default and refused under -MaxResponseSizeMB 1' {
        $null = Add-AcefoneSimulatorCall $Sim -Generate 5000 -Prefix '1812500000.'
        $listing = Invoke-WebRequest -Uri ([Uri]::new($Sim.BaseUri, 'v1/live_calls')) -Headers @{ Authorization = "Bearer $($Sim.ConsoleToken)" }
        $listing.RawContentLength | Should -BeGreaterThan 1MB
        @(Get-AcefoneLiveCall).Count | Should -BeGreaterThan 5000
        $null = Connect-ToSimulator $Sim -Extra @{ MaxResponseSizeMB = 1 }
        $calls = Get-AcefoneLiveCall -ErrorVariable failure -ErrorAction SilentlyContinue
        @($calls).Count | Should -Be 0
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidResponse*'
        $failure[0].Exception.Message | Should -Match '1048576'
    }
}
