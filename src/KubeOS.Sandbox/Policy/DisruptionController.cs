using System.Text.Json.Nodes;
using KubeOS.Sandbox.Resources;
using KubeOS.Sandbox.Selectors;
using KubeOS.Sandbox.Storage;

namespace KubeOS.Sandbox.Policy;

/// <summary>
/// Keeps every PodDisruptionBudget's status current, as kube-controller-manager's disruption controller does, but
/// synchronously: whenever a pod or a PDB in a namespace changes, that namespace's budgets are recomputed inside the
/// same commit, so an eviction never sees a stale budget.
/// </summary>
public sealed class DisruptionController
{
    /// <summary>How long an evicted pod stays counted as disrupted (the controller's DeletionTimeout).</summary>
    public static readonly TimeSpan DeletionTimeout = TimeSpan.FromMinutes(2);

    private readonly ResourceService _service;
    private bool _running;

    public DisruptionController(ResourceService service)
    {
        _service = service;
        service.Store.Committed += OnCommitted;
    }

    private void OnCommitted(StoreEvent e)
    {
        if (_running || e.Namespace is null) return;
        if (e.Resource.Key is not ("/pods" or "policy/poddisruptionbudgets" or "apps/replicasets" or "apps/deployments" or "apps/daemonsets"))
            return;
        _running = true;
        try
        {
            // A pod change only concerns the budgets selecting it (before or after the change).
            Func<JsonObject, bool> affected = e.Resource.Key switch
            {
                "/pods" => pdb =>
                {
                    var selector = LabelSelector.FromApiSelector(pdb["spec"]?["selector"]);
                    return selector.MatchesObject(e.Object) || (e.Previous is not null && selector.MatchesObject(e.Previous));
                },
                "policy/poddisruptionbudgets" => pdb => pdb["metadata"]?["name"]?.ToString() == e.Object["metadata"]?["name"]?.ToString(),
                _ => _ => true,
            };
            Recompute(e.Namespace, affected);
        }
        finally { _running = false; }
    }

    public void RecomputeNamespace(string ns) => Recompute(ns, _ => true);

    private void Recompute(string ns, Func<JsonObject, bool> affected)
    {
        var store = _service.Store;
        lock (store.Gate)
        {
            var (_, pdbItems) = store.Snapshot(BuiltinResources.PodDisruptionBudgets, ns, null, null);
            var pdbs = pdbItems.Where(kv => affected(kv.Value)).ToList();
            if (pdbs.Count == 0) return;
            var (_, podItems) = store.Snapshot(BuiltinResources.Pods, ns, null, null);
            var pods = podItems.Select(kv => kv.Value).ToList();
            foreach (var (_, pdb) in pdbs)
            {
                var status = Compute(pdb, pods, ns);
                if (JsonNode.DeepEquals(status, pdb["status"])) continue;
                var next = (JsonObject)pdb.DeepClone();
                next["status"] = status;
                store.Replace(BuiltinResources.PodDisruptionBudgets, ns, pdb["metadata"]!["name"]!.ToString(), next);
            }
        }
    }

