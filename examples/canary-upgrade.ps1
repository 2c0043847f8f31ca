<#
.SYNOPSIS
    Canary, then the rest: upgrade one worker, check it, and only then upgrade every other worker.

.DESCRIPTION
    Puts one worker into the node-selector group 'canary' (Set-KubeOSNodeGroup) and upgrades that group alone with
    Start-KubeOSUpgrade -NodeSelector canary -Wait. The canary must come back Ready, schedulable and on the new
    version; otherwise the runbook stops and the other workers are never touched. Then the workers without a group
    are upgraded, -MaxUnavailable at a time. Works on the current cluster (the session's sandbox, $env:KUBECONFIG or
    ~/.kube/config); -Sandbox starts a throwaway sandbox cluster with KubeOS installed to try it on.

.EXAMPLE
    ./examples/canary-upgrade.ps1 -Sandbox

.EXAMPLE
    ./examples/canary-upgrade.ps1 -Version 'KubeOS 1.0.3' -ImageUrl https://images.example/kubeos-1.0.3.tar -Checksum $sha256 -Canary worker-7
#>
[CmdletBinding()]
param(
    [string] $Version = 'KubeOS v2',
    [string] $ImageUrl = 'http://images.example.internal/kubeos-v2.tar',
    [string] $Checksum = '3e1d0c8b7a6f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a099c2b4f2a',

    # The canary node; the first worker in name order by default.
    [string] $Canary,

    # Workers upgraded at once after the canary.
    [ValidateRange(1, 1000)]
    [int] $MaxUnavailable = 2,

    # How long each stage may take.
    [int] $TimeoutSeconds = 300,

    # Start a sandbox cluster for this run and stop it at the end.
    [switch] $Sandbox
)

$ErrorActionPreference = 'Stop'
Import-Module KubeOS

$started = if ($Sandbox) { Start-KubeOSSandbox -Nodes 4 -Name canary-example }
try {
    $workers = @(Get-KubeOSNode | Where-Object { $_.Roles -notcontains 'control-plane' })
    # Get-KubeOSNode lists nodes in name order.
    if (-not $Canary) { $Canary = $workers[0].Name }
    "Canary: $Canary; $($workers.Count - 1) other worker(s) follow if it comes back healthy."

    # Plain http is refused unless -FlagSafe says the network is trusted, as in KubeOS.
    $image = @{ Version = $Version; ImageUrl = $ImageUrl; Checksum = $Checksum; FlagSafe = $ImageUrl.StartsWith('http://'); EvictPodForce = $true }

    Set-KubeOSNodeGroup -NodeName $Canary -Group canary
    Start-KubeOSUpgrade @image -NodeSelector canary -Wait -Timeout $TimeoutSeconds -PassThru | Out-Host

    $node = Get-KubeOSNode -Name $Canary
    if ($node.OSVersion -ne $Version -or $node.Status -ne 'Ready' -or -not $node.Schedulable) {
        throw "Canary $Canary is not healthy on ${Version} (version $($node.OSVersion), status $($node.Status), schedulable $($node.Schedulable)); the other workers were not touched."
    }
    "Canary $Canary runs $Version and is Ready: upgrading the rest."

    # The OS object without a node selector manages the workers that have no group: every worker but the canary.
    Start-KubeOSUpgrade @image -MaxUnavailable $MaxUnavailable -TimeInterval 0 -Wait -Timeout $TimeoutSeconds -PassThru | Out-Host

    $nodes = Get-KubeOSNode
    $nodes | Out-Host
    $behind = @($nodes | Where-Object { $_.Roles -notcontains 'control-plane' -and $_.OSVersion -ne $Version })
    if ($behind.Count) { throw "Still behind: $($behind.Name -join ', ')" }
    "All $($workers.Count) worker(s) run $Version."
}
finally {
    if ($started) { $started | Stop-KubeOSSandbox }
}
