# Every exported cmdlet has complete offline help, built from docs/<cmdlet>.md, and the markdown matches the
# cmdlet's real parameters. The cmdlet list comes from the module, so new cmdlets are checked without edits here.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Cmdlets = @(Get-Command -Module Acefone -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Common = [System.Management.Automation.PSCmdlet]::CommonParameters
    $script:Docs = Join-Path $RepoRoot 'docs'
}

Describe 'Help for <Name>' -ForEach $Cmdlets {
    BeforeAll {
        $script:Help = Get-Help $Name -Full
        $script:Command = Get-Command $Name
        $script:Examples = @($Help.examples.example)
        $script:RealParameters = @($Command.Parameters.Keys | Where-Object { $_ -notin $Common } | Sort-Object)
    }

    It 'comes from the MAML file, not from PowerShell''s generated stub' {
        # Without MAML, Get-Help invents a synopsis that is just the syntax line.
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis.Trim() | Should -Not -BeLike "$Name *[<]*"
        $Help.Synopsis | Should -Not -Match '\{\{'
    }

    It 'has a description' {
        ($Help.description.Text -join ' ') | Should -Match '\w{3,}'
    }

    It 'describes every parameter' {
        foreach ($parameter in $RealParameters) {
            $entry = @($Help.parameters.parameter | Where-Object Name -eq $parameter)
            $entry.Count | Should -Be 1 -Because "-$parameter needs a help entry"
            ($entry[0].description.Text -join ' ') | Should -Match '\w{3,}' -Because "-$parameter needs a description"
            ($entry[0].description.Text -join ' ') | Should -Not -Match '\{\{'
        }
    }

    It 'has at least three examples, each with code and remarks' {
        $Examples.Count | Should -BeGreaterOrEqual 3
        foreach ($example in $Examples) {
            $example.code | Should -Match "\b$Name\b|\bAcefone" -Because "'$($example.title.Trim('- '))' should show the module in use"
            ($example.remarks.Text -join ' ') | Should -Match '\w{3,}'
        }
    }

    It 'has an example at a prompt' {
        @($Examples | Where-Object { $_.code -match "(?m)^PS> .*\b$Name\b" }).Count | Should -BeGreaterOrEqual 1
    }

    It 'has a CSV bulk-run example (Import-Csv | ... | Export-Csv)' {
        @($Examples | Where-Object { $_.code -match 'Import-Csv' -and $_.code -match 'Export-Csv' -and $_.code -match "\b$Name\b" }).Count | Should -BeGreaterOrEqual 1
    }

    It 'has a runbook example with Get-AutomationPSCredential and no prompt' {
        $runbook = @($Examples | Where-Object { $_.code -match 'Get-AutomationPSCredential' -and $_.code -match "\b$Name\b" })
        $runbook.Count | Should -BeGreaterOrEqual 1
        foreach ($example in $runbook) {
            $example.code | Should -Not -Match 'Read-Host|Get-Credential\b|^PS>' -Because 'a runbook cannot prompt'
        }
    }

    It 'has markdown in docs/ whose parameter list is the cmdlet''s real one' {
        $file = Join-Path $Docs "$Name.md"
        $file | Should -Exist
        $documented = @(Select-String -Path $file -Pattern '^### -(\w+)\s*$' | ForEach-Object { $_.Matches[0].Groups[1].Value } | Sort-Object)
        $documented | Should -Be $RealParameters
    }

    It 'documents each parameter''s metadata as the cmdlet declares it (required, position, pipeline input)' {
        $markdown = Get-Content -Raw (Join-Path $Docs "$Name.md")
        foreach ($parameter in $RealParameters) {
            $block = [regex]::Match($markdown, "(?s)### -$parameter\s.*?``````yaml(.*?)``````").Groups[1].Value
            $attributes = @($Command.Parameters[$parameter].ParameterSets.Values)
            $required = [bool]($attributes | Where-Object IsMandatory)
            $block | Should -Match "Required: $required" -Because "-$parameter"
            $position = @($attributes | Where-Object Position -ge 0 | ForEach-Object Position | Select-Object -First 1)
            $expected = if ($position.Count -gt 0) { "$($position[0])" } else { 'Named' }
            $block | Should -Match "Position: $expected\b" -Because "-$parameter"
            $byValue = [bool]($attributes | Where-Object ValueFromPipeline)
            $byName = [bool]($attributes | Where-Object ValueFromPipelineByPropertyName)
            ($block -match 'Accept pipeline input: True \(.*ByValue') | Should -Be $byValue -Because "-$parameter by value"
            ($block -match 'Accept pipeline input: True \(.*ByPropertyName') | Should -Be $byName -Because "-$parameter by property name"
        }
    }
}

