using System.Text.Json.Nodes;

namespace KubeOS.Sandbox.Policy;

/// <summary>Pod facts the disruption rules use (as k8s.io/kubernetes/pkg/api/v1/pod defines them).</summary>
public static class PodHealth
{
    public static bool IsReady(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .Any(c => c["type"]?.ToString() == "Ready" && c["status"]?.ToString() == "True") == true;

    public static bool IsDeleting(JsonObject pod) => pod["metadata"]?["deletionTimestamp"] is not null;

    public static string Phase(JsonObject pod) => pod["status"]?["phase"]?.ToString() ?? "";

    public static JsonObject? ControllerRef(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(r => r["controller"]?.GetValue<bool>() == true);
}