    private JsonObject Compute(JsonObject pdb, List<JsonObject> allPods, string ns)
    {
        var now = _service.Clock.GetUtcNow();
        var generation = pdb["metadata"]?["generation"]?.GetValue<long>() ?? 0;
        var old = pdb["status"] as JsonObject;
        var selector = LabelSelector.FromApiSelector(pdb["spec"]?["selector"]);
        var pods = allPods.Where(selector.MatchesObject).ToList();

        // Disrupted pods stay in the map until they are deleted or the timeout passes.
        var disrupted = new JsonObject();
        if (old?["disruptedPods"] is JsonObject oldDisrupted)
        {
            foreach (var (podName, at) in oldDisrupted)
            {
                var pod = pods.FirstOrDefault(p => p["metadata"]!["name"]!.ToString() == podName);
                if (pod is null || PodHealth.IsDeleting(pod)) continue;
                if (DateTimeOffset.TryParse(at?.ToString(), out var t) && t + DeletionTimeout <= now) continue;
                disrupted[podName] = at?.DeepClone();
            }
        }

        var (expected, desired, error) = Expectations(pdb, pods, ns);
        var healthy = pods.Count(p => !PodHealth.IsDeleting(p) && !disrupted.ContainsKey(p["metadata"]!["name"]!.ToString())
                                     && PodHealth.IsReady(p));
        var status = new JsonObject { ["observedGeneration"] = generation };
        if (disrupted.Count > 0) status["disruptedPods"] = disrupted;
        int allowed;
        string reason, message = "";
        if (error is not null)
        {
            // failSafe: no disruptions until the budget can be computed again.
            allowed = 0;
            reason = "SyncFailed";
            message = error;
            status["disruptionsAllowed"] = 0;
            status["currentHealthy"] = old?["currentHealthy"]?.DeepClone() ?? 0;
            status["desiredHealthy"] = old?["desiredHealthy"]?.DeepClone() ?? 0;
            status["expectedPods"] = old?["expectedPods"]?.DeepClone() ?? 0;
        }
        else
        {
            allowed = Math.Max(0, healthy - desired);
            reason = allowed > 0 ? "SufficientPods" : "InsufficientPods";
            status["disruptionsAllowed"] = allowed;
            status["currentHealthy"] = healthy;
            status["desiredHealthy"] = desired;
            status["expectedPods"] = expected;
        }
        var conditionStatus = allowed > 0 ? "True" : "False";
        var oldCondition = (old?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => c["type"]?.ToString() == "DisruptionAllowed");
        var transition = oldCondition?["status"]?.ToString() == conditionStatus && oldCondition["reason"]?.ToString() == reason
            ? oldCondition["lastTransitionTime"]!.ToString()
            : ResourceService.Timestamp(now);
        status["conditions"] = new JsonArray(new JsonObject
        {
            ["type"] = "DisruptionAllowed", ["status"] = conditionStatus, ["observedGeneration"] = generation,
            ["lastTransitionTime"] = transition, ["reason"] = reason, ["message"] = message,
        });
        return status;
    }

    /// <summary>
    /// Expected pod count and desired healthy count. An integer minAvailable counts the matching pods; a percentage
    /// or maxUnavailable needs the scale of the pods' controllers, and a pod without one is an error.
    /// </summary>
    private (int Expected, int Desired, string? Error) Expectations(JsonObject pdb, List<JsonObject> pods, string ns)
    {
        var spec = pdb["spec"] as JsonObject;
        var minAvailable = spec?["minAvailable"];
        var maxUnavailable = spec?["maxUnavailable"];
        if (maxUnavailable is null && minAvailable is not null && !IntOrPercent.IsPercent(minAvailable))
            return (pods.Count, IntOrPercent.Scaled(minAvailable, pods.Count, true), null);
        if (maxUnavailable is null && minAvailable is null)
            return (pods.Count, pods.Count, null);

        var (expected, error) = ExpectedScale(pods, ns);
        if (error is not null) return (0, 0, error);
        if (maxUnavailable is not null)
            return (expected, Math.Max(0, expected - IntOrPercent.Scaled(maxUnavailable, expected, true)), null);
        return (expected, IntOrPercent.Scaled(minAvailable!, expected, true), null);
    }

    private (int Expected, string? Error) ExpectedScale(List<JsonObject> pods, string ns)
    {
        var seen = new HashSet<string>();
        var expected = 0;
        foreach (var pod in pods)
        {
            var owner = PodHealth.ControllerRef(pod);
            if (owner is null) return (0, $"found no controller ref for pod \"{pod["metadata"]!["name"]}\"");
            var uid = owner["uid"]?.ToString() ?? "";
            if (!seen.Add(uid)) continue;
            var scale = ControllerScale(owner, ns);
            if (scale is null) return (0, $"found no controllers for pod \"{pod["metadata"]!["name"]}\"");
            expected += scale.Value;
        }
        return (expected, null);
    }

    private int? ControllerScale(JsonObject owner, string ns)
    {
        var store = _service.Store;
        var name = owner["name"]?.ToString() ?? "";
        switch (owner["kind"]?.ToString())
        {
            case "ReplicaSet":
                var rs = store.Get(BuiltinResources.ReplicaSets, ns, name);
                if (rs is null || rs["metadata"]?["uid"]?.ToString() != owner["uid"]?.ToString()) return null;
                if (PodHealth.ControllerRef(rs) is { } deployRef && deployRef["kind"]?.ToString() == "Deployment")
                {
                    var deploy = store.Get(BuiltinResources.Deployments, ns, deployRef["name"]!.ToString());
                    if (deploy is not null) return (int?)deploy["spec"]?["replicas"]?.GetValue<long>() ?? 1;
                }
                return (int?)rs["spec"]?["replicas"]?.GetValue<long>() ?? 1;
            case "DaemonSet":
                var ds = store.Get(BuiltinResources.DaemonSets, ns, name);
                return ds is null ? null : (int)(ds["status"]?["desiredNumberScheduled"]?.GetValue<long>() ?? 0);
            default:
                return null;
        }
    }
}
