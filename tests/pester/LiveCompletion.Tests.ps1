# Tab completion from what is live: -CallId from the live calls, -Intercom from departments and extensions,
# Get-AcefoneDepartment -Name, -AgentId by availability; each cached per session, and never a hung prompt; -AgentId
# by the start of the id, and Connect-Acefone -Region.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator

    function script:Get-Count([string] $Path) { (Get-AcefoneSimulatorRequest $Sim -Path $Path).Count }
    # The first completion of a process compiles PowerShell's completion code: not what is measured below.
    $null = Complete 'Connect-Acefone -Region '
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'Completion from what is live' {
    BeforeEach {
        Reset-AcefoneSimulator $Sim
        # A new session each time: the completion caches belong to the session.
        $null = Connect-ToSimulator $Sim
    }

    It '-CallId on <_> completes the live calls, quoted, with agent, direction, state and duration' -ForEach 'Start-AcefoneMonitor', 'Start-AcefoneWhisper', 'Start-AcefoneBarge', 'Invoke-AcefoneTransfer', 'Invoke-AcefoneCallOption', 'Stop-AcefoneCall' {
        $matches = @(Complete "$_ -CallId ")
        $matches.CompletionText | Should -Be @($Seeded | ForEach-Object { "'$_'" })
        $matches[0].ListItemText | Should -Match '^1714657799\.11930961 \(Agent 004, Answered, 00:0\d:\d\d\)$'
        $matches[0].ToolTip | Should -Match '^Agent 004, Inbound, Answered, 00:0\d:\d\d$'
        $matches[2].ToolTip | Should -Match '^Agent 006, Inbound, Ringing, '
    }

    It '-CallId filters by the start of the call id or of the agent''s name or number' {
        @(Complete 'Stop-AcefoneCall -CallId 1714657799.1193096').Count | Should -Be 5
        @(Complete 'Stop-AcefoneCall -CallId 1714657799.11930963').CompletionText | Should -Be @("'1714657799.11930963'")
        @(Complete "Stop-AcefoneCall -CallId 'Agent 007").CompletionText | Should -Be @("'1714657799.11930964'")
        @(Complete 'Stop-AcefoneCall -CallId 9876510005').CompletionText | Should -Be @("'1714657799.11930962'")
        @(Complete 'Stop-AcefoneCall -CallId "1714657799.11930965').CompletionText | Should -Be @('"1714657799.11930965"')
    }

    It '-CallId asks the API at most once per few seconds however often Tab is pressed, then sees new calls' {
        1..5 | ForEach-Object { $null = Complete 'Start-AcefoneMonitor -CallId ' }
        Get-Count '/v1/live_calls' | Should -Be 1
        $null = Add-AcefoneSimulatorCall $Sim -CallId 'CAGE011-T8-1780735307.142'
        Start-Sleep -Milliseconds 3500
        @(Complete 'Start-AcefoneMonitor -CallId CAGE').CompletionText | Should -Be @("'CAGE011-T8-1780735307.142'")
        Get-Count '/v1/live_calls' | Should -Be 2
    }

    It '-Intercom on <_> completes department intercoms and agent extensions' -ForEach 'Invoke-AcefoneTransfer', 'Invoke-AcefoneCallOption' {
        $matches = @(Complete "$_ -CallId 1 -Intercom 800")
        $matches.CompletionText | Should -Be @("'8004'", "'8005'", "'8006'", "'8007'")
        $matches[0].ListItemText | Should -Be '8004 (Sales department)'
        $extensions = @(Complete "$_ -CallId 1 -Intercom 100")
        $extensions.CompletionText | Should -Be @(1001..1009 + 1100 | ForEach-Object { "'$_'" })
        $extensions[3].ListItemText | Should -Be '1004 (Agent 004, extension)'
        @(Complete "$_ -Intercom Billing").CompletionText | Should -Be @("'8006'")
    }

    It 'Get-AcefoneDepartment -Name completes department names by the start of a word' {
        @(Complete 'Get-AcefoneDepartment -Name S').CompletionText | Should -Be @('Sales', 'Support')
        @(Complete 'Get-AcefoneDepartment esc').CompletionText | Should -Be @('Escalations')
        (Get-Count '/v1/departments') | Should -Be 1
    }

    It '-AgentId matches the start of a word of the name, available agents first' {
        @(Complete 'Start-AcefoneMonitor -AgentId lead').CompletionText | Should -Be @("'0502842370001'", "'0502842370002'", "'0502842370003'")
        $busy = @(Complete 'Start-AcefoneMonitor -AgentId 050284237000')
        $busy.Count | Should -Be 9
        $busy[-2].ListItemText | Should -Be '0502842370007 (Agent 007, Busy)'
        $busy[-1].ListItemText | Should -Be '0502842370009 (Agent 009, Offline)'
    }

    It 'gives up within about a second against an API that takes 5 s, and uses the late answer at the next Tab' {
        $null = Set-AcefoneSimulatorConfig $Sim @{ latencyMs = 5000 }
        foreach ($line in 'Stop-AcefoneCall -CallId ', 'Invoke-AcefoneTransfer -CallId 1 -Intercom ', 'Get-AcefoneDepartment -Name ', 'Start-AcefoneMonitor -AgentId ') {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $matches = @(Complete $line)
            $watch.Stop()
            $matches.Count | Should -Be 0 -Because $line
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 3 -Because "'$line' must not wait for the 5 s answer"
        }
        # The listing went on in the background; once it is in, Tab uses it without asking again.
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (-not @((Get-AcefoneSimulatorRequest $Sim -Path '/v1/live_calls').completed)[0] -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Start-Sleep -Milliseconds 200
        @(Complete 'Stop-AcefoneCall -CallId ').Count | Should -Be 5
        Get-Count '/v1/live_calls' | Should -Be 1
    }
}

Describe 'Completion of agent ids and regions' {
    BeforeEach { Reset-AcefoneSimulator $Sim }
    AfterAll { $null = Connect-ToSimulator $Sim }

    It '-AgentId on <_> completes agent ids, quoted, with the agent''s name in the list and tooltip' -ForEach 'Start-AcefoneMonitor', 'Start-AcefoneWhisper', 'Start-AcefoneBarge', 'Invoke-AcefoneCallOption', 'Get-AcefoneUser', 'Block-AcefoneAgent', 'Unblock-AcefoneAgent' {
        $null = Connect-ToSimulator $Sim
        $matches = @(Complete "$_ -AgentId Team")
        $matches.CompletionText | Should -Be @("'0502842370001'", "'0502842370002'", "'0502842370003'")
        $matches[0].ListItemText | Should -Be '0502842370001 (Team Lead 1, Available)'
        $matches[0].ToolTip | Should -Match 'Team Lead 1, Available'
    }

    It 'completes by the start of the id, available agents first, leaves out users without an agent, and fetches the users once for several completions' {
        $null = Connect-ToSimulator $Sim
        @(Complete 'Start-AcefoneMonitor -AgentId 050284237004').CompletionText | Should -Be @(
            "'0502842370040'", "'0502842370041'", "'0502842370043'", "'0502842370044'", "'0502842370045'",
            "'0502842370046'", "'0502842370048'", "'0502842370047'", "'0502842370049'")
        $requests = (Get-AcefoneSimulatorRequest $Sim -Path '/v1/users').Count
        $requests | Should -Be 3
        $null = Complete 'Start-AcefoneBarge -AgentId Agent'
        (Get-AcefoneSimulatorRequest $Sim -Path '/v1/users').Count | Should -Be $requests
    }

    It 'completes nothing, without an error, when not connected' {
        Disconnect-Acefone
        $Error.Clear()
        @(Complete 'Start-AcefoneMonitor -AgentId ').Count | Should -Be 0
        $Error.Count | Should -Be 0
        (Get-AcefoneSimulatorRequest $Sim).Count | Should -Be 0
    }

    It 'completes nothing, without an error, when the API cannot be reached' {
        $gone = Start-AcefoneSimulator
        $null = Connect-Acefone -BaseUri $gone.BaseUri -AccessToken $gone.ConsoleToken
        Stop-AcefoneSimulator $gone
        $Error.Clear()
        @(Complete 'Start-AcefoneMonitor -AgentId ').Count | Should -Be 0
        $Error.Count | Should -Be 0
    }

    It 'completes -Region on Connect-Acefone with the regions' {
        @(Complete 'Connect-Acefone -Region ').CompletionText | Sort-Object | Should -Be @('India', 'Servetel', 'Smartflo', 'UK', 'UKLegacy')
        @(Complete 'Connect-Acefone -Region uk').CompletionText | Should -Be @('UK', 'UKLegacy')
    }
}
