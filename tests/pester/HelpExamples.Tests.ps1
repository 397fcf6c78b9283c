# Every help example whose code fence is marked `powershell runnable` runs verbatim against the simulator: a user
# who copies one gets what the help says, not a validation error. Each runs after a connect to the simulator (the
# examples' own Connect-Acefone lines go to real regions, so those examples are not marked), in an empty folder.
BeforeDiscovery {
    $docs = Join-Path $PSScriptRoot '../../docs'
    $script:Runnable = foreach ($file in Get-ChildItem $docs -Filter '*-*.md') {
        $title = $null; $code = $null
        foreach ($line in Get-Content $file.FullName) {
            if ($line -match '^### (.+)$') { $title = $Matches[1] }
            elseif ($null -eq $code -and $line -eq '```powershell runnable') { $code = [System.Collections.Generic.List[string]]::new(); $open = $false }
            elseif ($null -ne $code -and $line -eq '```') {
                if ($code.Count -eq 0) { throw "$($file.Name): $title is marked runnable but has no PS> line." }
                @{ File = $file.Name; Title = $title; Code = ($code -join "`n") }
                $code = $null
            }
            elseif ($null -ne $code) {
                # "PS> " starts a statement as typed at a prompt. A line continues it when it is indented or closes a
                # bracket, or the line before ends open (| { ( , `); anything else is the output shown, not code.
                if ($line.StartsWith('PS> ')) { $code.Add($line.Substring(4)); $open = $true }
                elseif ($open -and ($line -match '^(\s+\S|[})\]])' -or $code[-1] -match '[|{(,`]\s*$')) { $code.Add($line) }
                else { $open = $false }
            }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'Help examples marked runnable' {
    It 'there are runnable examples for most cmdlets' {
        @($Runnable).Count | Should -BeGreaterOrEqual 10
        @($Runnable | ForEach-Object File | Sort-Object -Unique).Count | Should -BeGreaterOrEqual 8
    }

    It 'no example value in the help is masked (digits with X''s fail the module''s own validation)' {
        $masked = Select-String -Path (Join-Path $RepoRoot 'docs/*.md'), (Join-Path $RepoRoot 'README.md') -CaseSensitive -Pattern '\b\d{2,}X+\d+\b|\b\d{2,}XX+\b'
        @($masked | ForEach-Object { "$($_.Filename):$($_.LineNumber): $($_.Line.Trim())" }) | Should -BeNullOrEmpty
    }

    It '<File>: <Title>' -ForEach $Runnable {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive ([guid]::NewGuid().ToString('n')))
        Push-Location $folder
        try {
            $ErrorActionPreference = 'Stop'
            $null = . ([scriptblock]::Create($Code)) 6>$null
        }
        finally {
            Pop-Location
            $ErrorActionPreference = 'Stop'
        }
        # Whatever the example wrote is a real file with rows.
        foreach ($csv in Get-ChildItem $folder -Filter *.csv) { @(Import-Csv $csv.FullName).Count | Should -BeGreaterThan 0 -Because $csv.Name }
    }
}
