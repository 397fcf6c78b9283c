# The DLLs the module ships beside its own load privately, only for the module, and never get in the way of
# another module's copy (or take the framework's place). Each scenario runs in a fresh process, because
# assemblies cannot be unloaded.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module (Join-Path $RepoRoot 'build/ShippedDlls.psm1') -Force
    $script:Sim = Start-AcefoneSimulator
    $script:Dependencies = Join-Path $ModuleBase 'dependencies'
    # Another version of a dependency, as another module would bring it (restored by build/tools/Tools.csproj).
    $packages = Split-Path (Split-Path (Split-Path (Get-Module Pester).ModuleBase))
    $script:OtherTimeProvider = Join-Path $packages 'microsoft.bcl.timeprovider/9.0.11/lib/netstandard2.0/Microsoft.Bcl.TimeProvider.dll'
    $script:ChildEnvironment = @{ SIM_BASE_URI = "$($Sim.BaseUri)"; SIM_TOKEN = $Sim.ConsoleToken; OTHER_TIMEPROVIDER = $OtherTimeProvider }
    # Windows PowerShell 5.1 (.NET Framework) has no load contexts: those tests say so and skip.
    $script:OnDesktop = $PSVersionTable.PSEdition -eq 'Desktop'
    $script:CoreOnly = 'needs .NET (PowerShell 7): load contexts and System.Reflection.Metadata do not exist on Windows PowerShell 5.1'
    # Prints, as JSON, where each loaded copy of the module's dependencies came from.
    $script:ReportLoaded = @'
function Get-Loaded {
    @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -in 'Microsoft.Bcl.TimeProvider', 'System.Text.Json' } | ForEach-Object {
        $context = $null
        if ('System.Runtime.Loader.AssemblyLoadContext' -as [type]) { $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name }
        [pscustomobject]@{ Name = $_.GetName().Name; Version = "$($_.GetName().Version)"; Context = $context; Location = $_.Location }
    })
}
function Invoke-Monitor([string] $CallId) {
    Connect-Acefone -BaseUri $env:SIM_BASE_URI -AccessToken $env:SIM_TOKEN
    (Start-AcefoneMonitor -CallId $CallId -AgentId 0502842370001).Success
}
'@
}

