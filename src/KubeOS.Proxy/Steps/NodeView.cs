using k8s.Models;

namespace KubeOS.Proxy.Steps;

/// <summary>What the proxy reads of its node; mapped from a V1Node at the edge so the planner needs no client types.</summary>
public sealed record NodeView(
    string Name,
    string? OsImage,
    string? BootId,
    bool Unschedulable,
    bool Ready,
    IReadOnlyDictionary<string, string> Labels,
    bool HealthGateFailed = false)
{
    public bool HasLabel(string key) => Labels.ContainsKey(key);

    public static NodeView From(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status == "True";
        return new NodeView(
            node.Metadata?.Name ?? "",
            node.Status?.NodeInfo?.OsImage,
            node.Status?.NodeInfo?.BootID,
            node.Spec?.Unschedulable == true,
            ready,
            node.Metadata?.Labels is { } labels ? new Dictionary<string, string>(labels) : new Dictionary<string, string>(),
            node.Status?.Conditions?.Any(c => c.Type == Api.Models.NodeObjectConditions.HealthGateFailed && c.Status == "True") == true);
    }
}
