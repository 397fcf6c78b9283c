# Get-AcefoneDepartment: typed departments with their agents, -Name, the table views.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Sim = Start-AcefoneSimulator
}

AfterAll {
    Disconnect-Acefone -ErrorAction SilentlyContinue
    if ($script:Sim) { Stop-AcefoneSimulator $script:Sim }
}

Describe 'Get-AcefoneDepartment' {
    BeforeAll {
        Reset-AcefoneSimulator $Sim
        $null = Connect-ToSimulator $Sim
    }

    It 'writes typed departments with their agents' {
        $departments = @(Get-AcefoneDepartment)
        $departments.Name | Should -Be @('Sales', 'Support', 'Billing', 'Escalations')
        $sales = $departments[0]
        $sales | Should -BeOfType ([Acefone.Client.AcefoneDepartment])
        $sales.DepartmentId | Should -BeExactly '12'
        $sales.Intercom | Should -BeExactly '8004'
        $sales.Agents[0] | Should -BeOfType ([Acefone.Client.AcefoneDepartmentAgent])
        $sales.Agents.AgentId | Should -Be @('0502842370001', '0502842370004', '0502842370005', '0502842370006', '0502842370008')
        $sales.Agents.Name | Should -Contain 'Team Lead 1'
    }

    It '-Name takes wildcards and reports a plain name that matched nothing' {
        (Get-AcefoneDepartment -Name 's*').Name | Should -Be @('Sales', 'Support')
        $none = Get-AcefoneDepartment -Name 'Marketing' -ErrorVariable failures -ErrorAction SilentlyContinue
        $none | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'DepartmentNotFound,*'
    }

    It 'has default table views for departments and their agents' {
        Get-AcefoneDepartment Sales | Format-Table | Out-String -Width 300 | Should -Match 'Team Lead 1 \(0502842370001\)'
        (Get-AcefoneDepartment Sales).Agents | Format-Table | Out-String | Should -Match 'AgentId\s+Name\s+UserId'
    }
}
