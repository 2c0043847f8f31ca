using KubeOS.Api.Models;

namespace KubeOS.PowerShell;

/// <summary>
/// One OS object as a rollout: what it asks for (operation, version, selector, rules), how far it got (node counts
/// and the state of each selected node) and the operator's conditions. Written by Get-, Wait-, Start-KubeOSUpgrade,
/// Invoke-KubeOSRollback and Set-KubeOSConfig; binds by value to Wait-, Suspend- and Resume-KubeOSUpgrade.
/// </summary>
public sealed class KubeOSUpgrade
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }

    /// <summary>spec.opstype: upgrade, rollback or config.</summary>
    public string? OpsType { get; init; }

    /// <summary>spec.osversion: the osImage every selected node must end on.</summary>
    public string? Version { get; init; }

    public string? ImageType { get; init; }

    /// <summary>spec.nodeselector after defaulting (no-label, all-label or a group name).</summary>
    public required string NodeSelector { get; init; }

    public string? ExecutionMode { get; init; }
    /// <summary>spec.maxunavailable: an integer, or a percentage of the selected nodes such as 25%.</summary>
    public IntOrPercent? MaxUnavailable { get; init; }
    public bool Paused { get; init; }
    public string? SysConfigVersion { get; init; }
    public string? UpgradeConfigVersion { get; init; }

    /// <summary>Complete, RollingOut, Pending, Paused, Blocked or Failed (see Get-Help Get-KubeOSUpgrade).</summary>
    public required string State { get; init; }

    public int Selected { get; init; }
    public int Done { get; init; }
    public int InOperation { get; init; }
    public int Pending { get; init; }
    public int Failed { get; init; }
    public int Skipped { get; init; }

    /// <summary>No selected node still has work: every one is done (or skipped).</summary>
    public bool IsComplete => Pending == 0 && InOperation == 0 && Failed == 0;

    /// <summary>The message of the operator's Progressing condition, or a summary of the counts.</summary>
    public string? Message { get; init; }

    public KubeOSUpgradeCondition[] Conditions { get; init; } = [];

    /// <summary>Every selected node and where it stands, sorted by name.</summary>
    public KubeOSUpgradeNode[] Nodes { get; init; } = [];

    public long? Generation { get; init; }

    /// <summary>The generation the operator's status describes; lower than Generation until the operator saw the change.</summary>
    public long? ObservedGeneration { get; init; }

    /// <summary>The OS object itself.</summary>
    public required OS OS { get; init; }

    // Progress against the operator's plan (status.plan); null before the operator wrote one.
    /// <summary>Batches still to run.</summary>
    public int? PlannedBatches { get; init; }

    /// <summary>The nodes the operator assigns next.</summary>
    public string[] NextBatch { get; init; } = [];

    /// <summary>The stage of the next batch (canary, stage 2 of 3, …).</summary>
    public string? NextStage { get; init; }

    /// <summary>Estimated time to finish, as the operator wrote it (e.g. 12m).</summary>
    public string? Eta { get; init; }

    public override string ToString() => $"{Namespace}/{Name}";
}

/// <summary>One selected node of a rollout.</summary>
public sealed class KubeOSUpgradeNode
{
    public required string Name { get; init; }

    /// <summary>Done, InOperation, Pending, Failed or Skipped.</summary>
    public required string State { get; init; }

    /// <summary>The node's osImage.</summary>
    public string? OSVersion { get; init; }

    public string? TargetVersion { get; init; }

    /// <summary>OSInstance spec.nodestatus, or "-" without an OSInstance.</summary>
    public required string NodeStatus { get; init; }

    public string? Phase { get; init; }
    public string? Message { get; init; }

    /// <summary>The sysconfigs version the node last applied.</summary>
    public string? SysConfigVersion { get; init; }

    /// <summary>The node's last finished operations, oldest first (OSInstance status.history).</summary>
    public KubeOSNodeHistory[] History { get; init; } = [];

    public override string ToString() => Name;
}

/// <summary>A condition the operator wrote in the OS object's status (Progressing, Succeeded, Blocked).</summary>
public sealed class KubeOSUpgradeCondition
{
    public required string Type { get; init; }
    public required string Status { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public DateTime? LastTransitionTime { get; init; }

    public override string ToString() => $"{Type}={Status}";
}
