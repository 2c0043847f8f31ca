<#
.SYNOPSIS
    Upgrades one node group to a KubeOS version and rolls back the nodes that failed.

.DESCRIPTION
    An example of an operations script built on the KubeOS module, and the subject of
    tests/Pester/Invoke-NodeMaintenance.Tests.ps1, which shows how to test such a script with Pester: the module's
    cmdlets mocked, and against a sandbox cluster.

    The script refuses to start while a node of the group is not Ready, does nothing when every node of the group
    already runs the version, otherwise starts the upgrade of the group (its upgrade.openeuler.org/node-selector label)
    and waits for it. Nodes that end in phase Failed are rolled back. It returns one summary object.

.EXAMPLE
    ./Invoke-NodeMaintenance.ps1 -Group rack-a -Version 'KubeOS v2' -ContainerImage registry.example/kubeos:v2 -Checksum $digest

.EXAMPLE
    ./Invoke-NodeMaintenance.ps1 -Group rack-a -Version 'KubeOS v2' -ContainerImage registry.example/kubeos:v2 -Checksum $digest -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    # The node group: the value of the nodes' upgrade.openeuler.org/node-selector label.
    [Parameter(Mandatory)]
    [string] $Group,

    # The version to reach, as the nodes report it (for example 'KubeOS v2').
    [Parameter(Mandatory)]
    [string] $Version,

    # The upgrade image, pulled by containerd on each node.
    [Parameter(Mandatory)]
    [string] $ContainerImage,

    # sha256 digest of the image.
    [Parameter(Mandatory)]
    [string] $Checksum,

    # How many nodes of the group may be upgrading at once.
    [ValidateRange(1, 100)]
    [int] $MaxUnavailable = 1,

    # A kubeconfig file; the module's default cluster when left out.
    [string] $Kubeconfig
)

$ErrorActionPreference = 'Stop'
# $PSCmdlet.WriteVerbose/WriteWarning rather than Write-Verbose/Write-Warning: the same in pwsh, and they also work in
# hosts that load only the engine's core commands (the repository's tests run this script that way). Names are taken
# with ForEach-Object { $_.Name }: "ForEach-Object Name" asks ShouldProcess per object and yields nothing under -WhatIf.
$cluster = @{}
if ($Kubeconfig) { $cluster['Kubeconfig'] = $Kubeconfig }

$nodes = @(Get-KubeOSNode @cluster | Where-Object { $_.Group -eq $Group })
if ($nodes.Count -eq 0) {
    throw "No node is in group '$Group' (label upgrade.openeuler.org/node-selector=$Group)."
}

$notReady = @($nodes | Where-Object { -not $_.Ready })
if ($notReady.Count -gt 0) {
    throw "Not starting: $(@($notReady | ForEach-Object { $_.Name }) -join ', ') in group '$Group' is not Ready."
}

$pending = @($nodes | Where-Object { $_.OSVersion -ne $Version })
$summary = [pscustomobject]@{
    Group      = $Group
    Version    = $Version
    Pending    = @($pending | ForEach-Object { $_.Name })
    RolledBack = @()
}
if ($pending.Count -eq 0) {
    $PSCmdlet.WriteVerbose("Every node of group '$Group' already runs $Version.")
    return $summary
}

if ($PSCmdlet.ShouldProcess("group $Group ($($pending.Count) node(s))", "Upgrade to $Version")) {
    Start-KubeOSUpgrade @cluster -Version $Version -ImageType containerd -ContainerImage $ContainerImage -Checksum $Checksum `
        -MaxUnavailable $MaxUnavailable -NodeSelector $Group -Wait -Confirm:$false

    $failed = @(Get-KubeOSNode @cluster -Name $summary.Pending | Where-Object { $_.Phase -eq 'Failed' })
    if ($failed.Count -gt 0) {
        $PSCmdlet.WriteWarning("Rolling back $(@($failed | ForEach-Object { $_.Name }) -join ', '): the upgrade failed there.")
        $failed | Invoke-KubeOSRollback @cluster -Confirm:$false
        $summary.RolledBack = @($failed | ForEach-Object { $_.Name })
    }
}
$summary
