using System.Text.Json.Nodes;
using KubeOS.Sandbox.Errors;
using KubeOS.Sandbox.Resources;
using KubeOS.Sandbox.Selectors;

namespace KubeOS.Sandbox.Policy;

/// <summary>
/// POST pods/{name}/eviction, with the rules of kube-apiserver's eviction REST: terminal, pending and terminating pods
/// go at once; otherwise the single matching PodDisruptionBudget must allow a disruption (429 when it does not, 500
/// when several budgets match), and a successful eviction decrements disruptionsAllowed and records the pod as
/// disrupted before deleting it.
/// </summary>
public sealed class EvictionService(ResourceService service)
{
    public const string ViolationMessage = "Cannot evict pod as it would violate the pod's disruption budget.";
    public const int MaxDisruptedPodSize = 2000;

    public void Evict(string ns, string podName, JsonObject eviction)
    {
        var bodyName = eviction["metadata"]?["name"]?.ToString();
        if (!string.IsNullOrEmpty(bodyName) && bodyName != podName)
            throw ApiError.BadRequest("name in URL does not match name in Eviction object");
        var options = eviction["deleteOptions"] as JsonObject;
        var request = new DeleteRequest(options?["preconditions"]?["uid"]?.ToString(),
            options?["preconditions"]?["resourceVersion"]?.ToString(), options?["propagationPolicy"]?.ToString());

        var store = service.Store;
        lock (store.Gate)
        {
            var pod = service.Get(BuiltinResources.Pods, ns, podName);
            var phase = PodHealth.Phase(pod);
            if (PodHealth.IsDeleting(pod) || phase is "Succeeded" or "Failed" or "Pending")
            {
                service.Delete(BuiltinResources.Pods, ns, podName, request);
                return;
            }

            var (_, pdbItems) = store.Snapshot(BuiltinResources.PodDisruptionBudgets, ns, null, null);
            var pdbs = pdbItems.Select(kv => kv.Value)
                .Where(p => LabelSelector.FromApiSelector(p["spec"]?["selector"]).MatchesObject(pod)).ToList();
            if (pdbs.Count > 1)
                throw ApiError.Internal("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
            if (pdbs.Count == 0)
            {
                service.Delete(BuiltinResources.Pods, ns, podName, request);
                return;
            }

            var pdb = pdbs[0];
            var status = pdb["status"] as JsonObject ?? new JsonObject();
            if (!PodHealth.IsReady(pod))
            {
                var policy = pdb["spec"]?["unhealthyPodEvictionPolicy"]?.ToString() ?? "IfHealthyBudget";
                var current = Int(status["currentHealthy"]);
                var desired = Int(status["desiredHealthy"]);
                if (policy == "AlwaysAllow" || (current >= desired && desired > 0))
                {
                    service.Delete(BuiltinResources.Pods, ns, podName, request);
                    return;
                }
            }
            CheckAndDecrement(pdb, podName, ns);
            service.Delete(BuiltinResources.Pods, ns, podName, request);
        }
    }

    private void CheckAndDecrement(JsonObject pdb, string podName, string ns)
    {
        var pdbName = pdb["metadata"]!["name"]!.ToString();
        var status = pdb["status"] as JsonObject ?? new JsonObject();
        var generation = pdb["metadata"]?["generation"]?.GetValue<long>() ?? 0;
        if ((status["observedGeneration"]?.GetValue<long>() ?? 0) < generation)
            throw ApiError.TooManyRequests(ViolationMessage,
                [new StatusCause("DisruptionBudget", $"The disruption budget {pdbName} is still being processed by the server.", null)], retryAfterSeconds: 10);
        var allowed = Int(status["disruptionsAllowed"]);
        if (allowed < 0)
            throw ApiError.Forbidden("policy", "poddisruptionbudgets", pdbName, "pdb disruptions allowed is negative");
        if ((status["disruptedPods"] as JsonObject)?.Count > MaxDisruptedPodSize)
            throw ApiError.Forbidden("policy", "poddisruptionbudgets", pdbName, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        if (allowed == 0)
            throw ApiError.TooManyRequests(ViolationMessage,
            [
                new StatusCause("DisruptionBudget",
                    $"The disruption budget {pdbName} needs {Int(status["desiredHealthy"])} healthy pods and has {Int(status["currentHealthy"])} currently", null),
            ]);

        var next = (JsonObject)pdb.DeepClone();
        var nextStatus = next["status"] as JsonObject ?? new JsonObject();
        next["status"] = nextStatus;
        nextStatus["disruptionsAllowed"] = allowed - 1;
        var disrupted = nextStatus["disruptedPods"] as JsonObject ?? new JsonObject();
        disrupted[podName] = service.Now();
        nextStatus["disruptedPods"] = disrupted;
        if (allowed - 1 == 0 && nextStatus["conditions"] is JsonArray conditions)
        {
            foreach (var c in conditions.OfType<JsonObject>().Where(c => c["type"]?.ToString() == "DisruptionAllowed"))
            {
                c["status"] = "False";
                c["reason"] = "InsufficientPods";
                c["lastTransitionTime"] = service.Now();
            }
        }
        service.Store.Replace(BuiltinResources.PodDisruptionBudgets, ns, pdbName, next);
    }

    private static int Int(JsonNode? n) => n is JsonValue v && v.TryGetValue<int>(out var i) ? i : 0;
}
