# Invoke-AcefoneRestMethod's Invoke-RestMethod parameters: -StatusCodeVariable, -ResponseHeadersVariable, -Headers,
# -OutFile/-PassThru and -SkipHttpErrorCheck, with the escape hatch's guards (no Authorization, -WhatIf sends nothing,
# a POST is never resent) holding for each.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "acefone-restoptions-$PID"
    $null = New-Item -ItemType Directory -Force -Path $Work
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
    Remove-Item -Recurse -Force $script:Work -ErrorAction SilentlyContinue
}

Describe 'Invoke-AcefoneRestMethod as Invoke-RestMethod' {
    BeforeEach {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
    }

    It 'sets -StatusCodeVariable and -ResponseHeadersVariable in the caller''s scope' {
        $seen = & {
            $null = Invoke-AcefoneRestMethod /v1/departments -StatusCodeVariable innerStatus -ResponseHeadersVariable innerHeaders
            [pscustomobject]@{ Status = $innerStatus; Headers = $innerHeaders }
        }
        $seen.Status | Should -Be 200
        $seen.Status | Should -BeOfType ([int])
        $seen.Headers | Should -BeOfType ([System.Collections.IDictionary])
        $seen.Headers['CONTENT-TYPE'][0] | Should -Match 'json'
        Get-Variable innerStatus -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'sets the status of an error answer, and $null when no answer came' {
        Invoke-AcefoneRestMethod /v1/no/such/route -StatusCodeVariable status -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'Forbidden,*'
        $status | Should -Be 403
        Invoke-AcefoneRestMethod 'https://evil.example.com/v1/users' -StatusCodeVariable status -ResponseHeadersVariable headers -ErrorAction SilentlyContinue
        $status | Should -BeNullOrEmpty
        $headers | Should -BeNullOrEmpty
    }

    It '-SkipHttpErrorCheck writes an error answer instead of an error' {
        $answer = Invoke-AcefoneRestMethod /v1/call/options -Method POST -Body @{ type = 4; call_id = 'no-such-call'; intercom = '8004' } -SkipHttpErrorCheck -StatusCodeVariable status -ErrorVariable failure
        $failure.Count | Should -Be 0
        $status | Should -Be 422
        $answer.message | Should -Match 'Invalid Call ID'
        # Never resent: a POST answered is a POST the API saw.
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options').Count | Should -Be 1
    }

    It 'sends -Headers on the request, every value of a list, and on every page with -All' {
        $null = Invoke-AcefoneRestMethod /v1/live_calls -Headers @{ 'X-Trace-Id' = 'trace-1'; 'X-Multi' = 'a', 'b' }
        $sent = (Get-AcefoneSimulatorRequest $Sim -Path '/v1/live_calls')[0].extraHeaders -split "`n"
        $sent | Should -Contain 'X-Trace-Id: trace-1'
        ($sent | Where-Object { $_ -like 'X-Multi:*' }) -join ';' | Should -Match 'a.*b'
        $users = @(Invoke-AcefoneRestMethod /v1/users -All -Headers @{ 'X-Tenant' = 'north' } -StatusCodeVariable status)
        $users.Count | Should -Be 250
        $status | Should -Be 200
        $pages = Get-AcefoneSimulatorRequest $Sim -Path '/v1/users'
        $pages.Count | Should -Be 3
        foreach ($page in $pages) { $page.extraHeaders | Should -Be 'X-Tenant: north' }
    }

    It 'refuses <Name> in -Headers before anything is sent, without showing the value' -ForEach @(
        @{ Name = 'Authorization' }, @{ Name = 'authorization' }, @{ Name = 'Proxy-Authorization' }, @{ Name = 'Host' }, @{ Name = 'Content-Length' }, @{ Name = 'Content-Type' }
    ) {
        $text = Invoke-AcefoneRestMethod /v1/users -Headers @{ $Name = 'Bearer other-identity-7731' } -ErrorVariable failure -ErrorAction SilentlyContinue *>&1 | Out-String
        $failure.Count | Should -Be 1
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidInput,*'
        $failure[0].Exception.Message | Should -Match ([regex]::Escape($Name))
        $failure[0].ErrorDetails.RecommendedAction | Should -Be 'Correct the named parameter and run the command again; nothing was sent.' -Because 'one call at a prompt has no row'
        "$($failure[0]) $text" | Should -Not -Match 'other-identity-7731'
        (Get-AcefoneSimulatorStats $Sim).received | Should -Be 0
    }

    It 'refuses a header value with a line break' {
        Invoke-AcefoneRestMethod /v1/users -Headers @{ 'X-Trace' = "a`r`nX-Admin: 1" } -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidInput,*'
        (Get-AcefoneSimulatorStats $Sim).received | Should -Be 0
    }

    It 'never shows a header value in Verbose, Debug or -WhatIf, only its name' {
        $all = & {
            Invoke-AcefoneRestMethod /v1/departments -Headers @{ 'X-Api-Key' = 'key-5f4e3d2c1b' } -Verbose -Debug
            Invoke-AcefoneRestMethod /v1/call/hangup -Method POST -Body @{ call_id = '1714657799.11930961' } -Headers @{ 'X-Api-Key' = 'key-5f4e3d2c1b' } -WhatIf -Verbose -Debug
        } *>&1 | Out-String
        $all += Get-HostOutput { Invoke-AcefoneRestMethod /v1/call/hangup -Method POST -Body @{ call_id = '1714657799.11930961' } -Headers @{ 'X-Api-Key' = 'key-5f4e3d2c1b' } -WhatIf }
        $all | Should -Match 'X-Api-Key'
        $all | Should -Not -Match 'key-5f4e3d2c1b'
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/hangup').Count | Should -Be 0
    }

    It '-OutFile writes the body as sent and nothing to the pipeline; -PassThru writes both' {
        $file = Join-Path $Work 'departments.json'
        $raw = Invoke-AcefoneRestMethod /v1/departments -Raw
        $out = Invoke-AcefoneRestMethod /v1/departments -OutFile $file -StatusCodeVariable status
        $out | Should -BeNullOrEmpty
        $status | Should -Be 200
        [IO.File]::ReadAllText($file) | Should -BeExactly $raw
        Remove-Item $file
        $passed = @(Invoke-AcefoneRestMethod /v1/departments -OutFile $file -PassThru)
        $passed.Count | Should -Be 4
        $passed[0] | Should -BeOfType ([pscustomobject])
        Test-Path $file | Should -BeTrue
    }

    It '-OutFile with an error answer: no file without -SkipHttpErrorCheck, the error body with it' {
        $file = Join-Path $Work 'error.json'
        Invoke-AcefoneRestMethod /v1/no/such/route -OutFile $file -ErrorAction SilentlyContinue
        Test-Path $file | Should -BeFalse
        Invoke-AcefoneRestMethod /v1/no/such/route -OutFile $file -SkipHttpErrorCheck -StatusCodeVariable status
        $status | Should -Be 403
        (Get-Item $file).Length | Should -BeGreaterThan 0
    }

    It '-WhatIf with -OutFile sends nothing and writes nothing, for a GET too' {
        $file = Join-Path $Work 'whatif.json'
        $text = Get-HostOutput { Invoke-AcefoneRestMethod /v1/departments -OutFile $file -WhatIf }
        $text | Should -Match ([regex]::Escape($file))
        $null = Invoke-AcefoneRestMethod /v1/call/hangup -Method POST -Body @{ call_id = '1714657799.11930961' } -OutFile $file -WhatIf -StatusCodeVariable status
        $status | Should -BeNullOrEmpty
        Test-Path $file | Should -BeFalse
        (Get-AcefoneSimulatorStats $Sim).received | Should -Be 0
    }

    It 'refuses -OutFile naming a folder, and -PassThru without -OutFile, before anything is sent' {
        Invoke-AcefoneRestMethod /v1/departments -OutFile $Work -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidInput,*'
        $failure[0].Exception.Message | Should -Match 'folder'
        Invoke-AcefoneRestMethod /v1/departments -PassThru -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidInput,*'
        $failure[0].Exception.Message | Should -Match 'OutFile'
        (Get-AcefoneSimulatorStats $Sim).received | Should -Be 0
    }
}
