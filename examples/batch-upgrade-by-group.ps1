<#
.SYNOPSIS
    Upgrade the workers batch by batch, each batch a node-selector group, new work starting only inside a maintenance window.

.DESCRIPTION
    Splits the workers into -Batches node-selector groups (batch-1, batch-2, ...) with Set-KubeOSNodeGroup, then
    upgrades one group after the other with Start-KubeOSUpgrade -NodeSelector <group> -TimeWindow <start>,<end>: the
    operator starts a node only inside the daily window (its local time); a node already in operation finishes after
    the window closes. Each batch must finish before the next one is written. Works on the current cluster;
    -Sandbox starts a throwaway sandbox cluster with KubeOS installed to try it on.

.EXAMPLE
    ./examples/batch-upgrade-by-group.ps1 -Sandbox

.EXAMPLE
    ./examples/batch-upgrade-by-group.ps1 -Batches 4 -WindowStart 01:00:00 -WindowEnd 05:00:00 -TimeoutSeconds 14400
#>
[CmdletBinding()]
param(
    [string] $Version = 'KubeOS v2',
    [string] $ContainerImage = 'registry.example.internal/kubeos/upgrade:v2',
    [string] $Checksum = '3e1d0c8b7a6f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a099c2b4f2a',

    [ValidateRange(1, 100)]
    [int] $Batches = 2,

    # The daily maintenance window (HH:MM:SS, may wrap midnight); by default one that is open now.
    [string] $WindowStart = [DateTime]::Now.AddMinutes(-1).ToString('HH:mm:ss'),
    [string] $WindowEnd = [DateTime]::Now.AddHours(2).ToString('HH:mm:ss'),

    [int] $TimeoutSeconds = 600,

    [switch] $Sandbox
)

$ErrorActionPreference = 'Stop'
Import-Module KubeOS

$started = if ($Sandbox) { Start-KubeOSSandbox -Nodes 5 -Name batch-example }
try {
    # Get-KubeOSNode lists nodes in name order, so batches are contiguous ranges of names.
    $workers = @(Get-KubeOSNode | Where-Object { $_.Roles -notcontains 'control-plane' })
    $size = [math]::Ceiling($workers.Count / $Batches)
    $groups = for ($i = 0; $i -lt $Batches -and $i * $size -lt $workers.Count; $i++) {
        $group = "batch-$($i + 1)"
        $last = [math]::Min(($i + 1) * $size, $workers.Count) - 1
        $workers[($i * $size)..$last] | Set-KubeOSNodeGroup -Group $group
        $group
    }
    Get-KubeOSNode | Out-Host
    "Window: $WindowStart to $WindowEnd (operator's local time); batches: $($groups -join ', ')."

    foreach ($group in $groups) {
        # The whole batch at once: it is out of service together, inside the window.
        $members = @(Get-KubeOSNode | Where-Object Group -eq $group)
        $rollout = Start-KubeOSUpgrade -NodeSelector $group -Version $Version -ImageType containerd -ContainerImage $ContainerImage `
            -Checksum $Checksum -MaxUnavailable $members.Count -TimeWindow $WindowStart, $WindowEnd -TimeInterval 0 -EvictPodForce `
            -Wait -Timeout $TimeoutSeconds -PassThru
        $rollout | Out-Host
        $behind = @(Get-KubeOSNode | Where-Object { $_.Group -eq $group -and $_.OSVersion -ne $Version })
        if ($behind.Count) { throw "Batch $group did not finish: $($behind.Name -join ', ')" }
        "Batch $group ($($members.Name -join ', ')) runs $Version."
    }
    Get-KubeOSNode | Out-Host
}
finally {
    if ($started) { $started | Stop-KubeOSSandbox }
}
