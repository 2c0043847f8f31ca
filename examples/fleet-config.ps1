<#
.SYNOPSIS
    A fleet-wide configuration change: kernel settings now and across reboots, a kernel argument, a kubelet setting.

.DESCRIPTION
    Writes one configuration with Set-KubeOSConfig (KubeOS opstype config): a runtime sysctl, a persistent sysctl
    (written to the node's sysctl file), a kernel argument of the running partition's boot entry (effective from the next boot) and a kubelet setting, under one config
    version, rolled out -MaxUnavailable nodes at a time. Waits until every worker reports that version and shows the
    node table. Running it again with the same settings is a no-op (the version is derived from the settings).
    Works on the current cluster; -Sandbox starts a throwaway sandbox cluster with KubeOS installed to try it on.

.EXAMPLE
    ./examples/fleet-config.ps1 -Sandbox

.EXAMPLE
    ./examples/fleet-config.ps1 -Swappiness 1 -MaxUnavailable 10
#>
[CmdletBinding()]
param(
    [ValidateRange(0, 100)]
    [int] $Swappiness = 10,

    [ValidateRange(1, 1000)]
    [int] $MaxUnavailable = 2,

    [int] $TimeoutSeconds = 300,

    [switch] $Sandbox
)

$ErrorActionPreference = 'Stop'
Import-Module KubeOS

$started = if ($Sandbox) { Start-KubeOSSandbox -Nodes 4 -Name config-example }
try {
    $rollout = Set-KubeOSConfig `
        -Sysctl @{ 'vm.swappiness' = "$Swappiness" } `
        -SysctlPersist @{ 'net.ipv4.ip_forward' = '1' } `
        -KernelArgument @{ 'audit' = '1' } `
        -KubeletConfig @{ 'maxPods' = 150 } `
        -MaxUnavailable $MaxUnavailable -Wait -Timeout $TimeoutSeconds -PassThru
    $rollout | Out-Host
    $version = $rollout.SysConfigVersion

    $nodes = Get-KubeOSNode
    $nodes | Out-Host
    $behind = @($nodes | Where-Object { $_.Roles -notcontains 'control-plane' -and $_.CurrentSysConfigVersion -ne $version })
    if ($behind.Count) { throw "Not configured to ${version}: $($behind.Name -join ', ')" }
    "Every worker runs config version $version."
}
finally {
    if ($started) { $started | Stop-KubeOSSandbox }
}
