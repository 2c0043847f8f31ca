using System.Globalization;
using System.Text.Json.Nodes;
using KubeOS.Api.Planning;
using KubeOS.Operator.Rollout;

namespace KubeOS.Operator.Status;

/// <summary>
/// The compact plan the operator writes into OS status.plan: how many batches are left, the nodes of the next one,
/// the stage, and the estimated time to finish (whole minutes, so an unchanged rollout does not rewrite its status
/// every pass).
/// </summary>
public static class PlanSummary
{
    public static JsonObject Build(ClusterView view)
    {
        var plan = UpgradePlanner.Plan(view.Target, PlanNodes.Of(view), DurationEstimate.From(PlanNodes.History(view), view.Target.Spec?.OpsType), view.Now);
        return ToJson(plan);
    }

    public static JsonObject ToJson(UpgradePlan plan)
    {
        var minutes = (int)Math.Ceiling(plan.Eta.TotalMinutes);
        return new JsonObject
        {
            ["batches"] = plan.Batches.Count,
            ["nextbatch"] = new JsonArray(plan.NextNodes.Select(n => (JsonNode)JsonValue.Create(n)).ToArray()),
            ["nextstage"] = plan.Batches.Count > 0 ? plan.Batches[0].Stage : null,
            ["eta"] = minutes.ToString(CultureInfo.InvariantCulture) + "m",
            ["pernode"] = ((int)Math.Round(plan.PerNode.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s",
            ["measured"] = plan.Measured,
        };
    }
}
