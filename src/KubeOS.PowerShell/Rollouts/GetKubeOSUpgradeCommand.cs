using System.Management.Automation;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.PowerShell.Cluster;
using KubeOS.PowerShell.Infrastructure;

namespace KubeOS.PowerShell.Rollouts;

/// <summary>Get-KubeOSUpgrade: the OS objects of a namespace as rollouts, with node counts, conditions and per-node state.</summary>
[Cmdlet(VerbsCommon.Get, "KubeOSUpgrade")]
[OutputType(typeof(KubeOSUpgrade), typeof(KubeOSNodeHistory))]
public sealed class GetKubeOSUpgradeCommand : RolloutCmdlet
{
    private IReadOnlyList<KubeOSUpgrade>? _all;

    [Parameter(Position = 0, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Namespace { get; set; } = WellKnown.OSInstanceNamespace;

    /// <summary>Write each selected node's finished operations instead of the rollouts.</summary>
    [Parameter]
    public SwitchParameter History { get; set; }

    protected override void ProcessRecord()
    {
        var all = _all ??= Load();
        if (Name is null || Name.Length == 0)
        {
            Output(all);
            return;
        }
        foreach (var name in Name)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            var matches = all.Where(r => pattern.IsMatch(r.Name)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteNotFound(Namespace, name);
            }
            Output(matches);
        }
    }

    private void Output(IEnumerable<KubeOSUpgrade> rollouts)
    {
        if (History) WriteObject(rollouts.SelectMany(r => r.Nodes).SelectMany(n => n.History), enumerateCollection: true);
        else WriteObject(rollouts, enumerateCollection: true);
    }

    private IReadOnlyList<KubeOSUpgrade> Load()
    {
        var (objects, state) = CallCluster(async (cluster, ct) =>
        {
            var list = await RolloutReader.ListAsync(cluster, Namespace, ct).ConfigureAwait(false);
            return (list, list is null ? null : await RolloutReader.ReadClusterAsync(cluster, ct).ConfigureAwait(false));
        }, Namespace);
        if (objects is null)
        {
            ThrowTerminatingError(ErrorRecords.Create(ClusterErrorIds.KubeOSResourcesNotInstalled, ErrorCategory.ResourceUnavailable, Cluster.Server,
                $"The cluster {Cluster.Server} does not serve OS objects: KubeOS is not installed.",
                "Install KubeOS on the cluster (Install-KubeOSOperator), or start a sandbox without -WithoutOperator."));
        }
        return objects!.Select(o => RolloutReader.Describe(o, state!)).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
    }
}
