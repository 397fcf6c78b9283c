# The DLLs the module ships (build/README.md says why each is there). build.ps1 copies exactly these and refuses
# a build that lacks one or produces another: a new package's DLLs must be chosen and explained, never slip into
# someone's Azure Automation account unnoticed.

$script:OwnDlls = @('Acefone.PowerShell.dll', 'Acefone.Client.dll')
$script:DependencyDlls = @(
    'System.Text.Json.dll', 'Microsoft.Bcl.TimeProvider.dll', 'Microsoft.Bcl.AsyncInterfaces.dll', 'System.Text.Encodings.Web.dll',
    'System.Memory.dll', 'System.Buffers.dll', 'System.Runtime.CompilerServices.Unsafe.dll', 'System.Numerics.Vectors.dll',
    'System.Threading.Tasks.Extensions.dll')
# PowerShell's own reference assembly: the host supplies it.
$script:NeverShipped = @('System.Management.Automation.dll')

function Get-ShippedDll {
    [CmdletBinding()]
    param()
    [pscustomobject]@{ Own = $script:OwnDlls; Dependencies = $script:DependencyDlls }
}

function Assert-ShippedDll {
    <# Throws unless the publish folder's DLL names are exactly the allowed ones (plus those never shipped). #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [string[]] $Published)
    $missing = @($script:OwnDlls + $script:DependencyDlls | Where-Object { $_ -notin $Published })
    $unexpected = @($Published | Where-Object { $_ -notin $script:OwnDlls -and $_ -notin $script:DependencyDlls -and $_ -notin $script:NeverShipped })
    if ($missing) { throw "The build did not produce $($missing -join ', '), which the module ships (build/ShippedDlls.psm1)." }
    if ($unexpected) {
        throw "The build produced $($unexpected -join ', '), which is not on the list of DLLs the module ships: add it to build/ShippedDlls.psm1 and explain it in build/README.md, or remove the reference that brings it."
    }
}

Export-ModuleMember -Function Get-ShippedDll, Assert-ShippedDll
