# ConvertFrom-AcefoneWebhook: deliveries from the simulator to a loopback listener, in every shape; duplicates; the sample runbook.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
    $script:Sample = Join-Path $RepoRoot 'samples/Invoke-AcefoneWebhookRunbook.ps1'

    # A loopback listener on its own runspace: the simulator's delivery waits for its answer while this one waits for the simulator.
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
    $script:HookUrl = "http://127.0.0.1:$port/hook/"
    $script:Listener = [System.Net.HttpListener]::new()
    $Listener.Prefixes.Add($HookUrl)
    $Listener.Start()
    $script:Received = [System.Collections.Concurrent.ConcurrentQueue[object]]::new()
    $script:ListenerPs = [powershell]::Create().AddScript({
            param($listener, $received)
            while ($listener.IsListening) {
                try { $context = $listener.GetContext() } catch { break }
                $reader = [IO.StreamReader]::new($context.Request.InputStream)
                $received.Enqueue([pscustomobject]@{ Body = $reader.ReadToEnd(); ContentType = $context.Request.ContentType })
                $context.Response.StatusCode = 200
                $context.Response.Close()
            }
        }).AddArgument($Listener).AddArgument($Received)
    $script:ListenerHandle = $ListenerPs.BeginInvoke()

    # Azure Automation's $WebhookData for each delivery the listener took, in order.
    function script:Receive-Delivery {
        $item = $null
        while ($Received.TryDequeue([ref] $item)) {
            [pscustomobject]@{ WebhookName = 'AcefoneEvents'; RequestBody = $item.Body; RequestHeader = @{ 'Content-Type' = $item.ContentType } }
        }
    }
    function script:Send-Webhook([hashtable] $Event, [string] $Format = 'json', [string] $AgentShape = 'object', [int] $Repeat = 1) {
        $answer = Invoke-SimulatorAdmin $Sim 'webhooks/deliver' -Method Post -Body @{ url = $HookUrl; format = $Format; agentShape = $AgentShape; repeat = $Repeat; event = $Event }
        $answer.statuses | Should -Not -Contain 0
        @(Receive-Delivery)
    }
    $script:Answered = @{
        call_id = '1714657799.11930961'; uuid = 'b7e1-0001'; call_status = 'answered'; direction = 'inbound'
        caller_id_number = '919812345601'; call_to_number = '918069123400'; start_stamp = '2026-12-07 10:15:02'; duration = 187
        answered_agent = @{ id = '0502842370004'; name = 'Agent 004'; number = '9876510004' }; billing_circle = @{ operator = 'Airtel' }
    }
}

