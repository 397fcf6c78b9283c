# Get-AcefoneCallRecord: across chunks and pages with none missing and none twice, pages that shift while listing,
# the varied field shapes, time zones, filters, unreadable records, and a flat CSV.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
    function script:Set-RecordKnobs([hashtable] $Knobs) { $null = Invoke-SimulatorAdmin $Sim 'records/config' -Method Post -Body $Knobs }
    # The simulator's own records between two times (account time, +05:30), to check a listing against.
    function script:Get-TrueRecords([datetime] $From, [datetime] $To) {
        $f = [uri]::EscapeDataString(([datetimeoffset]::new($From, [timespan]'05:30')).ToString('o'))
        $t = [uri]::EscapeDataString(([datetimeoffset]::new($To, [timespan]'05:30')).ToString('o'))
        @(Invoke-SimulatorAdmin $Sim "records?from=$f&to=$t" | ForEach-Object { $_ })
    }
    # Account wall-clock times (Kind Unspecified): the same hours whatever this machine's zone.
    $script:Now = [datetime]::SpecifyKind([datetime]::UtcNow.AddMinutes(330), 'Unspecified')
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'Get-AcefoneCallRecord' {
    BeforeEach {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
    }

    It 'lists three days in day chunks and small pages, every record once and none missing' {
        $from = $Now.AddDays(-3).Date.AddHours(5.5); $to = $Now.AddHours(-1)
        $records = @(Get-AcefoneCallRecord -From $from -To $to -PageSize 20)
        $truth = Get-TrueRecords $from $to
        $truth.Count | Should -BeGreaterThan 100
        $records[0] | Should -BeOfType ([Acefone.Client.AcefoneCallRecord])
        ($records.CallId | Sort-Object) | Should -Be ($truth.callId | Sort-Object)
        $queries = @((Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/records').query)
        @($queries | ForEach-Object { ($_ -split '&')[0] } | Select-Object -Unique).Count | Should -BeGreaterOrEqual 3
        @($queries | Where-Object { $_ -match '&page=2&' }).Count | Should -BeGreaterOrEqual 3
        $queries[0] | Should -BeLike "from_date=$([uri]::EscapeDataString($from.ToString('yyyy-MM-dd HH:mm:ss')))&to_date=*&page=1&limit=20"
    }

    It 'writes three days oldest first by default; -ApiOrder writes the same records in the API''s order (each day newest first)' {
        $from = $Now.AddDays(-3).Date.AddHours(5.5); $to = $Now.AddHours(-1)
        $sorted = @(Get-AcefoneCallRecord -From $from -To $to -PageSize 20)
        $sorted.Count | Should -BeGreaterThan 100
        for ($i = 1; $i -lt $sorted.Count; $i++) { $sorted[$i].StartedAt | Should -BeGreaterOrEqual $sorted[$i - 1].StartedAt }
        $asSent = @(Get-AcefoneCallRecord -From $from -To $to -PageSize 20 -ApiOrder)
        ($asSent.CallId | Sort-Object) | Should -Be ($sorted.CallId | Sort-Object)
        # The API's own order is not chronological (the sawtooth the default removes).
        @(for ($i = 1; $i -lt $asSent.Count; $i++) { if ($asSent[$i].StartedAt -lt $asSent[$i - 1].StartedAt) { $i } }).Count | Should -BeGreaterThan 0
    }

    It 'writes a record once when a record added mid-listing shifts the pages, and misses none' {
        $from = $Now.AddDays(-2); $to = $Now.AddHours(-1)
        $truth = Get-TrueRecords $from $to
        Set-RecordKnobs @{ shiftEveryNthPage = 2 }
        $records = @(Get-AcefoneCallRecord -From $from -To $to -PageSize 10 -Verbose 4>&1)
        $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $records = @($records | Where-Object { $_ -is [Acefone.Client.AcefoneCallRecord] })
        ($records.CallId | Select-Object -Unique).Count | Should -Be $records.Count
        foreach ($id in $truth.callId) { $records.CallId | Should -Contain $id }
        @($verbose | Where-Object Message -Match 'repeated \d+ records already written').Count | Should -BeGreaterThan 0
    }

    It 'writes a record on a chunk boundary once, though both chunks include it' {
        $truth = Get-TrueRecords $Now.AddDays(-20) $Now
        $pair = $truth | Group-Object startedAt | Where-Object Count -ge 2 | Select-Object -First 1
        $boundary = [datetime]::ParseExact($pair.Name.Substring(0, 19), 'yyyy-MM-dd HH:mm:ss', [cultureinfo]::InvariantCulture)
        $records = @(Get-AcefoneCallRecord -From $boundary.AddDays(-1) -To $boundary.AddDays(1))
        foreach ($id in $pair.Group.callId) { @($records | Where-Object CallId -eq $id).Count | Should -Be 1 }
        $sent = @((Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/records').query)
        # The second chunk starts at the boundary second, which the first chunk's to_date also names.
        @($sent | Where-Object { $_ -like "from_date=$([uri]::EscapeDataString($boundary.ToString('yyyy-MM-dd HH:mm:ss')))&*" }).Count | Should -BeGreaterThan 0
        @($sent | Where-Object { $_ -like "*&to_date=$([uri]::EscapeDataString($boundary.ToString('yyyy-MM-dd HH:mm:ss')))&*" }).Count | Should -BeGreaterThan 0
    }

    It 'reads every field shape into typed properties' {
        $records = @(Get-AcefoneCallRecord -From $Now.AddDays(-2) -To $Now)
        $truth = Get-TrueRecords $Now.AddDays(-2) $Now
        foreach ($shape in 0..3) {
            $sample = $truth | Where-Object { $_.shape -eq $shape -and $_.status -eq 'answered' } | Select-Object -First 1
            $record = $records | Where-Object CallId -eq $sample.callId
            $record.StartedAt | Should -BeOfType ([datetimeoffset])
            $record.StartedAt.Offset | Should -Be ([timespan]'05:30')
            $record.StartedAt.ToString('yyyy-MM-dd HH:mm:sszzz') | Should -BeExactly $sample.startedAt
            $record.Duration | Should -Be ([timespan]::FromSeconds($sample.durationSeconds)) -Because "shape $shape"
            $record.AgentNumber | Should -BeExactly $sample.agentNumber -Because "shape $shape ('Extension-' removed)"
            $record.AgentName | Should -Match '^Agent \d{3}$' -Because "shape $shape"
            $record.Direction | Should -BeIn @([Acefone.Client.CallDirection]::Inbound, [Acefone.Client.CallDirection]::Outbound)
            $record.Uuid | Should -Be $sample.uuid
            ($record.Raw | ConvertFrom-Json).call_id | Should -Be $sample.callId
        }
        @($records | Where-Object CallId -Match '^\d+\.\d+$').Count | Should -BeGreaterThan 0
        @($records | Where-Object CallId -Match '^SRVINF-').Count | Should -BeGreaterThan 0
        @($records | Where-Object CallId -Match '^[0-9a-f]{8}-').Count | Should -BeGreaterThan 0
        @($records | Where-Object { -not $_.HasRecording }).Count | Should -BeGreaterThan 0
    }

    It 'sends the range in the account''s time zone, which -TimeZone sets' {
        $utc = [datetime]::SpecifyKind($Now.AddHours(-5.5).AddDays(-1), 'Utc')
        $null = @(Get-AcefoneCallRecord -From $utc -To $utc.AddHours(2))
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/records')[0].query | Should -BeLike "from_date=$([uri]::EscapeDataString($utc.AddHours(5.5).ToString('yyyy-MM-dd HH:mm:ss')))&*"
        Invoke-SimulatorAdmin $Sim 'requests' | Out-Null
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
        $null = @(Get-AcefoneCallRecord -From $utc -To $utc.AddHours(2) -TimeZone UTC)
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/records')[0].query | Should -BeLike "from_date=$([uri]::EscapeDataString($utc.ToString('yyyy-MM-dd HH:mm:ss')))&*"
    }

    It 'sends the documented filters and gets only what matches' {
        $records = @(Get-AcefoneCallRecord -From $Now.AddDays(-3) -To $Now -Status Missed -Direction Inbound -MinimumDuration '00:00:00' -Department Sales)
        $query = (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/records')[0].query
        $query | Should -Match '&department=Sales&direction=inbound&call_type=m&duration=0&operator=%3E%3D$'
        $records.Count | Should -BeGreaterThan 0
        $records | ForEach-Object { $_.Status | Should -Be 'missed'; $_.Direction | Should -Be 'Inbound'; $_.Department | Should -Be 'Sales' }
        $one = $records[0]
        @(Get-AcefoneCallRecord -From $Now.AddDays(-3) -To $Now -CallId $one.CallId).CallId | Should -Be $one.CallId
    }

    It 'writes one InvalidResponse error naming the field for an unreadable record, and goes on' {
        $from = $Now.AddDays(-1); $to = $Now
        $truth = Get-TrueRecords $from $to
        Set-RecordKnobs @{ brokenDateEveryNth = 7 }
        $records = @(Get-AcefoneCallRecord -From $from -To $to -PageSize 50 -ErrorVariable failures -ErrorAction SilentlyContinue)
        $failures.Count | Should -BeGreaterThan 0
        ($records.Count + $failures.Count) | Should -Be $truth.Count
        foreach ($failure in $failures) {
            $failure.FullyQualifiedErrorId | Should -BeLike 'InvalidResponse,*'
            $failure.Exception.Message | Should -Match 'has a date that is not a date'
            $failure.TargetObject | Should -BeIn $truth.callId
        }
    }

    It 'refuses a range that ends before it starts, sending nothing' {
        Get-AcefoneCallRecord -From $Now -To $Now.AddDays(-1) -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidInput,*'
        (Get-AcefoneSimulatorStats $Sim).received | Should -Be 0
    }

    It 'refuses an unknown -TimeZone as a parameter to correct, not a row, sending nothing' {
        Get-AcefoneCallRecord -From $Now.AddHours(-1) -To $Now -TimeZone 'Nowhere/Place' -ErrorVariable failure -ErrorAction SilentlyContinue
        @($failure).Count | Should -Be 1
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidInput,*'
        $failure[0].Exception.Message | Should -Match "time zone 'Nowhere/Place' is not known"
        $failure[0].ErrorDetails.RecommendedAction | Should -BeExactly 'Correct the named parameter and run the command again; nothing was sent.'
        (Get-AcefoneSimulatorStats $Sim).received | Should -Be 0
    }

    It 'never shows a recording link''s own token in Verbose or Debug (the API''s answer carries the links)' {
        $all = Get-AcefoneCallRecord -From $Now.AddHours(-12) -To $Now -Verbose -Debug *>&1
        $records = @($all | Where-Object { $_ -is [Acefone.Client.AcefoneCallRecord] } | Where-Object HasRecording)
        $records.Count | Should -BeGreaterThan 0
        $text = ($all | Where-Object { $_ -isnot [Acefone.Client.AcefoneCallRecord] } | Out-String)
        $text | Should -Match 'answer 200: \{"count"'
        foreach ($record in $records) {
            $token = ([uri]$record.RecordingUrl).Query -replace '.*token=', ''
            $token.Length | Should -BeGreaterThan 8
            $text.Contains($token) | Should -BeFalse
        }
    }

    It 'exports to a flat CSV and has a default table view' {
        $records = @(Get-AcefoneCallRecord -From $Now.AddHours(-12) -To $Now)
        $csv = Join-Path ([IO.Path]::GetTempPath()) "acefone-records-$PID.csv"
        try {
            $records | Export-Csv $csv -NoTypeInformation
            $rows = @(Import-Csv $csv)
            $rows.Count | Should -Be $records.Count
            $rows[0].PSObject.Properties.Name | Should -Contain 'RecordingUrl'
            $rows[0].PSObject.Properties.Name | Should -Contain 'StartedAt'
            (Get-Content -Raw $csv) | Should -Not -Match 'System\.|Acefone\.Client\.'
        }
        finally { Remove-Item $csv -ErrorAction SilentlyContinue }
        $text = $records | Select-Object -First 3 | Format-Table | Out-String -Width 200
        $text | Should -Match 'StartedAt\s+CallId\s+Direction\s+Status\s+Duration\s+AgentName'
        $text | Should -Not -Match 'token='
    }
}