AfterAll {
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'Shipped dependencies' {
    It 'ships only the module''s own DLLs at the top level and everything else under dependencies/' {
        @(Get-ChildItem $ModuleBase -Filter *.dll | ForEach-Object Name | Sort-Object) | Should -Be @('Acefone.Client.dll', 'Acefone.PowerShell.dll')
        Get-ChildItem $ModuleBase -Recurse -Filter 'System.Management.Automation*.dll' | Should -BeNullOrEmpty
    }

    It 'ships no DLL that nothing references: each is reached from Acefone.Client or Acefone.PowerShell' {
        if ($OnDesktop) { Set-ItResult -Skipped -Because $CoreOnly; return }
        function Get-References([string] $Path) {
            $stream = [IO.File]::OpenRead($Path)
            try {
                $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
                $reader = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
                @($reader.AssemblyReferences | ForEach-Object { $reader.GetString($reader.GetAssemblyReference($_).Name) })
            }
            finally { $stream.Dispose() }
        }
        $shipped = @{}
        foreach ($file in Get-ChildItem $Dependencies -Filter *.dll) { $shipped[$file.BaseName] = $file.FullName }
        $reached = [System.Collections.Generic.HashSet[string]]::new()
        $queue = [System.Collections.Generic.Queue[string]]::new([string[]]@((Join-Path $ModuleBase 'Acefone.PowerShell.dll'), (Join-Path $ModuleBase 'Acefone.Client.dll')))
        while ($queue.Count) {
            foreach ($reference in Get-References $queue.Dequeue()) {
                if ($shipped.ContainsKey($reference) -and $reached.Add($reference)) { $queue.Enqueue($shipped[$reference]) }
            }
        }
        @($shipped.Keys | Where-Object { -not $reached.Contains($_) }) | Should -BeNullOrEmpty
    }

    It 'ships exactly the allow-list in build/ShippedDlls.psm1' {
        $shipped = Get-ShippedDll
        @(Get-ChildItem $ModuleBase -Filter *.dll | ForEach-Object Name | Sort-Object) | Should -Be @($shipped.Own | Sort-Object)
        @(Get-ChildItem $Dependencies -Filter *.dll | ForEach-Object Name | Sort-Object) | Should -Be @($shipped.Dependencies | Sort-Object)
    }

    It 'refuses a build that lacks an allowed DLL or produces one not on the list' {
        $shipped = Get-ShippedDll
        $all = @($shipped.Own) + @($shipped.Dependencies)
        { Assert-ShippedDll -Published $all } | Should -Not -Throw
        { Assert-ShippedDll -Published ($all + 'System.Management.Automation.dll') } | Should -Not -Throw
        { Assert-ShippedDll -Published ($all + 'Newtonsoft.Json.dll') } | Should -Throw '*Newtonsoft.Json.dll*not on the list*'
        { Assert-ShippedDll -Published @($all | Where-Object { $_ -ne 'System.Text.Json.dll' }) } | Should -Throw '*did not produce System.Text.Json.dll*'
    }

    It 'ships exactly the DLLs build/README.md lists and explains' {
        $readme = Get-Content -Raw (Join-Path $RepoRoot 'build/README.md')
        $documented = @([regex]::Matches($readme, '(?m)^\| `([\w.]+\.dll)`') | ForEach-Object { $_.Groups[1].Value } | Sort-Object)
        @(Get-ChildItem $ModuleBase -Recurse -Filter *.dll | ForEach-Object Name | Sort-Object) | Should -Be $documented
    }
}

Describe 'Loading dependencies' {
    It 'loads nothing from dependencies/ at import, and writes nothing' {
        $result = Invoke-ChildPwsh -Environment $ChildEnvironment -Script ($ReportLoaded + @'
$ErrorActionPreference = 'Stop'
$WarningPreference = 'Continue'; $InformationPreference = 'Continue'
$written = @(& { Import-Module $env:ACEFONE_TEST_MODULE_PATH } *>&1)
[pscustomobject]@{ Written = $written.Count; Loaded = @(Get-Loaded | Where-Object Location -like '*dependencies*') } | ConvertTo-Json -Depth 4 -Compress
'@)
        $result.Error | Should -BeNullOrEmpty
        $report = $result.Output | ConvertFrom-Json
        $report.Written | Should -Be 0
        $report.Loaded | Should -BeNullOrEmpty
    }

    It 'on PowerShell 7 uses the framework''s System.Text.Json and its own Microsoft.Bcl.TimeProvider in a private load context' {
        if ($OnDesktop) { Set-ItResult -Skipped -Because $CoreOnly; return }
        $result = Invoke-ChildPwsh -Environment $ChildEnvironment -Script ($ReportLoaded + @'
$ErrorActionPreference = 'Stop'
Import-Module $env:ACEFONE_TEST_MODULE_PATH
$ok = Invoke-Monitor '1714657799.11930961'
[pscustomobject]@{ Ok = $ok; Loaded = Get-Loaded } | ConvertTo-Json -Depth 4 -Compress
'@)
        $result.Error | Should -BeNullOrEmpty
        $report = $result.Output | ConvertFrom-Json
        $report.Ok | Should -BeTrue
        $json = @($report.Loaded | Where-Object Name -eq 'System.Text.Json')
        $json.Count | Should -Be 1
        $json[0].Location | Should -Not -BeLike '*dependencies*'
        $clock = @($report.Loaded | Where-Object Name -eq 'Microsoft.Bcl.TimeProvider')
        $clock.Count | Should -Be 1
        $clock[0].Context | Should -Be 'Acefone'
        $clock[0].Location | Should -Be (Join-Path $Dependencies 'Microsoft.Bcl.TimeProvider.dll')
    }

    It 'does not answer load requests that do not come from the module' {
        $result = Invoke-ChildPwsh -Environment $ChildEnvironment -Script @'
Import-Module $env:ACEFONE_TEST_MODULE_PATH
foreach ($version in '8.0.0.1', '7.0.0.0') {
    try { $null = [System.Reflection.Assembly]::Load("Microsoft.Bcl.TimeProvider, Version=$version, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51"); 'loaded' }
    catch { 'refused' }
}
'@
        # .NET names every requester, so a load that is not the module's is refused whatever its version. .NET Framework
        # may name none: then only the exact version shipped (8.0.0.1) is answered, never another one.
        $expected = if ($OnDesktop) { 'loaded refused' } else { 'refused refused' }
        (($result.Output.Trim() -split '\s+') -join ' ') | Should -Be $expected
    }

    It 'works when another version (9.0) of a dependency was loaded first, and after Remove-Module / Import-Module' {
        if ($OnDesktop) { Set-ItResult -Skipped -Because $CoreOnly; return }
        $OtherTimeProvider | Should -Exist -Because 'dotnet restore build/tools/Tools.csproj downloads it'
        $result = Invoke-ChildPwsh -Environment $ChildEnvironment -Script ($ReportLoaded + @'
$ErrorActionPreference = 'Stop'
$theirAssembly = [System.Reflection.Assembly]::LoadFrom($env:OTHER_TIMEPROVIDER)
Import-Module $env:ACEFONE_TEST_MODULE_PATH
$first = Invoke-Monitor '1714657799.11930961'
Remove-Module Acefone
Import-Module $env:ACEFONE_TEST_MODULE_PATH
$second = Invoke-Monitor '1714657799.11930962'
[pscustomobject]@{ First = $first; Second = $second; Theirs = "$($theirAssembly.GetName().Version)" } | ConvertTo-Json -Compress
'@)
        $result.Error | Should -BeNullOrEmpty
        $report = $result.Output | ConvertFrom-Json
        $report.First | Should -BeTrue
        $report.Second | Should -BeTrue
        $report.Theirs | Should -Be '9.0.0.11'
    }

    It 'lets another module load its own version (9.0) after the module loaded 8.0, and both keep working' {
        if ($OnDesktop) { Set-ItResult -Skipped -Because $CoreOnly; return }
        $result = Invoke-ChildPwsh -Environment $ChildEnvironment -Script ($ReportLoaded + @'
$ErrorActionPreference = 'Stop'
Import-Module $env:ACEFONE_TEST_MODULE_PATH
$first = Invoke-Monitor '1714657799.11930961'
# Fails with "Assembly with same name is already loaded" if the module had put its copy in the default context.
$theirAssembly = [System.Reflection.Assembly]::LoadFrom($env:OTHER_TIMEPROVIDER)
$system = $theirAssembly.GetType('System.TimeProvider', $true).GetProperty('System').GetValue($null)
$theirs = $system.GetUtcNow() -is [DateTimeOffset]
$second = Invoke-Monitor '1714657799.11930962'
[pscustomobject]@{ First = $first; Theirs = $theirs; Second = $second; Loaded = Get-Loaded } | ConvertTo-Json -Depth 4 -Compress
'@)
        $result.Error | Should -BeNullOrEmpty
        $report = $result.Output | ConvertFrom-Json
        $report.First | Should -BeTrue
        $report.Theirs | Should -BeTrue
        $report.Second | Should -BeTrue
        @($report.Loaded | Where-Object Name -eq 'Microsoft.Bcl.TimeProvider' | ForEach-Object { "$($_.Version)@$($_.Context)" } | Sort-Object) |
            Should -Be @('8.0.0.1@Acefone', '9.0.0.11@Default')
    }
}
