# The module as the Gallery and Azure Automation see it: manifest, output types and views, a silent import with
# problems reported at first use, and proxies. The session object's display is in Sessions.Tests.ps1.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:OutputTypes = @(Get-Command -Module Acefone -CommandType Cmdlet | ForEach-Object OutputType | ForEach-Object Name |
        Where-Object { $_ -ne 'System.Void' } | Sort-Object -Unique |
        # The module's own types need its views; PowerShell's (PSObject, String, FileInfo) keep PowerShell's.
        Where-Object { $_ -like 'Acefone.*' } | ForEach-Object { @{ TypeName = $_ } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:ManifestPath = Join-Path $ModuleBase 'Acefone.psd1'
    $script:Manifest = Import-PowerShellDataFile $ManifestPath

    # A proxy on 127.0.0.1 that answers 407 to everything and counts what it was asked.
    function script:Start-DenyingProxy {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $seen = [System.Collections.Concurrent.ConcurrentQueue[string]]::new()
        $runner = [powershell]::Create().AddScript({
            param($listener, $seen)
            while ($true) {
                try { $client = $listener.AcceptTcpClient() } catch { return }
                try {
                    $stream = $client.GetStream()
                    $buffer = [byte[]]::new(16384)
                    $head = ''
                    while ($head.IndexOf("`r`n`r`n") -lt 0) { $read = $stream.Read($buffer, 0, $buffer.Length); if ($read -le 0) { break }; $head += [Text.Encoding]::ASCII.GetString($buffer, 0, $read) }
                    $seen.Enqueue(($head -split "`r`n")[0])
                    $answer = [Text.Encoding]::ASCII.GetBytes("HTTP/1.1 407 Proxy Authentication Required`r`nProxy-Authenticate: Basic realm=`"corp`"`r`nContent-Length: 0`r`nConnection: close`r`n`r`n")
                    $stream.Write($answer, 0, $answer.Length)
                    $client.Client.Shutdown([System.Net.Sockets.SocketShutdown]::Send)
                }
                catch { }
                finally { $client.Dispose() }
            }
        }).AddArgument($listener).AddArgument($seen)
        $null = $runner.BeginInvoke()
        [pscustomobject]@{ Uri = [Uri]"http://127.0.0.1:$($listener.LocalEndpoint.Port)/"; Listener = $listener; Runner = $runner; Seen = $seen }
    }
    function script:Stop-DenyingProxy($Proxy) { $Proxy.Listener.Stop(); $Proxy.Runner.Dispose() }
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
}

Describe 'Manifest' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $ManifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'exports exactly the cmdlets the DLL defines, by name, and no functions, variables or wildcard aliases' {
        $defined = @([Acefone.PowerShell.AcefoneCmdlet].Assembly.GetExportedTypes() |
            ForEach-Object { $attribute = [Attribute]::GetCustomAttribute($_, [System.Management.Automation.CmdletAttribute]); if ($attribute) { "$($attribute.VerbName)-$($attribute.NounName)" } } | Sort-Object)
        @($Manifest.CmdletsToExport | Sort-Object) | Should -Be $defined
        $Manifest.CmdletsToExport | Should -Not -Contain '*'
        , $Manifest.FunctionsToExport | Should -BeOfType [object[]]
        $Manifest.FunctionsToExport.Count | Should -Be 0
        $Manifest.VariablesToExport.Count | Should -Be 0
        $Manifest.ContainsKey('AliasesToExport') | Should -BeTrue
        @($Manifest.AliasesToExport) | Should -Not -Contain '*'
    }

    It 'declares both editions, PowerShell 5.1, .NET Framework 4.7.2 and the matching Gallery tags' {
        $Manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $Manifest.PowerShellVersion | Should -Be '5.1'
        $Manifest.DotNetFrameworkVersion | Should -Be '4.7.2'
        $Manifest.PrivateData.PSData.Tags | Should -Contain 'PSEdition_Desktop'
        $Manifest.PrivateData.PSData.Tags | Should -Contain 'PSEdition_Core'
        $Manifest.PrivateData.PSData.ReleaseNotes | Should -Match '\w{10,}'
        $Manifest.ContainsKey('RequiredAssemblies') | Should -BeFalse -Because 'required assemblies load at import, into the default context'
    }

    It 'has release notes that name every exported cmdlet (issue 25: they described only the first release)' {
        $notes = $Manifest.PrivateData.PSData.ReleaseNotes
        foreach ($name in $Manifest.CmdletsToExport) { $notes | Should -Match "\b$name\b" -Because "the release notes should say what $name is" }
    }

    It 'carries the version from Directory.Build.props, the same as the assemblies''' {
        $props = [xml](Get-Content -Raw (Join-Path $RepoRoot 'Directory.Build.props'))
        $version = @($props.Project.PropertyGroup | ForEach-Object { $_.Version } | Where-Object { $_ })[0]
        $Manifest.ModuleVersion | Should -Be $version
        (Get-Module Acefone).Version.ToString() | Should -Be $version
        $informational = [System.Reflection.CustomAttributeExtensions]::GetCustomAttribute[System.Reflection.AssemblyInformationalVersionAttribute]([Acefone.PowerShell.AcefoneCmdlet].Assembly).InformationalVersion
        $informational.Split('+')[0] | Should -Be $version
    }
}

Describe 'Output types and views' {
    It 'every cmdlet declares [OutputType]' {
        foreach ($command in Get-Command -Module Acefone -CommandType Cmdlet) {
            @($command.OutputType).Count | Should -BeGreaterThan 0 -Because "$($command.Name) needs [OutputType]"
        }
    }

    It '<TypeName> has a table as its default view in the module''s format file' -ForEach $OutputTypes {
        $formats = foreach ($file in $Manifest.FormatsToProcess) { [xml](Get-Content -Raw (Join-Path $ModuleBase $file)) }
        $views = @($formats | ForEach-Object { $_.Configuration.ViewDefinitions.View } | Where-Object { $_.ViewSelectedBy.TypeName -contains $TypeName })
        $views.Count | Should -BeGreaterThan 0 -Because "$TypeName needs a view"
        $views[0].TableControl | Should -Not -BeNullOrEmpty -Because 'the first view for a type is its default'
        Get-FormatData -TypeName $TypeName | Should -Not -BeNullOrEmpty
    }
}

Describe 'Import' {
    It 'writes nothing to any stream, and a broken copy is reported once, at first use' {
        $copy = Join-Path $TestDrive 'broken/Acefone'
        Copy-Item $ModuleBase $copy -Recurse
        Remove-Item (Join-Path $copy 'dependencies') -Recurse
        $result = Invoke-ChildPwsh -Environment @{ BROKEN_COPY = $copy } -Script @'
$WarningPreference = 'Continue'; $InformationPreference = 'Continue'
$import = @(& { Import-Module $env:BROKEN_COPY } *>&1)
$first = @(Get-AcefoneSession 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
$second = @(Get-AcefoneSession 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
[pscustomobject]@{ Import = $import.Count; First = @($first | ForEach-Object Message); Second = $second.Count } | ConvertTo-Json -Compress
'@
        $result.Error | Should -BeNullOrEmpty
        $report = $result.Output | ConvertFrom-Json
        $report.Import | Should -Be 0
        @($report.First).Count | Should -Be 1
        $report.First[0] | Should -Match 'dependencies folder is missing'
        $report.Second | Should -Be 0
    }

    It 'a complete module writes nothing at import or first use' {
        $result = Invoke-ChildPwsh -Script @'
$WarningPreference = 'Continue'; $InformationPreference = 'Continue'
$written = @(& { Import-Module $env:ACEFONE_TEST_MODULE_PATH; Get-AcefoneSession } *>&1)
$written.Count
'@
        $result.Error | Should -BeNullOrEmpty
        $result.Output.Trim() | Should -Be '0'
    }
}

Describe 'Proxy' {
    BeforeAll { $script:Proxy = Start-DenyingProxy }
    AfterAll { Stop-DenyingProxy $Proxy }

    It 'keeps -Proxy in the session, and a 407 is one ProxyAuthenticationRequired error that says what to do' {
        $credential = [pscredential]::new('CORP\svc', (ConvertTo-SecureString 'Pr0xy!Pass' -AsPlainText -Force))
        $session = Connect-Acefone -BaseUri 'http://127.0.0.1:9/' -AccessToken 'token-not-used' -Proxy $Proxy.Uri -ProxyCredential $credential -MaxRetries 3 -PassThru
        $session.Proxy | Should -Be $Proxy.Uri
        ($session | Format-List | Out-String) | Should -Match ([regex]::Escape($Proxy.Uri.ToString()))

        $result = Start-AcefoneMonitor -CallId 1714657799.1 -AgentId 0502842370001 -Session $session -ErrorVariable failures -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ProxyAuthenticationRequired,*'
        $failures[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match '-ProxyCredential'
        ($failures[0] | Out-String) | Should -Not -Match 'Pr0xy!Pass'
        # Two tries (the challenge, then the credential), never the 3 retries a network error would get.
        $Proxy.Seen.Count | Should -BeLessOrEqual 2
        Disconnect-Acefone -Session $session
    }

    It 'uses the system proxy (here HTTPS_PROXY) when -Proxy is not given' {
        # Case matters for environment variables on Unix, not in a hashtable literal.
        $environment = [System.Collections.Generic.Dictionary[string, string]]::new([StringComparer]::Ordinal)
        foreach ($name in 'HTTPS_PROXY', 'https_proxy') { $environment[$name] = $Proxy.Uri.ToString() }
        foreach ($name in 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy') { $environment[$name] = '' }
        $result = Invoke-ChildPwsh -Environment $environment -Script @'
Import-Module $env:ACEFONE_TEST_MODULE_PATH
$session = Connect-Acefone -BaseUri 'https://127.0.0.1:9/' -AccessToken 'token-not-used' -MaxRetries 0 -PassThru
Start-AcefoneMonitor -CallId 1714657799.1 -AgentId 0502842370001 -Session $session -ErrorVariable failures -ErrorAction SilentlyContinue
$failures[0].FullyQualifiedErrorId.Split(',')[0]
'@
        $result.Output.Trim() | Should -Be 'ProxyAuthenticationRequired'
        @($Proxy.Seen) | Should -Contain 'CONNECT 127.0.0.1:9 HTTP/1.1'
    }
}
