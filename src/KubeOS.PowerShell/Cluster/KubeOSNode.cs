using KubeOS.Api.Models;

namespace KubeOS.PowerShell;

/// <summary>
/// A cluster node as KubeOS sees it: the Node's OS and readiness joined with its OSInstance (what the operator asked of
/// the node and what the node has applied). Written by Get-KubeOSNode; <c>NodeName</c> is an alias of <see cref="Name"/>
/// (types.ps1xml) so the objects bind by property name to the cmdlets that act on nodes.
/// </summary>
public sealed class KubeOSNode
{
    public required string Name { get; init; }

    /// <summary>status.nodeInfo.osImage, e.g. "KubeOS v1" (the PRETTY_NAME of the running image).</summary>
    public string? OSVersion { get; init; }

    public bool Ready { get; init; }

    /// <summary>False when the node is cordoned (spec.unschedulable).</summary>
    public bool Schedulable { get; init; }

    /// <summary>kubectl's STATUS column: Ready, NotReady or Unknown, plus ",SchedulingDisabled" when cordoned.</summary>
    public required string Status { get; init; }

    /// <summary>From the node-role.kubernetes.io/&lt;role&gt; labels, sorted.</summary>
    public string[] Roles { get; init; } = [];

    /// <summary>spec.nodestatus of the OSInstance (idle, upgrade, config, rollback), or "-" when the node has none.</summary>
    public required string NodeStatus { get; init; }

    /// <summary>status.phase of the OSInstance, when the node reports one.</summary>
    public string? Phase { get; init; }

    /// <summary>status.message of the OSInstance, when the node reports one.</summary>
    public string? Message { get; init; }

    /// <summary>
    /// status.prestage of the OSInstance: Staging, Staged (downloaded and verified on the inactive partition) or Failed,
    /// with the version, e.g. "Staged KubeOS v2"; null when the node never pre-staged.
    /// </summary>
    public string? PreStage { get; init; }

    /// <summary>spec.sysconfigs.version: the settings version the operator asked for.</summary>
    public string? DesiredSysConfigVersion { get; init; }

    /// <summary>status.sysconfigs.version: the settings version the node last applied.</summary>
    public string? CurrentSysConfigVersion { get; init; }

    public string? DesiredUpgradeConfigVersion { get; init; }

    public string? CurrentUpgradeConfigVersion { get; init; }

    /// <summary>The upgrade.openeuler.org/node-selector label: the group an OS's spec.nodeselector picks.</summary>
    public string? Group { get; init; }

    public string? KernelVersion { get; init; }

    public string? KubeletVersion { get; init; }

    public DateTime? Created { get; init; }

    /// <summary>The OSInstance itself, for the fields this object does not lift out.</summary>
    public OSInstance? OSInstance { get; init; }

    public override string ToString() => Name;
}