Describe 'Conceptual help' {
    It 'about_Acefone covers connecting, regions, sessions, bulk runs, rate limits, runbooks and parallel runspaces' {
        $text = Get-Help about_Acefone | Out-String
        foreach ($topic in 'Connecting', 'Regions', 'Sessions', 'Bulk runs', 'Rate limits', 'Runbooks', 'Parallel runspaces') {
            $text | Should -Match "(?m)^\s+$topic\s*$" -Because "about_Acefone needs a '$topic' section"
        }
        $text | Should -Match '-Session \$using:'
        $text | Should -Match 'Get-AutomationPSCredential'
    }

    It 'about_Acefone tells a runbook author which runtime to choose, where to keep a console token and how to read a CSV from a storage account' {
        $text = Get-Help about_Acefone | Out-String
        $text | Should -Match 'Which runtime: .*PowerShell 5\.1 and the PowerShell 7\.x runtime'
        $text | Should -Match 'Get-AutomationVariable -Name'
        $text | Should -Match 'Get-AzKeyVaultSecret .*\.SecretValue'
        $text | Should -Match 'Get-AzStorageBlobContent .*-Context'
        $text | Should -Match 'Import-Csv \$file \| Invoke-AcefoneTransfer'
    }

    It 'about_Acefone_Errors explains every ErrorId the module can write, with a cause and what to do' {
        $text = Get-Help about_Acefone_Errors | Out-String
        # Engine error kinds are ErrorIds; the cmdlets add their own ("<Id>", ErrorCategory... or const string).
        $ids = [System.Collections.Generic.SortedSet[string]]::new([string[]][Enum]::GetNames([Acefone.Client.AcefoneErrorKind]))
        foreach ($file in Get-ChildItem (Join-Path $RepoRoot 'src/Acefone.PowerShell') -Recurse -Filter *.cs) {
            $source = Get-Content -Raw $file.FullName
            foreach ($match in [regex]::Matches($source, '"(\w+)",\s*ErrorCategory\.')) { $null = $ids.Add($match.Groups[1].Value) }
            foreach ($match in [regex]::Matches($source, 'const string (\w+) = "(\w+)";')) { if ($file.Name -eq 'ErrorRecords.cs') { $null = $ids.Add($match.Groups[2].Value) } }
        }
        $ids.Count | Should -BeGreaterOrEqual 18
        foreach ($id in $ids) {
            $section = [regex]::Match($text, "(?ms)^\s+$id\s*\r?\n(.*?)(?=^\s{2}\S|^\S|\z)").Groups[1].Value
            $section | Should -Match 'Cause:' -Because "$id needs a section with its cause"
            $section | Should -Match 'What to do:' -Because "$id needs to say what to do"
        }
    }
}

# Issue 25: ".\recordings" in about_Acefone became "." and a line break and "ecordings": a '\r' written out as the
# character. The help build reads markdown split at line ends only and refuses the character and the damage it leaves.
Describe 'The help build keeps backslash sequences' {
    BeforeAll {
        $script:BuildHelp = Join-Path $RepoRoot 'build/Build-Help.ps1'
        function script:Build-AboutHelp([string] $Name, [string] $Text) {
            $source = New-Item -ItemType Directory (Join-Path $TestDrive ([guid]::NewGuid().ToString('n')))
            Copy-Item (Join-Path $RepoRoot 'docs/Get-AcefoneSession.md') $source
            [IO.File]::WriteAllText((Join-Path $source "about_$Name.md"), $Text)
            $out = New-Item -ItemType Directory (Join-Path $source 'out')
            & $BuildHelp -SourcePath $source -ModulePath $out
            [IO.File]::ReadAllText((Join-Path $out "en-US/about_$Name.help.txt"))
        }
    }

    It 'about_Acefone''s built help shows .\recordings whole' {
        $text = Get-Help about_Acefone | Out-String
        $text | Should -Match 'Save-AcefoneRecording -Destination \.\\recordings'
        $text | Should -Not -Match '(?m)^\s*ecordings'
    }

    It 'every backslash sequence of the markdown (\r, \n, \t, \\, \a) comes out as written' {
        $paths = '.\recordings', '.\new\table', 'C:\temp\a\b\f\v', '\\server\share', '.\x0d'
        $text = Build-AboutHelp 'Paths' ("# about_Paths`n`n## Examples`n`n" + (($paths | ForEach-Object { "    Get-ChildItem $_" }) -join "`n") + "`n`nSee $($paths[0]) and ``$($paths[1])``.`n")
        foreach ($path in $paths) { $text | Should -Match ([regex]::Escape("Get-ChildItem $path")) }
        $text | Should -Match ([regex]::Escape('See .\recordings and .\new\table.'))
    }

    It 'a carriage return inside a line stops the build and names the file and line' {
        { Build-AboutHelp 'Broken' "# about_Broken`n`n    Save-AcefoneRecording -Destination .`recordings`n" } |
            Should -Throw -ExpectedMessage '*about_Broken.md line 3*control character (000D)*'
    }

    It 'an indented example line that runs straight into unindented text stops the build' {
        { Build-AboutHelp 'Split' "# about_Split`n`n    Save-AcefoneRecording -Destination .`necordings`n`nMore text.`n" } |
            Should -Throw -ExpectedMessage '*about_Split.md line 4*runs straight on*'
    }
}
