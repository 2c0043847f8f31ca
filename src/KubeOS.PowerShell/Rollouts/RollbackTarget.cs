using k8s.Models;
using KubeOS.Api;
using KubeOS.Api.Models;

namespace KubeOS.PowerShell.Rollouts;

/// <summary>
/// What a rollback returns nodes to. A KubeOS rollback boots the other partition, so the version must be the one the
/// node ran before its last upgrade: the proxies record it in OSInstance status.operation.fromversion.
/// </summary>
internal static class RollbackTarget
{
    /// <summary>The version every given node came from, or null when they disagree or any of them has no record.</summary>
    public static string? PreviousVersion(IEnumerable<V1Node> nodes, IReadOnlyList<OSInstance> instances, out string detail)
    {
        var byName = instances.Where(i => i.Metadata?.Name is not null)
            .GroupBy(i => i.Metadata!.Name!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var found = nodes.Select(n =>
        {
            var op = byName.GetValueOrDefault(n.Metadata.Name)?.Status?.Operation;
            var current = n.Status?.NodeInfo?.OsImage;
            // Only an operation that brought the node to what it runs now says what the other partition holds.
            var previous = op is { OpsType: WellKnown.OpsTypes.Upgrade or WellKnown.OpsTypes.Rollback } && op.TargetVersion == current
                ? op.FromVersion : null;
            return (Node: n.Metadata.Name, Previous: previous);
        }).ToList();
        var versions = found.Select(f => f.Previous).Distinct().ToList();
        detail = string.Join(", ", found.Select(f => $"{f.Node}: {f.Previous ?? "unknown"}"));
        return versions.Count == 1 && !string.IsNullOrEmpty(versions[0]) ? versions[0] : null;
    }
}
