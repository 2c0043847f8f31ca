using KubeOS.Client;
using KubeOS.PowerShell.Cluster;

namespace KubeOS.PowerShell.Rollouts;

/// <summary>
/// Completes OS versions: the osImage of every node and the osversion of every OS object, with how many nodes run
/// each and which OS objects target it.
/// </summary>
public sealed class VersionCompleter : ClusterValueCompleter
{
    protected override async Task<IReadOnlyList<(string Value, string Tip)>> LoadAsync(KubeOSCluster cluster, CancellationToken cancellationToken)
    {
        var nodes = await cluster.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        var objects = await RolloutReader.ListAsync(cluster, Api.WellKnown.OSInstanceNamespace, cancellationToken).ConfigureAwait(false) ?? [];
        var running = nodes.Select(n => n.Status?.NodeInfo?.OsImage).OfType<string>()
            .GroupBy(v => v, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var wanted = objects.Where(o => !string.IsNullOrEmpty(o.Spec?.OSVersion))
            .GroupBy(o => o.Spec!.OSVersion!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(o => o.Metadata?.Name)), StringComparer.Ordinal);
        return running.Keys.Union(wanted.Keys).OrderBy(v => v, StringComparer.Ordinal)
            .Select(v => (v, string.Join("; ", new[]
            {
                running.TryGetValue(v, out var count) ? $"{count} node(s) run it" : null,
                wanted.TryGetValue(v, out var names) ? $"target of OS {names}" : null,
            }.OfType<string>())))
            .ToList();
    }
}
