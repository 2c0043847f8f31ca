using KubeOS.Api.Models;
using KubeOS.Api.Planning;

namespace KubeOS.PowerShell;

/// <summary>
/// What a rollout will do from now on (Get-KubeOSUpgradePlan, Start-KubeOSUpgrade -WhatIf): the batches in order, the
/// PodDisruptionBudgets that would hold a drain now, and the estimated time to finish.
/// </summary>
public sealed class KubeOSUpgradePlan
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public string? OpsType { get; init; }
    public string? Version { get; init; }
    public string? ExecutionMode { get; init; }

    /// <summary>maxunavailable resolved against the selected nodes.</summary>
    public int MaxUnavailable { get; init; }

    public int Selected { get; init; }
    public int Done { get; init; }
    public int InOperation { get; init; }
    public int Pending { get; init; }
    public int Failed { get; init; }
    public int Skipped { get; init; }

    public KubeOSUpgradeBatch[] Batches { get; init; } = [];
    public KubeOSBlockingBudget[] BlockingBudgets { get; init; } = [];

    /// <summary>Time per node: measured on nodes already done (Measured), or the default of 5 minutes.</summary>
    public TimeSpan PerNode { get; init; }

    public bool Measured { get; init; }
    public IReadOnlyDictionary<string, TimeSpan> PhaseDurations { get; init; } = new Dictionary<string, TimeSpan>();
    public TimeSpan Eta { get; init; }
    public DateTime FinishesAt { get; init; }

    /// <summary>The typed plan behind this view.</summary>
    public required UpgradePlan Plan { get; init; }

    public static KubeOSUpgradePlan From(OS os, UpgradePlan plan) => new()
    {
        Name = os.Metadata?.Name ?? "", Namespace = os.Metadata?.Namespace ?? "default", OpsType = plan.OpsType, Version = plan.TargetVersion,
        ExecutionMode = plan.ExecutionMode, MaxUnavailable = plan.MaxUnavailable, Selected = plan.Selected, Done = plan.Done,
        InOperation = plan.InOperation, Pending = plan.Pending, Failed = plan.Failed, Skipped = plan.Skipped,
        Batches = plan.Batches.Select(b => new KubeOSUpgradeBatch
        {
            Number = b.Number, Stage = b.Stage, Nodes = b.Nodes.ToArray(), StartsAfter = b.StartsAfter, Duration = b.Duration, BakeBefore = b.BakeBefore,
        }).ToArray(),
        BlockingBudgets = plan.BlockingBudgets.Select(b => new KubeOSBlockingBudget
        {
            Budget = b.Budget, DisruptionsAllowed = b.DisruptionsAllowed, Pods = b.Pods.ToArray(), Nodes = b.Nodes.ToArray(),
        }).ToArray(),
        PerNode = plan.PerNode, Measured = plan.Measured, PhaseDurations = plan.PhaseDurations, Eta = plan.Eta,
        FinishesAt = plan.FinishesAt.UtcDateTime, Plan = plan,
    };

    public override string ToString() => $"{Namespace}/{Name}: {Batches.Length} batch(es), ETA {KubeOSNodeHistory.Short(Eta)}";
}

/// <summary>One batch of a plan: nodes that start together (parallel) or one after another (serial).</summary>
public sealed class KubeOSUpgradeBatch
{
    public int Number { get; init; }
    public required string Stage { get; init; }
    public string[] Nodes { get; init; } = [];

    /// <summary>When the batch should start, counted from now.</summary>
    public TimeSpan StartsAfter { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>The bake time waited before this batch (the previous stage's).</summary>
    public TimeSpan BakeBefore { get; init; }

    public override string ToString() => $"{Number}: {string.Join(", ", Nodes)}";
}

/// <summary>A PodDisruptionBudget that allows no disruption now, with its pods on nodes still to drain.</summary>
public sealed class KubeOSBlockingBudget
{
    /// <summary>namespace/name.</summary>
    public required string Budget { get; init; }

    public int DisruptionsAllowed { get; init; }
    public string[] Pods { get; init; } = [];
    public string[] Nodes { get; init; } = [];

    public override string ToString() => Budget;
}
