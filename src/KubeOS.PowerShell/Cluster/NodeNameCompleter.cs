using KubeOS.Client;

namespace KubeOS.PowerShell.Cluster;

/// <summary>Completes node names, each with its OS version and readiness as the tool tip.</summary>
public sealed class NodeNameCompleter : ClusterValueCompleter
{
    protected override async Task<IReadOnlyList<(string Value, string Tip)>> LoadAsync(KubeOSCluster cluster, CancellationToken cancellationToken) =>
        (await cluster.ListNodesAsync(cancellationToken).ConfigureAwait(false))
            .Select(n => KubeOSNodeFactory.Create(n, null))
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .Select(n => (n.Name, $"{n.Name}: {n.OSVersion}, {n.Status}"))
            .ToList();
}
