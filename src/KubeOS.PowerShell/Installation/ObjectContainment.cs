using System.Text.Json.Nodes;
using k8s;

namespace KubeOS.PowerShell.Installation;

/// <summary>
/// Decides whether a live object already holds everything a manifest asks for. The server adds defaults, status and
/// bookkeeping to what was written, so "unchanged" means every field of the manifest is present in the live object
/// with the same value, not that the two are equal. Both sides go through KubernetesClient's serializer first, so
/// quantities and int-or-string values compare in one form.
/// </summary>
public static class ObjectContainment
{
    public static bool Contains(object live, object desired) =>
        Contains(JsonNode.Parse(KubernetesJson.Serialize(live)), JsonNode.Parse(KubernetesJson.Serialize(desired)));

    private static bool Contains(JsonNode? live, JsonNode? desired) => (live, desired) switch
    {
        (_, null) => true,
        (null, _) => false,
        (JsonObject l, JsonObject d) => d.All(p => p.Value is null || (l.TryGetPropertyValue(p.Key, out var v) && Contains(v, p.Value))),
        (JsonArray l, JsonArray d) => l.Count == d.Count && d.Select((item, i) => Contains(l[i], item)).All(b => b),
        (JsonValue l, JsonValue d) => JsonNode.DeepEquals(l, d),
        _ => false,
    };
}
