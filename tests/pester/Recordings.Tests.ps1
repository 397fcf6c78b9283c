# Save-AcefoneRecording: streamed to a temporary name and renamed, skipped when complete, resumed after a dropped
# connection, 404 as RecordingNotFound, and the session's token never sent to a foreign host (a second simulator
# plays the web console's host and records the headers it got).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
    $script:Foreign = Start-AcefoneSimulator
    function script:Set-RecordKnobs($Simulator, [hashtable] $Knobs) { $null = Invoke-SimulatorAdmin $Simulator 'records/config' -Method Post -Body $Knobs }
    $script:Now = [datetime]::SpecifyKind([datetime]::UtcNow.AddMinutes(330), 'Unspecified')
    # A few answered calls with recordings, the smallest first, so the tests move little data.
    function script:Get-RecordedCalls([int] $Count) {
        $sizes = @{}
        foreach ($record in $script:Truth) { $sizes[$record.callId] = $record.recordingBytes }
        @(Get-AcefoneCallRecord -From $Now.AddDays(-2) -To $Now -Status Answered | Where-Object HasRecording |
            Sort-Object { $sizes[$_.CallId] } | Select-Object -First $Count)
    }
    function script:New-Folder { $path = Join-Path ([IO.Path]::GetTempPath()) "acefone-rec-$PID-$([guid]::NewGuid().ToString('n'))"; $null = New-Item -ItemType Directory $path; $path }
    $script:Folders = [System.Collections.Generic.List[string]]::new()
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    foreach ($s in $script:Sim, $script:Foreign) { if ($s) { Stop-AcefoneSimulator $s } }
    foreach ($f in $script:Folders) { Remove-Item $f -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Save-AcefoneRecording' {
    BeforeEach {
        Reset-AcefoneSimulator $Sim
        Reset-AcefoneSimulator $Foreign
        # One seeding time for both: the foreign host must know the same recordings (call ids carry their start time,
        # so resets in different seconds once gave the foreign host other ids, and a 404).
        $seededAt = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        foreach ($s in $Sim, $Foreign) { $null = Invoke-SimulatorAdmin $s 'records/reseed' -Method Post -Body @{ seededAt = $seededAt } }
        $null = Connect-ToSimulator $Sim
        $script:Dir = New-Folder
        $Folders.Add($Dir)
        $script:Truth = @(Invoke-SimulatorAdmin $Sim 'records' | ForEach-Object { $_ })
    }

    It 'downloads each recording to a file named from the start time and call id, with the extension of its content type' {
        $calls = Get-RecordedCalls 3
        $files = @($calls | Save-AcefoneRecording -Destination $Dir)
        $files.Count | Should -Be 3
        $files[0] | Should -BeOfType ([System.IO.FileInfo])
        foreach ($call in $calls) {
            $file = $files | Where-Object Name -Like "$($call.StartedAt.ToString('yyyyMMdd-HHmmss'))_*"
            $file | Should -Not -BeNullOrEmpty
            $file.Length | Should -Be ($Truth | Where-Object callId -eq $call.CallId).recordingBytes
            $file.Extension | Should -BeIn '.wav', '.mp3'
            $file.Name | Should -Not -Match 'token|rec&|[?&=]'
        }
        @(Get-ChildItem $Dir -Filter *.partial).Count | Should -Be 0
        $wav = $files | Where-Object Extension -eq '.wav' | Select-Object -First 1
        if ($wav) { [Text.Encoding]::ASCII.GetString([IO.File]::ReadAllBytes($wav.FullName), 0, 4) | Should -Be 'RIFF' }
    }

    It 'writes each file as Get-Item gives it (so the default table shows Mode and Length) and its summary without -Verbose' {
        $calls = Get-RecordedCalls 2
        $files = @($calls | Save-AcefoneRecording -Destination $Dir -InformationVariable info 6>$null)
        $files[0].PSProvider.Name | Should -Be 'FileSystem'
        $files[0].PSParentPath | Should -Be (Get-Item -LiteralPath $Dir).PSPath
        ($files | Format-Table | Out-String -Width 120) | Should -Be (Get-Item -LiteralPath $files.FullName | Format-Table | Out-String -Width 120)
        $summary = @($info | Where-Object Tags -Contains 'Summary')
        $summary.Count | Should -Be 1
        "$($summary[0].MessageData)" | Should -Match '^Save-AcefoneRecording: 2 downloaded, 0 already complete, 0 without a recording, 0 failed, \d+ bytes received\.$'
        $summary[0].Tags | Should -Contain 'PSHOST'
    }

    It 'skips a file already complete, and -Force downloads it again' {
        $calls = Get-RecordedCalls 2
        $null = $calls | Save-AcefoneRecording -Destination $Dir
        $before = (Get-AcefoneSimulatorRequest $Sim -Path '/file/recording').Count
        $again = @($calls | Save-AcefoneRecording -Destination $Dir -Verbose 4>&1)
        (Get-AcefoneSimulatorRequest $Sim -Path '/file/recording').Count | Should -Be $before
        @($again | Where-Object { $_ -is [IO.FileInfo] }).Count | Should -Be 2
        @($again | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'already complete; skipped' }).Count | Should -Be 2
        $null = $calls | Save-AcefoneRecording -Destination $Dir -Force
        (Get-AcefoneSimulatorRequest $Sim -Path '/file/recording').Count | Should -Be ($before + 2)
    }

    It 'resumes after a dropped connection with a Range request, and the file is whole' {
        $call = (Get-RecordedCalls 1)[0]
        Set-RecordKnobs $Sim @{ dropNext = 1; dropAfterBytes = 65536 }
        $file = $call | Save-AcefoneRecording -Destination $Dir
        $log = Get-AcefoneSimulatorRequest $Sim -Path '/file/recording'
        @($log.dropped) | Should -Be @($true, $false)
        @($log.status) | Should -Be @(0, 206)
        $fresh = New-Folder; $Folders.Add($fresh)
        $whole = $call | Save-AcefoneRecording -Destination $fresh
        (Get-FileHash $file.FullName).Hash | Should -Be (Get-FileHash $whole.FullName).Hash
    }

    It 'leaves a partial file when the connection drops for good, and a re-run completes it' {
        $call = (Get-RecordedCalls 1)[0]
        $null = Connect-ToSimulator $Sim -Extra @{ MaxRetries = 0 }
        Set-RecordKnobs $Sim @{ dropNext = 1; dropAfterBytes = 65536 }
        $call | Save-AcefoneRecording -Destination $Dir -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure.Count | Should -Be 1
        @(Get-ChildItem $Dir -Filter *.partial).Count | Should -Be 1
        @(Get-ChildItem $Dir -Exclude *.partial, *.partial.validator).Count | Should -Be 0
        $file = $call | Save-AcefoneRecording -Destination $Dir
        $file.Length | Should -Be ($Truth | Where-Object callId -eq $call.CallId).recordingBytes
        @(Get-ChildItem $Dir -Filter *.partial).Count | Should -Be 0
        (Get-AcefoneSimulatorRequest $Sim -Path '/file/recording')[-1].status | Should -Be 206
    }

    It 'downloads a recording that changed after a drop again whole, never stitched from two versions' {
        $call = (Get-RecordedCalls 1)[0]
        $null = Connect-ToSimulator $Sim -Extra @{ MaxRetries = 0 }
        Set-RecordKnobs $Sim @{ dropNext = 1; dropAfterBytes = 65536; recordingChangesAfterDrop = $true }
        $call | Save-AcefoneRecording -Destination $Dir -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-ChildItem $Dir -Filter *.partial.validator | Should -Not -BeNullOrEmpty
        $file = $call | Save-AcefoneRecording -Destination $Dir
        $fresh = New-Folder; $Folders.Add($fresh)
        $whole = $call | Save-AcefoneRecording -Destination $fresh
        (Get-FileHash $file.FullName).Hash | Should -Be (Get-FileHash $whole.FullName).Hash
        @(Get-ChildItem $Dir -Filter *.partial*).Count | Should -Be 0
    }

    It 'keeps a slow download going: the timeout bounds a stall, not the whole file' {
        $sizes = @{}
        foreach ($record in $Truth) { $sizes[$record.callId] = $record.recordingBytes }
        $call = @(Get-AcefoneCallRecord -From $Now.AddDays(-3) -To $Now -Status Answered | Where-Object { $sizes[$_.CallId] -gt 800KB -and $sizes[$_.CallId] -lt 1.5MB })[0]
        $null = Connect-ToSimulator $Sim -Extra @{ TimeoutSec = 2 }
        # About 15 pauses of 0.2 s: the whole body takes longer than the timeout, no single wait comes near it.
        Set-RecordKnobs $Sim @{ slowBodyDelayMs = 200 }
        $file = $call | Save-AcefoneRecording -Destination $Dir
        $file.Length | Should -Be $sizes[$call.CallId]
        (Get-AcefoneSimulatorRequest $Sim -Path '/file/recording').Count | Should -Be 1
    }

    It 'writes RecordingNotFound for a recording retention removed, and saves the others' {
        $calls = Get-RecordedCalls 3
        Set-RecordKnobs $Sim @{ goneCallIds = @($calls[1].CallId) }
        $files = @($calls | Save-AcefoneRecording -Destination $Dir -ErrorVariable failure -ErrorAction SilentlyContinue)
        $files.Count | Should -Be 2
        $failure.Count | Should -Be 1
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'RecordingNotFound,*'
        $failure[0].TargetObject | Should -Be $calls[1].CallId
        $failure[0].Exception.Message | Should -Match '404'
        $failure[0].Exception.Message | Should -Not -Match 'token=[0-9a-f]'
    }

    It 'skips rows without a recording with a note shown without -Verbose, as the summary is' {
        $missed = @(Get-AcefoneCallRecord -From $Now.AddDays(-1) -To $Now -Status Missed | Select-Object -First 2)
        $out = @($missed | Save-AcefoneRecording -Destination $Dir -InformationVariable info 6>$null)
        @($out | Where-Object { $_ -is [IO.FileInfo] }).Count | Should -Be 0
        $notes = @($info | Where-Object { "$($_.MessageData)" -match 'has no recording; skipped' })
        $notes.Count | Should -Be 2
        $notes[0].Tags | Should -Contain 'PSHOST'
        "$($info.MessageData)" | Should -Match 'Save-AcefoneRecording: 0 downloaded, 0 already complete, 2 without a recording, 0 failed, 0 bytes received\.'
        (Get-AcefoneSimulatorRequest $Sim -Path '/file/recording').Count | Should -Be 0
    }

    It 'sends the session''s token to its own API host' {
        $null = Get-RecordedCalls 1 | Save-AcefoneRecording -Destination $Dir
        (Get-AcefoneSimulatorRequest $Sim -Path '/file/recording')[0].authorization | Should -Be "Bearer $($Sim.ConsoleToken)"
    }

    It 'never sends the token to a foreign host; -TokenHost names one explicitly' {
        Set-RecordKnobs $Sim @{ recordingBaseUri = $Foreign.BaseUri.GetLeftPart('Authority') }
        $calls = Get-RecordedCalls 2
        $calls[0].RecordingUrl | Should -BeLike "$($Foreign.BaseUri.GetLeftPart('Authority'))/file/recording?*"
        $files = @($calls | Save-AcefoneRecording -Destination $Dir)
        $files.Count | Should -Be 2
        $seen = Get-AcefoneSimulatorRequest $Foreign -Path '/file/recording'
        $seen.Count | Should -Be 2
        $seen | ForEach-Object { $_.authorization | Should -BeNullOrEmpty }
        (Get-AcefoneSimulatorRequest $Sim -Path '/file/recording').Count | Should -Be 0
        $trusted = "127.0.0.1:$($Foreign.BaseUri.Port)"
        $null = $calls[0] | Save-AcefoneRecording -Destination $Dir -Force -TokenHost $trusted
        (Get-AcefoneSimulatorRequest $Foreign -Path '/file/recording')[-1].authorization | Should -Be "Bearer $($Sim.ConsoleToken)"
    }

    It 'says a 401 from a host that got no token may need -TokenHost' {
        Set-RecordKnobs $Sim @{ recordingBaseUri = $Foreign.BaseUri.GetLeftPart('Authority') }
        Set-RecordKnobs $Foreign @{ recordingRequiresAuthorization = $true }
        $call = (Get-RecordedCalls 1)[0]
        $call | Save-AcefoneRecording -Destination $Dir -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure.Count | Should -Be 1
        $failure[0].Exception.Message | Should -Match 'got no Authorization header'
        $failure[0].Exception.Message | Should -Match "-TokenHost '127\.0\.0\.1:$($Foreign.BaseUri.Port)'"
    }

    It 'never shows the link''s own token or the session''s token with -Verbose -Debug, nor in errors' {
        $calls = Get-RecordedCalls 2
        Set-RecordKnobs $Sim @{ goneCallIds = @($calls[0].CallId) }
        $all = $calls | Save-AcefoneRecording -Destination $Dir -Verbose -Debug -ErrorAction Continue *>&1 | Out-String
        $all | Should -Match 'RecordingNotFound|not there \(404\)'
        foreach ($call in $calls) {
            $token = ([uri]$call.RecordingUrl).Query -replace '.*token=', ''
            $token.Length | Should -BeGreaterThan 8
            $all | Should -Not -Match $token
        }
        $all | Should -Not -Match ([regex]::Escape($Sim.ConsoleToken))
    }

    It '-WhatIf sends nothing and writes no file' {
        $calls = Get-RecordedCalls 2
        $text = Get-HostOutput { $calls | Save-AcefoneRecording -Destination $Dir -WhatIf }
        $text | Should -Match 'What if: .*recording of call'
        $text | Should -Not -Match 'token=[0-9a-f]'
        (Get-AcefoneSimulatorRequest $Sim -Path '/file/recording').Count | Should -Be 0
        @(Get-ChildItem $Dir).Count | Should -Be 0
    }

    It 'downloads a record piped twice in one run once' {
        $call = (Get-RecordedCalls 1)[0]
        $files = @($call, $call | Save-AcefoneRecording -Destination $Dir)
        $files.Count | Should -Be 1
        (Get-AcefoneSimulatorRequest $Sim -Path '/file/recording').Count | Should -Be 1
    }

    It 'reads StartedAt as this culture writes it in a CSV' {
        $call = (Get-RecordedCalls 1)[0]
        $culture = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = 'de-DE'
            $csv = Join-Path $Dir 'de.csv'
            $call | Export-Csv $csv -NoTypeInformation
            (Get-Content $csv)[1] | Should -Match '"\d{2}\.\d{2}\.\d{4} '
            $file = Import-Csv $csv | Save-AcefoneRecording -Destination (Join-Path $Dir 'out')
        }
        finally { [cultureinfo]::CurrentCulture = $culture }
        $file.Name | Should -BeLike "$($call.StartedAt.ToString('yyyyMMdd-HHmmss'))_*"
    }

    It 'binds CSV rows exported from Get-AcefoneCallRecord' {
        $csv = Join-Path $Dir 'records.csv'
        Get-RecordedCalls 2 | Export-Csv $csv -NoTypeInformation
        $out = New-Folder; $Folders.Add($out)
        $files = @(Import-Csv $csv | Save-AcefoneRecording -Destination $out)
        $files.Count | Should -Be 2
        $files | ForEach-Object { $_.Name | Should -Match '^\d{8}-\d{6}_' }
    }
}
