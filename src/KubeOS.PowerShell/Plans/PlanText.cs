using KubeOS.Api.Planning;

namespace KubeOS.PowerShell.Plans;

/// <summary>The plan as lines for people (Start-KubeOSUpgrade -WhatIf): batches, nodes, blocking budgets, ETA.</summary>
internal static class PlanText
{
    public static IEnumerable<string> Lines(UpgradePlan plan)
    {
        yield return $"Plan for OS {plan.OS}: {plan.OpsType} to {plan.TargetVersion}, {plan.ExecutionMode}, maxunavailable {plan.MaxUnavailable}; " +
                     $"{plan.Selected} selected: {plan.Done} done, {plan.InOperation} in operation, {plan.Pending} pending" +
                     (plan.Failed > 0 ? $", {plan.Failed} failed" : "") + (plan.Skipped > 0 ? $", {plan.Skipped} skipped" : "");
        if (plan.Batches.Count == 0) yield return "  No batch left to run.";
        foreach (var batch in plan.Batches)
        {
            var bake = batch.BakeBefore > TimeSpan.Zero ? $" after a bake of {KubeOSNodeHistory.Short(batch.BakeBefore)}" : "";
            yield return $"  Batch {batch.Number} [{batch.Stage}] at +{KubeOSNodeHistory.Short(batch.StartsAfter)}{bake}: {string.Join(", ", batch.Nodes)}";
        }
        if (plan.BlockingBudgets.Count == 0) yield return "  No PodDisruptionBudget blocks a drain now.";
        foreach (var b in plan.BlockingBudgets)
            yield return $"  Blocking now: PodDisruptionBudget {b.Budget} (disruptionsAllowed {b.DisruptionsAllowed}) holds {string.Join(", ", b.Pods)} on {string.Join(", ", b.Nodes)}";
        yield return $"  ETA {KubeOSNodeHistory.Short(plan.Eta)} (finishes about {plan.FinishesAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC), " +
                     $"{KubeOSNodeHistory.Short(plan.PerNode)} per node " + (plan.Measured ? "measured on nodes already done" : "by default (no node measured yet)");
    }
}
