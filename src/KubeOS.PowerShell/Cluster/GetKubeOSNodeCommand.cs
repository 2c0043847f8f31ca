using System.Management.Automation;
using KubeOS.Api.Models;
using KubeOS.PowerShell.Infrastructure;

namespace KubeOS.PowerShell.Cluster;

/// <summary>
/// Get-KubeOSNode: the cluster's nodes joined with their OSInstance objects. Nodes and OSInstances are listed once per
/// invocation, however many names arrive through the pipeline.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeOSNode")]
[OutputType(typeof(KubeOSNode))]
public sealed class GetKubeOSNodeCommand : ClusterCmdlet
{
    private IReadOnlyList<KubeOSNode>? _nodes;

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("NodeName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var nodes = _nodes ??= Load();
        if (Name is null || Name.Length == 0)
        {
            WriteObject(nodes, enumerateCollection: true);
            return;
        }
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in Name)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            var matches = nodes.Where(n => pattern.IsMatch(n.Name)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteError(ErrorRecords.Create(ClusterErrorIds.NodeNotFound, ErrorCategory.ObjectNotFound, name,
                    $"The cluster {Cluster.Server} has no node named '{name}'.",
                    "Run Get-KubeOSNode without -Name to list the nodes, or use a wildcard such as 'worker-*'."));
                continue;
            }
            foreach (var node in matches.Where(n => written.Add(n.Name)))
            {
                WriteObject(node);
            }
        }
    }

    private IReadOnlyList<KubeOSNode> Load()
    {
        var (nodes, instances) = CallCluster(async (cluster, ct) =>
        {
            var nodeList = cluster.ListNodesAsync(ct);
            var instanceList = cluster.ListOSInstancesAsync(ct);
            return (await nodeList.ConfigureAwait(false), await instanceList.ConfigureAwait(false));
        });
        if (instances is null)
        {
            WriteWarning($"The cluster {Cluster.Server} does not serve OSInstance objects: the KubeOS CRDs are not installed, so NodeStatus is '-' for every node.");
        }
        var byName = (instances ?? []).Where(i => i.Metadata?.Name is not null)
            .GroupBy(i => i.Metadata!.Name!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return nodes
            .Select(n => KubeOSNodeFactory.Create(n, n.Metadata?.Name is { } name && byName.TryGetValue(name, out var i) ? i : null))
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
    }
}
