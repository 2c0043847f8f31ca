using System.Text.Json.Nodes;
using KubeOS.Api.Models;
using KubeOS.Operator.Rollout;

namespace KubeOS.Operator.Status;

/// <summary>
/// The status the operator writes on an OS object (KubeOS writes none; the CRD preserves unknown status fields):
/// node counts, the Progressing/Succeeded/Blocked/Paused/Failed conditions and the generation they describe. Pure, and stable for an
/// unchanged decision — a condition keeps its lastTransitionTime until its status flips — so an idle operator writes
/// nothing.
/// </summary>
public static class OSStatusBuilder
{
    public const string Progressing = "Progressing";
    public const string Succeeded = "Succeeded";
    public const string Blocked = "Blocked";
    public const string Paused = "Paused";
    public const string Failed = "Failed";

    public static JsonObject Build(OS os, RolloutDecision decision, JsonObject? previous, DateTimeOffset now)
    {
        var c = decision.Counts;
        var generation = os.Metadata?.Generation;
        // Pre-staging holds the first cordon but is progress, not a block.
        var prestaging = decision.Block == RolloutBlock.Prestaging;
        var blocked = decision.Block != RolloutBlock.None && !prestaging;
        var complete = c.Complete;

        var (progressing, progressReason, progressMessage) = prestaging
            ? (true, nameof(RolloutBlock.Prestaging), decision.Message ?? "")
            : blocked
            ? (false, decision.Block.ToString(), decision.Message ?? "")
            : complete
                ? (false, "Complete", $"{c.Done} of {c.InScope} nodes done")
                : c.InOperation == 0 && c.Pending == 0
                    ? (true, "WaitingForInstances", $"{c.WithoutInstance} node(s) have no OSInstance yet; is os-proxy running on them?")
                    : (true, "RollingOut", $"{c.InOperation} in operation, {c.Pending} pending, {c.Done} of {c.InScope} done");
        var (succeeded, successReason, successMessage) = complete && c.Failed == 0 && !blocked
            ? (true, "AllNodesDone", $"all {c.InScope} selected nodes are done" + (c.Skipped > 0 ? $", {c.Skipped} skipped" : ""))
            : c.Failed > 0
                ? (false, "NodesFailed", $"{c.Failed} node(s) failed this target; see their OSInstance status")
                : (false, "InProgress", $"{c.Done} of {c.InScope} nodes done");
        var paused = decision.Block == RolloutBlock.Paused;
        // Failed: the rollout cannot end well without someone acting — its failure budget is spent, or every node
        // finished and some of them failed.
        var (failed, failReason, failMessage) = decision.Block == RolloutBlock.FailureBudgetExhausted
            ? (true, "FailureBudgetExhausted", decision.Message ?? "")
            : complete && c.Failed > 0
                ? (true, "NodesFailed", $"{c.Failed} of {c.InScope} node(s) failed; see their OSInstance status")
                : (false, "NoFailure", c.Failed > 0 ? $"{c.Failed} node(s) failed, within the failure budget" : "no node failed");

        return new JsonObject
        {
            ["observedGeneration"] = generation,
            ["counts"] = new JsonObject
            {
                ["inscope"] = c.InScope, ["done"] = c.Done, ["inoperation"] = c.InOperation, ["pending"] = c.Pending,
                ["failed"] = c.Failed, ["skipped"] = c.Skipped, ["withoutinstance"] = c.WithoutInstance,
            },
            ["conditions"] = new JsonArray(
                Condition(previous, Progressing, progressing, progressReason, progressMessage, generation, now),
                Condition(previous, Succeeded, succeeded, successReason, successMessage, generation, now),
                Condition(previous, Blocked, blocked, blocked ? decision.Block.ToString() : nameof(RolloutBlock.None), blocked ? decision.Message ?? "" : "not blocked", generation, now),
                Condition(previous, Paused, paused, paused ? "PausedBySpec" : "NotPaused",
                    paused ? decision.Message ?? "spec.paused is true" : "spec.paused is not set", generation, now),
                Condition(previous, Failed, failed, failReason, failMessage, generation, now)),
        };
    }

    /// <summary>The condition of that type in a status, or null.</summary>
    public static JsonObject? ConditionOf(JsonObject? status, string type) =>
        (status?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);

    /// <summary>True when the status of that condition is "True".</summary>
    public static bool IsTrue(JsonObject? status, string type) => (string?)ConditionOf(status, type)?["status"] == "True";

    private static JsonObject Condition(JsonObject? previous, string type, bool value, string reason, string message, long? generation, DateTimeOffset now)
    {
        var status = value ? "True" : "False";
        var before = ConditionOf(previous, type);
        var since = (string?)before?["status"] == status && before?["lastTransitionTime"] is JsonValue t
            ? (string?)t
            : Rfc3339(now);
        return new JsonObject
        {
            ["type"] = type, ["status"] = status, ["reason"] = reason, ["message"] = message,
            ["observedGeneration"] = generation, ["lastTransitionTime"] = since,
        };
    }

    // Kubernetes metav1.Time: seconds precision, UTC, "Z".
    private static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
