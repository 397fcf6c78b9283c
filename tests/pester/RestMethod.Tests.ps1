# Invoke-AcefoneRestMethod, the escape hatch: every route the simulator has, both paging styles, the host check,
# -WhatIf, token refresh, retries by method, and no token in any stream.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
    function script:Set-RecordKnobs([hashtable] $Knobs) { $null = Invoke-SimulatorAdmin $Sim 'records/config' -Method Post -Body $Knobs }
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'Invoke-AcefoneRestMethod' {
    BeforeEach {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
    }

    It 'GETs a top-level array and unrolls it into PSCustomObjects' {
        $calls = @(Invoke-AcefoneRestMethod /v1/live_calls)
        $calls.Count | Should -Be 5
        $calls[0] | Should -BeOfType ([pscustomobject])
        $calls.call_id | Should -Contain '1714657799.11930961'
    }

    It 'GETs an object, with nested objects as PSCustomObjects and ids kept as text' {
        $user = Invoke-AcefoneRestMethod 'v1/user/314601'
        $user.success | Should -BeTrue
        $user.data.agent.id | Should -BeExactly '0502842370001'
        $user.data.agent.extension.username | Should -Be '060210000001'
    }

    It 'encodes -Query properly and repeats the name for a list' {
        $null = Invoke-AcefoneRestMethod /v1/live_calls -Query @{ agent_number = '+91 98765&10004' }
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/live_calls')[0].query | Should -BeExactly 'agent_number=%2B91%2098765%2610004'
        $null = Invoke-AcefoneRestMethod /v1/departments -Query ([ordered]@{ id = 12, 13; active = $true })
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/departments')[0].query | Should -BeExactly 'id=12&id=13&active=true'
    }

    It 'POSTs a hashtable as JSON and writes the parsed answer' {
        $answer = Invoke-AcefoneRestMethod /v1/call/options -Method Post -Body @{ type = 1; call_id = '1714657799.11930961'; agent_id = '0502842370001' }
        $answer.success | Should -BeTrue
        $answer.message | Should -Be 'Monitor request initiated'
        $sent = (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options')[0].body | ConvertFrom-Json
        $sent.type | Should -Be 1
        $sent.agent_id | Should -BeExactly '0502842370001'
    }

    It 'sends a typed object as JSON of its properties' {
        $user = Get-AcefoneUser -AgentId 0502842370001
        $null = Invoke-AcefoneRestMethod /v1/call/hangup -Method POST -Body ([pscustomobject]@{ call_id = '1714657799.11930961'; by = $user })
        $sent = (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/hangup')[0].body | ConvertFrom-Json
        $sent.by.AgentId | Should -BeExactly '0502842370001'
        $sent.by.UserId | Should -Be 314601
    }

    It 'sends a string body as is, and -Raw writes the answer as text' {
        $text = Invoke-AcefoneRestMethod /v1/call/hangup -Method POST -Body '{"call_id":"1714657799.11930962"}' -Raw
        $text | Should -BeOfType ([string])
        $text | Should -Match '"success":\s*true'
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/hangup')[0].body | Should -BeExactly '{"call_id":"1714657799.11930962"}'
    }

    It 'puts the HTTP status in errors (a route the gateway does not know answers 403)' {
        Invoke-AcefoneRestMethod /v1/no/such/route -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure.Count | Should -Be 1
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'Forbidden,*'
        $failure[0].Exception.StatusCode | Should -Be 403
        $failure[0].Exception.Message | Should -Match '403'
    }

    It 'follows cursor paging (last_seen_id + has_more) with -All, writing every user once' {
        $users = @(Invoke-AcefoneRestMethod /v1/users -All)
        $users.Count | Should -Be 250
        ($users.id | Select-Object -Unique).Count | Should -Be 250
        @((Get-AcefoneSimulatorRequest $Sim -Path '/v1/users').query) | Should -Be @('', 'last_seen_id=314700', 'last_seen_id=314800')
    }

    It 'follows page paging (page + limit) with -All' {
        $records = @(Invoke-AcefoneRestMethod /v1/call/records -Query @{ limit = 100 } -All)
        $records.Count | Should -Be 3000
        ($records.call_id | Select-Object -Unique).Count | Should -Be 3000
        $queries = @((Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/records').query)
        $queries.Count | Should -Be 30
        $queries[0] | Should -Be 'limit=100'
        $queries[1] | Should -Be 'limit=100&page=2'
        $queries[29] | Should -Be 'limit=100&page=30'
    }

    It 'stops on a cursor that repeats, with a warning, instead of looping' {
        Set-RecordKnobs @{ usersCursorRepeats = $true }
        $users = @(Invoke-AcefoneRestMethod /v1/users -All -WarningVariable warned -WarningAction SilentlyContinue)
        $users.Count | Should -Be 101
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/users').Count | Should -Be 2
        $warned.Count | Should -Be 1
        "$($warned[0])" | Should -Match 'last_seen_id 314700 again'
    }

    It 'refuses an absolute URL to another host before anything is sent: <Path>' -ForEach @(
        @{ Path = 'https://evil.example.com/v1/users' }
        @{ Path = '//evil.example.com/v1/users' }
        @{ Path = 'http://127.0.0.1:1/v1/users' }
    ) {
        Invoke-AcefoneRestMethod $Path -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidInput,*'
        $failure[0].Exception.Message | Should -Match 'Nothing was sent'
        (Get-AcefoneSimulatorStats $Sim).received | Should -Be 0
    }

    It 'refuses a path that climbs out of the base URI' {
        Invoke-AcefoneRestMethod '/v1/../../admin' -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidInput,*'
        (Get-AcefoneSimulatorStats $Sim).received | Should -Be 0
    }

    It '-WhatIf on a POST sends nothing and shows the method, path and body' {
        $text = Get-HostOutput { Invoke-AcefoneRestMethod /v1/call/hangup -Method POST -Body @{ call_id = '1714657799.11930961' } -WhatIf }
        $text | Should -Match 'What if: .*POST /v1/call/hangup'
        $text | Should -Match '"call_id":"1714657799.11930961"'
        (Get-AcefoneSimulatorStats $Sim).received | Should -Be 0
    }

    It 'refuses the login routes, which the session manages: <Path>' -ForEach @(@{ Path = '/v1/auth/refresh' }, @{ Path = 'V1/Auth/logout' }, @{ Path = '/v1/%61uth/logout' }, @{ Path = '/v1//auth/logout' }) {
        Invoke-AcefoneRestMethod $Path -Method POST -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidInput,*'
        $failure[0].Exception.Message | Should -Match 'Connect-Acefone'
        (Get-AcefoneSimulatorStats $Sim).received | Should -Be 0
    }

    It 'a GET is read even under -WhatIf (reading changes nothing)' {
        @(Invoke-AcefoneRestMethod /v1/live_calls -WhatIf).Count | Should -Be 5
    }

    It 'renews a refused login token once and resends' {
        $null = Connect-ToSimulator $Sim -Login
        Set-AcefoneSimulatorConfig $Sim @{ tokenExpiresAfterRequests = 1 } | Out-Null
        $null = Invoke-AcefoneRestMethod /v1/departments
        $departments = @(Invoke-AcefoneRestMethod /v1/departments)
        $departments.Count | Should -Be 4
        (Get-AcefoneSimulatorStats $Sim).refreshes | Should -Be 1
        @((Get-AcefoneSimulatorRequest $Sim -Path '/v1/departments').status) | Should -Be @(200, 401, 200)
    }

    It 'resends a POST the server surely did not process (503)' {
        Set-AcefoneSimulatorConfig $Sim @{ serviceUnavailableEveryNth = 2 } | Out-Null
        $null = Invoke-AcefoneRestMethod /v1/live_calls
        $answer = Invoke-AcefoneRestMethod /v1/call/hangup -Method POST -Body @{ call_id = '1714657799.11930961' }
        $answer.success | Should -BeTrue
        @((Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/hangup').status) | Should -Be @(503, 200)
    }

    It 'never resends a POST after an ambiguous failure (OutcomeUnknown)' {
        Set-AcefoneSimulatorConfig $Sim @{ dropAfterProcessingEveryNth = 1 } | Out-Null
        Invoke-AcefoneRestMethod /v1/call/hangup -Method POST -Body @{ call_id = '1714657799.11930961' } -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown,*'
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/hangup').Count | Should -Be 1
    }

    It 'resends a GET after a dropped connection' {
        Set-RecordKnobs @{ dropNext = 1; dropAfterBytes = 10 }
        # Drops are a recording-route knob; the GET route used here is the recording link itself, on the API host.
        # A small recording: the escape hatch reads answers into memory, up to 4 MB.
        $small = @(Invoke-SimulatorAdmin $Sim 'records' | ForEach-Object { $_ } | Where-Object { $_.recordingBytes -gt 0 -and $_.recordingBytes -lt 1MB })[0]
        $record = (Invoke-AcefoneRestMethod /v1/call/records -Query @{ call_id = $small.callId }).results[0]
        $path = ([uri]$record.recording_url).PathAndQuery
        $bytes = Invoke-AcefoneRestMethod $path -Raw
        [Text.Encoding]::UTF8.GetByteCount($bytes) | Should -BeGreaterThan 1000
        @((Get-AcefoneSimulatorRequest $Sim -Path '/file/recording').dropped) | Should -Be @($true, $false)
    }

    It 'never writes the token in any stream with -Verbose -Debug' {
        $null = Connect-ToSimulator $Sim -Login
        Set-AcefoneSimulatorConfig $Sim @{ tokenExpiresAfterRequests = 2 } | Out-Null
        $all = & {
            Invoke-AcefoneRestMethod /v1/users -All -Verbose -Debug
            Invoke-AcefoneRestMethod /v1/call/hangup -Method POST -Body @{ call_id = '1714657799.11930961' } -Verbose -Debug
            Invoke-AcefoneRestMethod /v1/no/such/route -Verbose -Debug -ErrorAction Continue
        } *>&1 | Out-String
        (Get-AcefoneSimulatorStats $Sim).refreshes | Should -BeGreaterThan 0
        $all | Should -Match 'GET /v1/users -> 200'
        $log = Get-AcefoneSimulatorRequest $Sim
        $tokens = @($log.authorization | Where-Object { $_ } | ForEach-Object { $_ -replace '^Bearer ', '' } | Select-Object -Unique)
        $tokens.Count | Should -BeGreaterThan 0
        foreach ($token in $tokens) { $all | Should -Not -Match ([regex]::Escape($token)) }
        $all | Should -Not -Match ([regex]::Escape($Sim.Password))
        $all | Should -Not -Match 'eyJ[A-Za-z0-9_-]{5,}\.'
    }
}
