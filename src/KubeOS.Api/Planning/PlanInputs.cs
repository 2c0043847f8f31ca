namespace KubeOS.Api.Planning;

/// <summary>Where a selected node stands in a rollout, as the operator and Get-KubeOSUpgrade classify it.</summary>
public enum PlanNodeState
{
    Pending,
    InOperation,
    Done,
    Failed,
    Skipped,
}

/// <summary>
/// One selected node as a plan sees it. <paramref name="OutOfService"/>: cordoned or not Ready, so starting it takes no
/// extra slot. <paramref name="Started"/>: assigned now or already worked on for this target (counts towards stages).
/// </summary>
public sealed record PlanNode(
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    PlanNodeState State,
    bool OutOfService = false,
    bool Started = false,
    DateTimeOffset? FinishedAt = null);

public sealed record PlanPod(string Namespace, string Name, string Node);

/// <summary>A PodDisruptionBudget with the pods it covers (matched by the caller, which holds the Kubernetes types).</summary>
public sealed record PlanBudget(string Namespace, string Name, int DisruptionsAllowed, IReadOnlyList<PlanPod> Pods);
