namespace KubeOS.Api.Planning;

/// <summary>
/// What a rollout will do from now on: the batches in the order the operator takes them, the budgets that would hold
/// a drain right now, and when it should end, forecast from the measured durations of nodes already done.
/// </summary>
public sealed record UpgradePlan(
    string OS,
    string OpsType,
    string? TargetVersion,
    string ExecutionMode,
    int MaxUnavailable,
    int Selected,
    int Done,
    int InOperation,
    int Pending,
    int Failed,
    int Skipped,
    IReadOnlyList<PlanBatch> Batches,
    IReadOnlyList<PlanBlocker> BlockingBudgets,
    TimeSpan PerNode,
    bool Measured,
    IReadOnlyDictionary<string, TimeSpan> PhaseDurations,
    TimeSpan Eta,
    DateTimeOffset FinishesAt)
{
    /// <summary>The nodes the next round assigns, or none when nothing is left.</summary>
    public IReadOnlyList<string> NextNodes => Batches.Count > 0 ? Batches[0].Nodes : [];
}

/// <summary>
/// One batch: nodes that start together (parallel) or one after another (serial), the stage they belong to, when the
/// batch should start counted from now, how long it should take, and the bake time waited before it.
/// </summary>
public sealed record PlanBatch(int Number, string Stage, IReadOnlyList<string> Nodes, TimeSpan StartsAfter, TimeSpan Duration, TimeSpan BakeBefore);

/// <summary>A PodDisruptionBudget that allows no disruption now, the pods of it on nodes still to drain, and those nodes.</summary>
public sealed record PlanBlocker(string Budget, int DisruptionsAllowed, IReadOnlyList<string> Pods, IReadOnlyList<string> Nodes);
