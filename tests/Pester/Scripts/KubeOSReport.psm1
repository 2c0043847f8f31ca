<#
    A small module of the kind operators write around KubeOS, here to show Mock -ModuleName in
    tests/Pester/Invoke-NodeMaintenance.Tests.ps1: the KubeOS cmdlets it calls are mocked inside this module's scope.
#>

function Get-KubeOSVersionSummary {
    <#
    .SYNOPSIS
        Counts the nodes per OS version, with the names of the nodes that are not Ready.
    #>
    [CmdletBinding()]
    param(
        # Node names or wildcards, as for Get-KubeOSNode -Name.
        [string[]] $Name = '*'
    )
    Get-KubeOSNode -Name $Name | Group-Object -Property OSVersion | ForEach-Object {
        [pscustomobject]@{
            OSVersion = $_.Name
            Nodes     = $_.Count
            NotReady  = @($_.Group | Where-Object { -not $_.Ready } | ForEach-Object { $_.Name })
        }
    }
}

Export-ModuleMember -Function Get-KubeOSVersionSummary