AfterAll {
    if ($script:Listener) { $Listener.Stop(); $Listener.Close() }
    if ($script:ListenerPs) { $ListenerPs.Dispose() }
    Disconnect-Acefone -ErrorAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'ConvertFrom-AcefoneWebhook' {
    BeforeEach {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
    }

    It 'reads a JSON delivery into a typed event with the live-call property names, keeping unknown fields' -ForEach @(
        @{ Format = 'json'; Shape = 'object' }
        @{ Format = 'json'; Shape = 'jsonString' }
        @{ Format = 'form'; Shape = 'jsonString' }
    ) {
        $delivery = Send-Webhook $Answered -Format $Format -AgentShape $Shape
        $delivery.Count | Should -Be 1
        $event = $delivery | ConvertFrom-AcefoneWebhook
        $event | Should -BeOfType ([Acefone.Client.AcefoneWebhookEvent])
        $event.Format | Should -Be $Format
        $event.CallId | Should -Be '1714657799.11930961'
        $event.AgentName | Should -Be 'Agent 004'
        $event.AgentNumber | Should -Be '9876510004'
        $event.AnsweredAgentId | Should -Be '0502842370004'
        $event.CustomerNumber | Should -Be '919812345601'
        $event.Did | Should -Be '918069123400'
        $event.Direction | Should -Be 'Inbound'
        $event.Duration.TotalSeconds | Should -Be 187
        $event.Fields.Keys | Should -Contain 'billing_circle'
        $event.PSObject.Properties.Name | Should -Not -Contain 'AgentId'
        $event | Format-Table | Out-String -Width 80 | Should -Match 'Event\s+CallStatus\s+CallId\s+CustomerNumber\s+AgentName'
    }

    It 'reads an agent sent as a plain string (its name)' {
        $event = Send-Webhook $Answered -AgentShape string | ConvertFrom-AcefoneWebhook
        $event.AgentName | Should -Be 'Agent 004'
        $event.CallId | Should -Be '1714657799.11930961'
    }

    It 'acts once on a delivery repeated three times, and once across runs with -SeenListPath' {
        $deliveries = Send-Webhook $Answered -Repeat 3
        $deliveries.Count | Should -Be 3
        $events = @($deliveries | ConvertFrom-AcefoneWebhook -WarningVariable repeats -WarningAction SilentlyContinue)
        $events.Count | Should -Be 1
        $repeats.Count | Should -Be 2
        $seen = Join-Path ([IO.Path]::GetTempPath()) "acefone-seen-$PID-$([guid]::NewGuid().ToString('n')).txt"
        try {
            @($deliveries[0] | ConvertFrom-AcefoneWebhook -SeenListPath $seen).Count | Should -Be 1
            @($deliveries[1] | ConvertFrom-AcefoneWebhook -SeenListPath $seen -WarningVariable skipped -WarningAction SilentlyContinue).Count | Should -Be 0
            $skipped[0].Message | Should -Match 'earlier run acted on this delivery'
            @(Get-Content $seen).Count | Should -Be 1
        }
        finally { Remove-Item $seen -ErrorAction SilentlyContinue }
    }

    It '-DeduplicateBy a field: a different body with the same uuid is the same delivery; a missing field is an error' {
        $a = '{"uuid":"u-1","call_id":"1.1","call_status":"answered","delivered_at":"10:00:01"}'
        $b = '{"uuid":"u-1","call_id":"1.1","call_status":"answered","delivered_at":"10:00:09"}'
        @($a, $b | ConvertFrom-AcefoneWebhook -WarningAction SilentlyContinue).Count | Should -Be 2
        @($a, $b | ConvertFrom-AcefoneWebhook -DeduplicateBy uuid -WarningAction SilentlyContinue).Count | Should -Be 1
        $null = '{"call_id":"1.1"}' | ConvertFrom-AcefoneWebhook -DeduplicateBy uuid -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing[0].Exception.Message | Should -Match "no field or event property 'uuid'"
        $missing[0].ErrorDetails.RecommendedAction | Should -Match 'Name in -DeduplicateBy a field'
    }

    It '-DeduplicateBy an event property as the output shows it (CallId): one key for the field in any spelling of the body' {
        $json = '{"call_id":"1.7","call_status":"missed","delivered_at":"10:00:01"}'
        $form = 'call_id=1.7&call_status=missed&delivered_at=10%3A00%3A09'
        $events = @($json, $form | ConvertFrom-AcefoneWebhook -DeduplicateBy CallId -WarningVariable repeats -WarningAction SilentlyContinue)
        $events.CallId | Should -Be @('1.7')
        "$repeats" | Should -Match 'delivered again'
        $null = '{"uuid":"u-9"}' | ConvertFrom-AcefoneWebhook -DeduplicateBy CallId -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'WebhookNotRecognized*'
        $missing[0].Exception.Message | Should -Match "no field or event property 'CallId'.*its fields: 'uuid'.*CallId, Uuid"
    }

    It '-DeduplicateBy completes the fields that identify a delivery, then the event properties' {
        @(Complete 'ConvertFrom-AcefoneWebhook -DeduplicateBy call_').CompletionText | Should -Be @('call_id', 'call_status', 'call_to_number')
        @(Complete 'ConvertFrom-AcefoneWebhook -DeduplicateBy Call').CompletionText | Should -Be @('call_id', 'call_status', 'caller_id_number', 'call_to_number', 'CallId', 'CallStatus')
    }

    It 'a body that is not a webhook is a clear error; the other deliveries still go through' {
        $inputs = @('{"hello":"world"}', '<html><body>502</body></html>', '{"call_id":"1.2","call_status":"missed"}', '', '{"call_id": ')
        $events = @($inputs | ConvertFrom-AcefoneWebhook -ErrorVariable failures -ErrorAction SilentlyContinue)
        $events.CallId | Should -Be @('1.2')
        $failures.Count | Should -Be 4
        $failures | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'WebhookNotRecognized,*' }
        $failures[0].Exception.Message | Should -Match 'not an Acefone call webhook: it has none of the fields .* \(it has: ''hello''\)'
        $failures[1].Exception.Message | Should -Match 'neither JSON nor form-encoded'
        $failures[0].TargetObject | Should -Be '{"hello":"world"}'
    }

    It 'events pipe into Start-AcefoneMonitor and Stop-AcefoneCall by CallId; the answering agent never binds as the supervisor' {
        $event = Send-Webhook $Answered | ConvertFrom-AcefoneWebhook
        $result = $event | Start-AcefoneMonitor -AgentId 0502842370002
        $result.CallId | Should -Be '1714657799.11930961'
        Get-SentBody '/v1/call/options' | Should -Be @('{"type":1,"call_id":"1714657799.11930961","agent_id":"0502842370002"}')
        $null = $event | Stop-AcefoneCall -Force
        Get-SentBody '/v1/call/hangup' | Should -Be @('{"call_id":"1714657799.11930961"}')
        # Without -AgentId the pipe must not find one in the event.
        $null = $event | Start-AcefoneMonitor -ErrorVariable unbound -ErrorAction SilentlyContinue
        $unbound | Should -Not -BeNullOrEmpty
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/call/options').Count | Should -Be 1
    }
}

Describe 'samples/Invoke-AcefoneWebhookRunbook.ps1' {
    BeforeEach {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
        $script:State = Join-Path ([IO.Path]::GetTempPath()) "acefone-runbook-$PID-$([guid]::NewGuid().ToString('n'))"
    }
    AfterEach { Remove-Item $State -Recurse -Force -ErrorAction SilentlyContinue }

    It 'a missed call places one callback, however many times the delivery starts the runbook' {
        $missed = @{ uuid = 'm-77'; call_id = '1714657799.2000'; call_status = 'missed'; direction = 'inbound'; caller_id_number = '+91 98123 45699'
            call_to_number = '918069123400'; missed_agent = @(@{ id = '0502842370001'; name = 'Team Lead 1'; number = '9876510001' }) }
        $deliveries = Send-Webhook $missed -Repeat 2
        foreach ($data in $deliveries + $deliveries[0]) {
            $null = & $Sample -WebhookData $data -StateFolder $State -WarningAction SilentlyContinue 6>$null
        }
        Get-SentBody '/v1/click_to_call' | Should -Be @('{"agent_number":"9876510001","destination_number":"919812345699","async":1,"custom_identifier":"callback-m-77"}')
    }

    It 'a long-call event starts monitoring once for the supervisor' {
        $long = $Answered.Clone(); $long.event = 'long_call'
        $delivery = Send-Webhook $long -Format form -Repeat 2
        foreach ($data in $delivery) { $null = & $Sample -WebhookData $data -StateFolder $State -SupervisorAgentId 0502842370002 -WarningAction SilentlyContinue }
        Get-SentBody '/v1/call/options' | Should -Be @('{"type":1,"call_id":"1714657799.11930961","agent_id":"0502842370002"}')
    }
}
