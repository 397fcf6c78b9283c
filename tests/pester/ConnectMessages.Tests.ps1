# The messages a new user meets first: connecting, disconnecting, and a -WhatIf before any connection.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    foreach ($name in 'ACEFONE_BASE_URI', 'ACEFONE_REGION') { Remove-Item "Env:$name" -ErrorAction SilentlyContinue }
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'Connect-Acefone messages' {
    AfterEach {
        foreach ($name in 'ACEFONE_BASE_URI', 'ACEFONE_REGION') { Remove-Item "Env:$name" -ErrorAction SilentlyContinue }
        Disconnect-Acefone -ErrorAction SilentlyContinue
    }

    It 'an empty -AccessToken says so in plain words, not .NET''s (Parameter ...)' {
        $thrown = $null
        try { Connect-Acefone -AccessToken '' -ErrorAction Stop } catch { $thrown = $_ }
        $thrown | Should -Not -BeNullOrEmpty
        $thrown.FullyQualifiedErrorId | Should -BeLike 'InvalidCredential,*'
        "$thrown" | Should -Match '-AccessToken is empty'
        "$thrown" | Should -Not -Match 'Parameter'
    }

    It 'with nothing configured it says how to connect, without -Session (which Connect-Acefone does not take)' {
        $thrown = $null
        try { Connect-Acefone -ErrorAction Stop } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike 'NoCredential,*'
        "$thrown" | Should -Match '-AccessToken'
        "$thrown" | Should -Not -Match '-Session'
    }

    It 'warns when ACEFONE_BASE_URI is set but -AccessToken chose the default region (no request is made)' {
        $env:ACEFONE_BASE_URI = "$($Sim.BaseUri)"
        $session = Connect-Acefone -AccessToken 'any-console-token' -PassThru -WarningVariable warnings -WarningAction SilentlyContinue
        "$($session.BaseUri)" | Should -Be 'https://api.acefone.in/'
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match 'ACEFONE_BASE_URI is set but not used'
        "$($warnings[0])" | Should -Match ([regex]::Escape('-BaseUri $env:ACEFONE_BASE_URI'))
    }

    It 'warns for an ignored ACEFONE_REGION too, and says nothing when -BaseUri was chosen' {
        $env:ACEFONE_REGION = 'UK'
        $null = Connect-Acefone -AccessToken 'any-console-token' -WarningVariable warnings -WarningAction SilentlyContinue
        "$($warnings[0])" | Should -Match 'ACEFONE_REGION is set but not used'
        $null = Connect-Acefone -BaseUri $Sim.BaseUri -AccessToken $Sim.ConsoleToken -WarningVariable quiet -WarningAction SilentlyContinue
        $quiet.Count | Should -Be 0
    }

    It 'no warning when the environment supplies the credential and the endpoint together' {
        $env:ACEFONE_BASE_URI = "$($Sim.BaseUri)"
        $env:ACEFONE_ACCESS_TOKEN = $Sim.ConsoleToken
        try { $session = Connect-Acefone -PassThru -WarningVariable warnings -WarningAction SilentlyContinue }
        finally { Remove-Item Env:ACEFONE_ACCESS_TOKEN }
        "$($session.BaseUri)" | Should -Be "$($Sim.BaseUri)"
        $warnings.Count | Should -Be 0
    }
}

Describe 'Disconnect-Acefone -Verbose' {
    It 'says what it forgot and that a console token was not revoked' {
        $null = Connect-ToSimulator $Sim
        $verbose = Disconnect-Acefone -Verbose 4>&1 | ForEach-Object { "$_" }
        ($verbose -join "`n") | Should -Match 'console access token .* was not revoked'
        ($verbose -join "`n") | Should -Match 'Forgot the default session'
    }

    It 'says that a login token was revoked' {
        $null = Connect-ToSimulator $Sim -Login
        $verbose = (Disconnect-Acefone -Verbose 4>&1 | ForEach-Object { "$_" }) -join "`n"
        $verbose | Should -Match 'Logged out the login token .* it is revoked'
        $verbose | Should -Match 'Forgot the default session'
    }

    It 'says when there was nothing to disconnect' {
        (Disconnect-Acefone -Verbose 4>&1 | ForEach-Object { "$_" }) -join "`n" | Should -Match 'No Acefone session'
    }
}

Describe '-WhatIf before connecting' {
    It 'Stop-AcefoneCall -CallId 1 -WhatIf previews without a session, instead of NotConnected' {
        Disconnect-Acefone -ErrorAction SilentlyContinue
        $text = Get-HostOutput { Stop-AcefoneCall -CallId 1 -WhatIf -ErrorAction Stop }
        $text | Should -Match 'What if: .*Hang up call ''1'''
        $text | Should -Match ([regex]::Escape('{"call_id":"1"}'))
    }

    It 'Invoke-AcefoneTransfer -WhatIf previews without a session too, and a real run still needs one' {
        Disconnect-Acefone -ErrorAction SilentlyContinue
        $text = Get-HostOutput { Invoke-AcefoneTransfer -CallId 1 -Intercom 8004 -WhatIf -ErrorAction Stop }
        $text | Should -Match ([regex]::Escape('{"type":4,"call_id":"1","intercom":"8004"}'))
        { Invoke-AcefoneTransfer -CallId 1 -Intercom 8004 -ErrorAction Stop } | Should -Throw -ErrorId 'NotConnected*'
    }
}
