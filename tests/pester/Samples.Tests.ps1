# The demo's sample file is what new users copy: it must teach the right CSV, and the demo must show what it sent.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:SampleCsv = Join-Path $RepoRoot 'samples/transfers.csv'
}

Describe 'samples/transfers.csv' {
    It 'quotes the two-destination cell, so Import-Csv reads both destinations and the note stays a note' {
        $row = Import-Csv $SampleCsv | Where-Object call_id -eq '1758782566.8123'
        $row.intercom | Should -BeExactly '9876543210,8004'
        $row.note | Should -Match 'two destinations'
    }

    It 'every row has exactly the three columns of the header' {
        foreach ($row in Import-Csv $SampleCsv) { @($row.PSObject.Properties.Name) | Should -Be @('call_id', 'intercom', 'note') }
        # Import-Csv drops extra fields silently: count them in the raw lines instead (a quoted field counts once).
        foreach ($line in Get-Content $SampleCsv | Select-Object -Skip 1) {
            @(($line -replace '"[^"]*"', 'x').Split(',')).Count | Should -Be 3 -Because $line
        }
    }
}

Describe 'samples/Invoke-Demo.ps1' {
    It 'runs, and shows that the two-destination row went out to two destinations as one JSON array' {
        $demo = Invoke-ChildPwsh -TimeoutSec 180 -Environment @{ DEMO_SCRIPT = (Join-Path $RepoRoot 'samples/Invoke-Demo.ps1') } -Script @'
$ErrorActionPreference = 'Stop'
& $env:DEMO_SCRIPT -ModulePath $env:ACEFONE_TEST_MODULE_PATH
'@
        $demo.Error | Should -BeNullOrEmpty
        $demo.ExitCode | Should -Be 0
        $demo.Output | Should -Match ([regex]::Escape('Call 1758782566.8123 went to 2 destinations (9876543210 and 8004)'))
        $demo.Output | Should -Match ([regex]::Escape('"intercom":["9876543210","8004"]'))
    }
}
