# samples/Invoke-AcefoneCloudTransferRunbook.ps1 (issue 21 section 5): the cloud-sandbox runbook run as Automation runs
# it, each attempt in a fresh process with $ErrorActionPreference = 'Stop', against the simulator. Its storage parts are
# parameters: here the CSV is a file, the journal a file or a blob in Azurite (the URL with a SAS, as a runbook keeps it).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module (Join-Path $RepoRoot 'build/Azurite.psm1') -Force
    $script:Sim = Start-AcefoneSimulator
    # build.ps1 Test starts one Azurite for the whole run; alone, this file starts its own.
    $script:OwnAzurite = $null
    $script:AccountUrl = $env:ACEFONE_AZURITE_BLOB_URL
    if (-not $AccountUrl) { $script:OwnAzurite = Start-Azurite; $script:AccountUrl = $OwnAzurite.AccountUrl }
    $script:Sas = New-AzuriteSas
    $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ('acefone-cloud-runbook-tests-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $Folder
    $script:Sample = Join-Path $RepoRoot 'samples/Invoke-AcefoneCloudTransferRunbook.ps1'

    # One job attempt: a new process (a new sandbox), the Automation credential asset stood in by a function, the
    # module found by name as Automation imports it.
    function script:Invoke-RunbookAttempt([string] $Csv, [string] $Journal) {
        $script = @'
$ErrorActionPreference = 'Stop'
function Get-AutomationPSCredential([string] $Name) {
    if ($Name -ne 'Acefone') { throw "no credential asset '$Name'" }
    [pscredential]::new($env:SIM_LOGIN, (ConvertTo-SecureString $env:SIM_PASSWORD -AsPlainText -Force))
}
$arguments = @{ CsvUrl = $env:RUNBOOK_CSV; BaseUri = $env:SIM_BASE_URI }
if ($env:RUNBOOK_JOURNAL) { $arguments.JournalPath = $env:RUNBOOK_JOURNAL }
& $env:RUNBOOK_SAMPLE @arguments
'@
        $modules = Split-Path $ModuleBase -Parent
        Invoke-ChildPwsh -TimeoutSec 180 -Script $script -Environment @{
            RUNBOOK_SAMPLE  = $Sample
            RUNBOOK_CSV     = $Csv
            RUNBOOK_JOURNAL = $Journal
            SIM_BASE_URI    = $Sim.BaseUri
            SIM_LOGIN       = $Sim.LoginId
            SIM_PASSWORD    = $Sim.Password
            PSModulePath    = $modules + [IO.Path]::PathSeparator + $env:PSModulePath
        }
    }

    function script:Get-ProcessedCount {
        $count = @{}
        foreach ($request in (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options')) {
            if ($request.processed) { $id = ($request.body | ConvertFrom-Json).call_id; $count[$id] = 1 + [int]$count[$id] }
        }
        $count
    }
}

AfterAll {
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
    if ($script:OwnAzurite) { Stop-Azurite $script:OwnAzurite }
    if ($script:Folder) { Remove-Item $script:Folder -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'samples/Invoke-AcefoneCloudTransferRunbook.ps1' {
    BeforeEach { Reset-AcefoneSimulator $Sim }

    It 'a restarted job sends only what the first attempt did not: under Stop it finishes, a failed row does not end it (journal: <Store>)' -ForEach @(
        @{ Store = 'file'; Prefix = '1930000000.' }, @{ Store = 'blob'; Prefix = '1932000000.' }) {
        $ids = Add-AcefoneSimulatorCall $Sim -Generate 10 -Prefix $Prefix
        $rows = for ($i = 0; $i -lt 10; $i++) { [pscustomobject]@{ call_id = $ids[$i]; intercom = (8000 + $i).ToString() } }
        $csv = Join-Path $Folder "transfers-$Store.csv"
        # The blob beside the CSV in the storage account, its SAS in the URL's query.
        $journal = if ($Store -eq 'file') { Join-Path $Folder 'transfers-2026-12-02.journal.jsonl' }
        else { (New-AzuriteContainer -AccountUrl $AccountUrl -Sas $Sas) + "/transfers-2026-12-02.journal.jsonl?$Sas" }
        # Row 8's call has ended: a real failure, collected, not the end of the job.
        $null = Invoke-SimulatorAdmin $Sim 'calls/end' -Method Post -Body @{ callIds = @($ids[7]) }

        # The first attempt got through rows 1-4 before the sandbox was lost: the same journal, the first 4 rows.
        $rows[0..3] | Export-Csv -Path $csv -NoTypeInformation
        $first = Invoke-RunbookAttempt $csv $journal
        $first.ExitCode | Should -Be 0 -Because $first.Error
        $first.Output | Should -Match '4 rows: 4 transferred now, 0 sent by an earlier attempt \(0 of them with no known outcome\), 0 failed'

        # The restarted job: the whole file, a new process, nothing carried over but the journal.
        $rows | Export-Csv -Path $csv -NoTypeInformation
        $second = Invoke-RunbookAttempt $csv $journal
        $second.ExitCode | Should -Be 0 -Because $second.Error
        $second.Error | Should -BeNullOrEmpty
        $second.Output | Should -Match '10 rows: 5 transferred now, 4 sent by an earlier attempt \(0 of them with no known outcome\), 1 failed'
        $second.Output | Should -Match "FAILED $([regex]::Escape($ids[7])): CallNotActive"
        $second.Output | Should -Match ('(?m)' + [regex]::Escape("Journal: $($journal -replace '\?.*$', '')") + '\r?$')
        $second.Output | Should -Match 'Invoke-AcefoneTransfer: 10 rows, 6 requests, 5 succeeded, 1 failed .*4 rows skipped as already sent'

        $processed = Get-ProcessedCount
        @($processed.Keys | Sort-Object) | Should -Be @($ids[0..6] + $ids[8..9] | Sort-Object)
        @($processed.Values | Where-Object { $_ -gt 1 }).Count | Should -Be 0

        # A third attempt (the job restarted once more) sends only the failed row again.
        $third = Invoke-RunbookAttempt $csv $journal
        $third.Output | Should -Match '10 rows: 0 transferred now, 9 sent by an earlier attempt'
        (Get-AcefoneSimulatorStats $Sim).duplicateProcessed | Should -Be 0

        # The journal agrees with the simulator's log: what it shows as succeeded is exactly what was processed.
        $records = @(Get-AcefoneJournal -Path $journal)
        @($records | Where-Object State -eq 'Succeeded' | ForEach-Object CallId | Sort-Object) | Should -Be @($processed.Keys | Sort-Object)
        $sig = [uri]::UnescapeDataString(($Sas -split 'sig=')[1])
        ($first.Output + $second.Output + $third.Output + $second.Error) | Should -Not -Match ([regex]::Escape($sig))
    }

    It 'puts the journal beside the CSV by default, named for it, and names the calls to check' {
        $ids = Add-AcefoneSimulatorCall $Sim -Generate 3 -Prefix '1931000000.'
        $csv = Join-Path $Folder 'calls-b.csv'
        $ids | ForEach-Object { [pscustomobject]@{ call_id = $_; intercom = '8004' } } | Export-Csv -Path $csv -NoTypeInformation
        $journal = Join-Path $Folder 'calls-b.journal.jsonl'
        # An earlier attempt died with row 2 sent and no answer recorded.
        [IO.File]::WriteAllText($journal, '{"v":1,"time":"2026-12-02T07:40:00.1234567Z","state":"sending","row":2,"operation":"Transfer","callId":"' + $ids[1] + '","intercom":"8004","module":"0.1.0","run":"x"}' + "`n")
        $run = Invoke-RunbookAttempt $csv $null
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $run.Output | Should -Match '3 rows: 2 transferred now, 1 sent by an earlier attempt \(1 of them with no known outcome\), 0 failed'
        $run.Output | Should -Match "CHECK $([regex]::Escape($ids[1])): SentWithoutAnswer earlier"
        $run.Output | Should -Match ([regex]::Escape("Journal: $journal"))
        @(Get-AcefoneJournal -Path $journal).Count | Should -Be 3
    }
}
