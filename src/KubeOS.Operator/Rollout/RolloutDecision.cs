using KubeOS.Api.Models;

namespace KubeOS.Operator.Rollout;

/// <summary>Why a round assigned nothing although nodes still need the operation.</summary>
public enum RolloutBlock
{
    None,
    /// <summary>Another OS object uses the same nodeselector; KubeOS stalls both.</summary>
    SelectorConflict,
    InvalidTimeWindow,
    OutsideTimeWindow,
    UnknownOpsType,
    UnknownExecutionMode,
    /// <summary>spec.paused is true (not in KubeOS); nodes already in an operation finish.</summary>
    Paused,
    /// <summary>The failed nodes reached spec.maxfailures (not in KubeOS); the rollout is halted.</summary>
    FailureBudgetExhausted,
    /// <summary>spec.prestage (not in KubeOS): targeted nodes are still staging the image; nothing is cordoned yet.</summary>
    Prestaging,
}

/// <summary>Write the OSInstance spec, then label the node: KubeOS's order, so a proxy never acts on a stale spec.</summary>
public sealed record NodeAssignment(string Node, OSInstanceSpec Spec, string OperationLabel);

public sealed record LabelChange(string Node, string Label, bool Add);

/// <summary>
/// How the selected nodes stand, for status and logs. Skipped: config wanted on a node that runs another OS version.
/// WithoutInstance: the node's proxy has not created its OSInstance yet.
/// </summary>
public sealed record RolloutCounts(int InScope, int Done, int InOperation, int Pending, int Failed, int Skipped, int WithoutInstance)
{
    public bool Complete => InOperation == 0 && Pending == 0 && WithoutInstance == 0;
}

/// <summary>The outcome of one reconcile: what to write, and when to look again.</summary>
public sealed record RolloutDecision(
    RolloutBlock Block,
    string? Message,
    IReadOnlyList<NodeAssignment> Assignments,
    IReadOnlyList<LabelChange> LabelChanges,
    TimeSpan RequeueAfter,
    RolloutCounts Counts)
{
    /// <summary>spec.prestage: nodes to ask to stage the image now (no cordon, no slot).</summary>
    public IReadOnlyList<Prestage.PrestageMark> Prestage { get; init; } = [];

    /// <summary>True when the decision writes to nodes or OSInstances.</summary>
    public bool ChangesNodes => Assignments.Count > 0 || LabelChanges.Count > 0 || Prestage.Count > 0;

    public static RolloutDecision Blocked(RolloutBlock block, string message, TimeSpan requeue, RolloutCounts counts) =>
        new(block, message, [], [], requeue, counts);
}
