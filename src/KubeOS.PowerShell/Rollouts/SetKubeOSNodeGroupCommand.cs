using System.Management.Automation;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeOS.Api;
using KubeOS.PowerShell.Cluster;
using KubeOS.PowerShell.Infrastructure;

namespace KubeOS.PowerShell.Rollouts;

/// <summary>
/// Set-KubeOSNodeGroup: puts nodes into a node-selector group (the upgrade.openeuler.org/node-selector label KubeOS
/// selects by) or takes them out of theirs with -Clear. An OS object with spec.nodeselector = the group then manages
/// exactly those nodes; one without a nodeselector manages the nodes without the label. This is how a canary node or a
/// maintenance batch is set apart before Start-KubeOSUpgrade -NodeSelector.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KubeOSNodeGroup", SupportsShouldProcess = true, DefaultParameterSetName = GroupSet)]
[OutputType(typeof(KubeOSNode))]
public sealed class SetKubeOSNodeGroupCommand : ClusterCmdlet
{
    private const string GroupSet = "Group";
    private const string ClearSet = "Clear";

    private readonly List<string> _requested = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] NodeName { get; set; } = [];

    /// <summary>A label value: what KubeOS accepts as spec.nodeselector.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = GroupSet)]
    [ValidatePattern("^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$")]
    public string Group { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = ClearSet)]
    public SwitchParameter Clear { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => _requested.AddRange(NodeName);

    // Nodes are listed once, after the pipeline: a hundred piped names cost one list, not a hundred.
    protected override void EndProcessing()
    {
        var nodes = CallCluster((c, ct) => c.ListNodesAsync(ct));
        var changed = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var requested in _requested)
        {
            var pattern = WildcardPattern.Get(requested, WildcardOptions.IgnoreCase);
            var matches = nodes.Where(n => pattern.IsMatch(n.Metadata.Name)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(requested))
            {
                WriteError(ErrorRecords.Create(ClusterErrorIds.NodeNotFound, ErrorCategory.ObjectNotFound, requested,
                    $"The cluster {Cluster.Server} has no node named '{requested}'.", "Run Get-KubeOSNode to list the nodes."));
            }
            foreach (var node in matches.Where(n => seen.Add(n.Metadata.Name)))
            {
                if (Apply(node)) changed.Add(node.Metadata.Name);
            }
        }
        if (PassThru && seen.Count > 0)
        {
            var instances = CallCluster((c, ct) => c.ListOSInstancesAsync(ct)) ?? [];
            foreach (var node in CallCluster((c, ct) => c.ListNodesAsync(ct)).Where(n => seen.Contains(n.Metadata.Name)).OrderBy(n => n.Metadata.Name, StringComparer.Ordinal))
            {
                WriteObject(KubeOSNodeFactory.Create(node, instances.FirstOrDefault(i => i.Metadata?.Name == node.Metadata.Name)));
            }
        }
    }

    private bool Apply(V1Node node)
    {
        var name = node.Metadata.Name;
        var current = RolloutReader.GroupOf(node);
        if (!Clear && RolloutReader.IsControlPlane(node))
        {
            WriteError(ErrorRecords.Create(RolloutErrorIds.NodeNotSelectable, ErrorCategory.InvalidArgument, name,
                $"Node {name} is a control-plane node; KubeOS never upgrades, rolls back or configures control-plane nodes, so a group would not reach it.",
                "Leave control-plane nodes out, e.g. Get-KubeOSNode | Where-Object Roles -notcontains 'control-plane' | Set-KubeOSNodeGroup -Group batch-1."));
            return false;
        }
        string? wanted = Clear ? null : Group;
        if (current == wanted)
        {
            WriteVerbose($"Node {name} is already {(wanted is null ? "in no group" : $"in group '{wanted}'")}.");
            return false;
        }
        var action = wanted is null ? $"Leave node-selector group '{current}'" : $"Join node-selector group '{wanted}'" + (current is null ? "" : $" (leaving '{current}')");
        if (!ShouldProcess(name, action)) return false;
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [WellKnown.Labels.NodeSelector] = wanted } } };
        CallCluster((c, ct) => c.Client.CoreV1.PatchNodeAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), name, cancellationToken: ct), name);
        WriteVerbose(wanted is null ? $"Removed {WellKnown.Labels.NodeSelector} from node {name}." : $"Labelled node {name} {WellKnown.Labels.NodeSelector}={wanted}.");
        return true;
    }
}
