<#
.SYNOPSIS
    A first look at the KubeOS module: a sandbox cluster, its nodes, an upgrade manifest, then an upgrade and a rollback.

.DESCRIPTION
    Starts a local sandbox cluster with simulated KubeOS nodes, shows them as a table, writes an OS upgrade manifest
    with ConvertTo-KubeOSManifest and validates it with Test-KubeOSManifest. Then it upgrades the workers with
    Start-KubeOSUpgrade -Wait (the sandbox runs KubeOS's operator and proxies), showing progress, and rolls them back
    with Invoke-KubeOSRollback, showing the node table after each step. The sandbox is stopped at the end, also when
    something fails.

.EXAMPLE
    ./examples/quickstart.ps1 -Nodes 4
#>
param(
    # How many simulated nodes the sandbox gets (the first is a control-plane node).
    [ValidateRange(1, 50)]
    [int] $Nodes = 3,

    # Where the upgrade manifest is written; a temporary file by default.
    [string] $ManifestPath = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'kubeos-quickstart-upgrade.yaml')
)

$ErrorActionPreference = 'Stop'
Import-Module KubeOS

$sandbox = Start-KubeOSSandbox -Nodes $Nodes -Name quickstart
try {
    "Sandbox '$($sandbox.Name)' is running at $($sandbox.Endpoint) (kubeconfig: $($sandbox.KubeconfigPath))."

    # The sandbox is now this session's default cluster: no -Kubeconfig needed.
    $nodeTable = Get-KubeOSNode
    $nodeTable | Out-Host

    $workers = @($nodeTable | Where-Object { $_.Roles -notcontains 'control-plane' })
    $versions = [ordered]@{}
    foreach ($worker in $workers) { $versions[$worker.OSVersion] = $true }
    "$($workers.Count) worker node(s) to upgrade, now running: $($versions.Keys -join ', ')"

    # An upgrade to a new image, one worker at a time, pulled by containerd.
    $manifest = ConvertTo-KubeOSManifest -Name os-quickstart -OpsType upgrade -Version 'KubeOS v2' `
        -ImageType containerd -ContainerImage registry.example.internal/kubeos/upgrade:v2 `
        -Checksum 3e1d0c8b7a6f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a099c2b4f2a -MaxUnavailable 1
    [System.IO.File]::WriteAllText($ManifestPath, $manifest)
    "Upgrade manifest written to ${ManifestPath}:"
    $manifest | Out-Host

    # -ErrorAction Stop (from $ErrorActionPreference) ends the script on the first problem.
    Test-KubeOSManifest -LiteralPath $ManifestPath
    "The manifest is valid."

    # The upgrade itself: all workers at once, no pause between rounds, DaemonSet pods left in place by the drain.
    # The sandbox's simulated nodes fetch nothing, so a plain http URL (allowed with -FlagSafe) is enough.
    $from = $workers[0].OSVersion
    $upgrade = Start-KubeOSUpgrade -Version 'KubeOS v2' -ImageUrl http://images.example.internal/kubeos-v2.tar -FlagSafe `
        -Checksum 3e1d0c8b7a6f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a099c2b4f2a `
        -MaxUnavailable $workers.Count -TimeInterval 0 -EvictPodForce -Wait -PassThru -Timeout 120
    $upgrade | Out-Host
    Get-KubeOSNode | Out-Host
    $behind = @(Get-KubeOSNode | Where-Object { $_.Roles -notcontains 'control-plane' -and $_.OSVersion -ne 'KubeOS v2' })
    if ($behind.Count) { throw "Not upgraded: $($behind.Name -join ', ')" }
    "Upgraded: all $($workers.Count) worker node(s) run KubeOS v2."

    # A rollback boots the other partition, which still holds the version the workers ran before.
    $rollback = Invoke-KubeOSRollback -Confirm:$false -Wait -PassThru -Timeout 120
    $rollback | Out-Host
    Get-KubeOSNode | Out-Host
    $behind = @(Get-KubeOSNode | Where-Object { $_.Roles -notcontains 'control-plane' -and $_.OSVersion -ne $from })
    if ($behind.Count) { throw "Not rolled back: $($behind.Name -join ', ')" }
    "Rolled back: all $($workers.Count) worker node(s) run $from again."
}
finally {
    $sandbox | Stop-KubeOSSandbox
    "Sandbox '$($sandbox.Name)' stopped."
}
