# The blob journal with the Automation account's managed identity (issue 21 section 3), against a Blob service that
# really checks the bearer token: Azurite takes bearer tokens only over https and with --oauth basic (it checks the
# token's issuer, audience and lifetime, not its signature), so this file starts its own Azurite with a certificate it
# makes for 127.0.0.1. The identity endpoint is a loopback stand-in (IDENTITY_ENDPOINT, IDENTITY_HEADER) issuing such
# tokens. The cloud sample runs as a job does, in a child pwsh that trusts the certificate through SSL_CERT_FILE
# (OpenSSL's variable, which .NET on Linux honours): nothing in the module is told to accept it, and nothing in the
# module can turn certificate checks off. Linux only (SSL_CERT_FILE); nothing leaves 127.0.0.1.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    if (-not $IsLinux) { return }
    Import-Module (Join-Path $RepoRoot 'build/Azurite.psm1') -Force
    $script:Sim = Start-AcefoneSimulator
    $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ('acefone-blob-identity-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $Folder, (Join-Path $Folder 'no-other-roots')

    # A self-signed server certificate for 127.0.0.1 (and localhost), in PEM for Azurite and for OpenSSL's trust.
    $script:Key = [System.Security.Cryptography.RSA]::Create(2048)
    $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=127.0.0.1', $Key,
        [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $names = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
    $names.AddIpAddress([System.Net.IPAddress]::Loopback)
    $names.AddDnsName('localhost')
    $request.CertificateExtensions.Add($names.Build())
    $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($false, $false, 0, $true))
    $serverAuth = [System.Security.Cryptography.OidCollection]::new()
    $null = $serverAuth.Add([System.Security.Cryptography.Oid]::new('1.3.6.1.5.5.7.3.1'))
    $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]::new($serverAuth, $false))
    $certificate = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddHours(-1), [DateTimeOffset]::UtcNow.AddDays(1))
    function script:ConvertTo-Pem([string] $Label, [byte[]] $Bytes) {
        $base64 = [Convert]::ToBase64String($Bytes)
        $lines = for ($i = 0; $i -lt $base64.Length; $i += 64) { $base64.Substring($i, [Math]::Min(64, $base64.Length - $i)) }
        "-----BEGIN $Label-----`n" + ($lines -join "`n") + "`n-----END $Label-----`n"
    }
    $script:CertPath = Join-Path $Folder 'azurite-cert.pem'
    $keyPath = Join-Path $Folder 'azurite-key.pem'
    [IO.File]::WriteAllText($CertPath, (ConvertTo-Pem 'CERTIFICATE' $certificate.RawData))
    [IO.File]::WriteAllText($keyPath, (ConvertTo-Pem 'PRIVATE KEY' $Key.ExportPkcs8PrivateKey()))

    $script:Azurite = Start-Azurite -Arguments @('--oauth', 'basic', '--cert', $CertPath, '--key', $keyPath)
    $script:AccountUrl = $Azurite.AccountUrl
    $script:Sas = New-AzuriteSas
    # Only the test's own setup and checks skip the certificate check (the parent never trusts it); the run under test does not.
    $script:Insecure = @{ SkipCertificateCheck = $true }

    # A token as Microsoft Entra issues one for storage: what Azurite's --oauth basic checks (iss, aud, nbf, exp, iat).
    function script:New-StorageToken([int] $ValidForSeconds = 3600, [string] $Audience = 'https://storage.azure.com/') {
        $base64Url = { param([byte[]] $b) [Convert]::ToBase64String($b).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
        $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        $tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47'
        $header = [ordered]@{ typ = 'JWT'; alg = 'RS256' } | ConvertTo-Json -Compress
        $claims = [ordered]@{
            aud = $Audience; iss = "https://sts.windows.net/$tenant/"; iat = $now - 60; nbf = $now - 60; exp = $now + $ValidForSeconds
            oid = '0f9a2c3e-5b1d-4a7e-9c2f-1d3b5a7c9e01'; sub = '0f9a2c3e-5b1d-4a7e-9c2f-1d3b5a7c9e01'; tid = $tenant
            xms_mirid = '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg/providers/Microsoft.Automation/automationAccounts/acefone'
        } | ConvertTo-Json -Compress
        $signed = (& $base64Url ([Text.Encoding]::UTF8.GetBytes($header))) + '.' + (& $base64Url ([Text.Encoding]::UTF8.GetBytes($claims)))
        $signature = $Key.SignData([Text.Encoding]::ASCII.GetBytes($signed), [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        [pscustomobject]@{ Token = $signed + '.' + (& $base64Url $signature); ExpiresOn = $now + $ValidForSeconds }
    }

    # The Automation identity endpoint's stand-in on loopback: answers only with the right X-IDENTITY-HEADER and
    # resource, and logs every request it gets.
    $script:IdentitySecret = [guid]::NewGuid().ToString('n')
    $script:IssuedToken = New-StorageToken
    $script:IdentityLog = [System.Collections.Concurrent.ConcurrentQueue[object]]::new()
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start(); $identityPort = $probe.LocalEndpoint.Port; $probe.Stop()
    $script:IdentityEndpoint = "http://127.0.0.1:$identityPort/msi/token"
    $script:Identity = [System.Net.HttpListener]::new()
    $Identity.Prefixes.Add("http://127.0.0.1:$identityPort/")
    $Identity.Start()
    $script:IdentityJob = Start-ThreadJob -ArgumentList $Identity, $IdentityLog, $IdentitySecret, $IssuedToken -ScriptBlock {
        param($listener, $log, $secret, $issued)
        while ($listener.IsListening) {
            try { $context = $listener.GetContext() } catch { break }
            $query = $context.Request.QueryString
            $log.Enqueue([pscustomobject]@{ Path = $context.Request.Url.AbsolutePath; Header = $context.Request.Headers['X-IDENTITY-HEADER']; Resource = $query['resource']; ApiVersion = $query['api-version'] })
            $status = 200
            $body = [ordered]@{ access_token = $issued.Token; expires_on = "$($issued.ExpiresOn)"; resource = $query['resource']; token_type = 'Bearer' } | ConvertTo-Json -Compress
            if ($context.Request.Headers['X-IDENTITY-HEADER'] -ne $secret) { $status = 401; $body = '{"error":"unauthorized"}' }
            elseif ($query['resource'] -ne 'https://storage.azure.com/') { $status = 400; $body = '{"error":"invalid_resource"}' }
            $bytes = [Text.Encoding]::UTF8.GetBytes($body)
            $context.Response.StatusCode = $status
            $context.Response.ContentType = 'application/json'
            $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
            $context.Response.Close()
        }
    }

    # One job attempt of the cloud sample: a new process, storage reached with the managed identity only (no SAS).
    function script:Invoke-IdentityRunbook([string] $CsvUrl) {
        $script = @'
$ErrorActionPreference = 'Stop'
function Get-AutomationPSCredential([string] $Name) {
    [pscredential]::new($env:SIM_LOGIN, (ConvertTo-SecureString $env:SIM_PASSWORD -AsPlainText -Force))
}
& $env:RUNBOOK_SAMPLE -CsvUrl $env:RUNBOOK_CSV -BaseUri $env:SIM_BASE_URI
'@
        Invoke-ChildPwsh -TimeoutSec 180 -Script $script -Environment @{
            RUNBOOK_SAMPLE    = Join-Path $RepoRoot 'samples/Invoke-AcefoneCloudTransferRunbook.ps1'
            RUNBOOK_CSV       = $CsvUrl
            SIM_BASE_URI      = $Sim.BaseUri
            SIM_LOGIN         = $Sim.LoginId
            SIM_PASSWORD      = $Sim.Password
            PSModulePath      = (Split-Path $ModuleBase -Parent) + [IO.Path]::PathSeparator + $env:PSModulePath
            IDENTITY_ENDPOINT = $IdentityEndpoint
            IDENTITY_HEADER   = $IdentitySecret
            # Trust the test's certificate and nothing else; any request meant to leave this machine goes to a closed port.
            SSL_CERT_FILE     = $CertPath
            SSL_CERT_DIR      = Join-Path $Folder 'no-other-roots'
            HTTP_PROXY        = 'http://127.0.0.1:9'
            HTTPS_PROXY       = 'http://127.0.0.1:9'
            NO_PROXY          = '127.0.0.1,localhost'
        }
    }

    function script:Read-Blob([string] $Url) {
        $content = (Invoke-WebRequest -Uri "$Url`?$Sas" -Headers @{ 'x-ms-version' = '2021-12-02' } -UseBasicParsing @Insecure).Content
        if ($content -is [byte[]]) { $content = [Text.Encoding]::UTF8.GetString($content) }
        $content
    }
}

AfterAll {
    if ($script:Identity) { $Identity.Close() }
    if ($script:IdentityJob) { $null = Wait-Job $IdentityJob -Timeout 10; Remove-Job $IdentityJob -Force }
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
    if ($script:Azurite) { Stop-Azurite $script:Azurite }
    if ($script:Folder) { Remove-Item $script:Folder -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Blob journal with the Automation account''s managed identity (Azurite over https, --oauth basic)' {
    It 'Azurite checks the bearer token: a stand-in token is accepted, an expired one or one for another audience refused' -Skip:(-not $IsLinux) {
        $container = New-AzuriteContainer -AccountUrl $AccountUrl -Sas $Sas -WebRequestOptions $Insecure
        $list = "$container`?restype=container&comp=list"
        $headers = @{ 'x-ms-version' = '2021-12-02'; Authorization = "Bearer $($IssuedToken.Token)" }
        (Invoke-WebRequest -Uri $list -Headers $headers -UseBasicParsing @Insecure).StatusCode | Should -Be 200
        foreach ($bad in (New-StorageToken -ValidForSeconds -600), (New-StorageToken -Audience 'https://management.azure.com/')) {
            $headers.Authorization = "Bearer $($bad.Token)"
            $status = try { (Invoke-WebRequest -Uri $list -Headers $headers -UseBasicParsing @Insecure).StatusCode } catch { [int]$_.Exception.Response.StatusCode }
            $status | Should -Be 403
        }
    }

    It 'the cloud sample reads its CSV and keeps its journal beside it with the identity''s token; a restarted job sends nothing twice' -Skip:(-not $IsLinux) {
        Reset-AcefoneSimulator $Sim
        $ids = Add-AcefoneSimulatorCall $Sim -Generate 5 -Prefix '1926000000.'
        $container = New-AzuriteContainer -AccountUrl $AccountUrl -Sas $Sas -WebRequestOptions $Insecure
        $csv = ($ids | ForEach-Object { [pscustomobject]@{ call_id = $_; intercom = '8005' } } | ConvertTo-Csv -NoTypeInformation) -join "`n"
        $null = Invoke-WebRequest -Method Put -Uri "$container/transfers-2026-12-07.csv?$Sas" -Body ([Text.Encoding]::UTF8.GetBytes($csv)) `
            -Headers @{ 'x-ms-version' = '2021-12-02'; 'x-ms-blob-type' = 'BlockBlob' } -ContentType 'text/csv' -UseBasicParsing @Insecure
        $journal = "$container/transfers-2026-12-07.journal.jsonl"
        $IdentityLog.Clear()

        $first = Invoke-IdentityRunbook "$container/transfers-2026-12-07.csv"
        $first.ExitCode | Should -Be 0 -Because $first.Error
        $first.Output | Should -Match '5 rows: 5 transferred now, 0 sent by an earlier attempt \(0 of them with no known outcome\), 0 failed'
        $first.Output | Should -Match ([regex]::Escape("Journal: $journal"))
        # The journal is in the blob the identity's token wrote: every row's sending line, then its outcome.
        $lines = @((Read-Blob $journal) -split "`n" | Where-Object { $_.Trim() } | ForEach-Object { $_ | ConvertFrom-Json } | Where-Object { $_.PSObject.Properties['callId'] })
        @($lines | Where-Object state -eq 'sending' | ForEach-Object callId | Sort-Object) | Should -Be @($ids | Sort-Object)
        @($lines | Where-Object state -eq 'succeeded' | ForEach-Object callId | Sort-Object) | Should -Be @($ids | Sort-Object)

        # The restarted job (a new sandbox) reads the journal with a new token and sends nothing again.
        $second = Invoke-IdentityRunbook "$container/transfers-2026-12-07.csv"
        $second.ExitCode | Should -Be 0 -Because $second.Error
        $second.Output | Should -Match '5 rows: 0 transferred now, 5 sent by an earlier attempt \(0 of them with no known outcome\), 0 failed'
        $transfers = @(foreach ($request in (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options')) { if ($request.processed) { ($request.body | ConvertFrom-Json).call_id } })
        @($transfers | Sort-Object) | Should -Be @($ids | Sort-Object)
        (Get-AcefoneSimulatorStats $Sim).duplicateProcessed | Should -Be 0

        # Every token came from the stand-in, asked as Automation asks: its header, the storage resource.
        $asked = @($IdentityLog.ToArray())
        $asked.Count | Should -BeGreaterOrEqual 2
        @($asked | Where-Object { $_.Header -ne $IdentitySecret -or $_.Resource -ne 'https://storage.azure.com/' }).Count | Should -Be 0
        # Neither the token nor the identity header is in anything the runs wrote.
        foreach ($run in $first, $second) {
            ($run.Output + $run.Error) | Should -Not -Match ([regex]::Escape($IssuedToken.Token))
            ($run.Output + $run.Error) | Should -Not -Match $IdentitySecret
        }
        (Read-Blob $journal) | Should -Not -Match ([regex]::Escape(($IssuedToken.Token -split '\.')[2]))
    }
}
