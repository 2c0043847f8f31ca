using System.Management.Automation;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.PowerShell.Cluster;
using KubeOS.PowerShell.Infrastructure;
using KubeOS.PowerShell.Plans;

namespace KubeOS.PowerShell.Rollouts;

/// <summary>
/// Invoke-KubeOSRollback: turns an OS object into a rollback (opstype rollback, osversion = the version the nodes ran
/// before), so the selected nodes boot their other partition. Nodes from the pipeline are targeted as KubeOS targets
/// any subset: they get one node-selector group label (and only they keep it), and the OS object selects that group.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "KubeOSRollback", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High,
    DefaultParameterSetName = NameSet)]
[OutputType(typeof(KubeOSUpgrade), typeof(RolloutJob))]
public sealed class InvokeKubeOSRollbackCommand : RolloutWriteCmdlet
{
    private const string NameSet = "Name";
    private const string NodeSet = "Node";
    private const string InputSet = "InputObject";

    /// <summary>Group label given to piped nodes when -Group is left out.</summary>
    public const string DefaultGroup = "kubeos-rollback";

    private readonly List<string> _nodeNames = [];

    [Parameter(Position = 0, ParameterSetName = NameSet)]
    [Parameter(ParameterSetName = NodeSet)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = NodeSet, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] NodeName { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = InputSet, ValueFromPipeline = true)]
    public KubeOSUpgrade? InputObject { get; set; }

    [Parameter(ParameterSetName = NodeSet)]
    [ValidateNotNullOrEmpty]
    [ValidatePattern("^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$")]
    public string Group { get; set; } = DefaultGroup;

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VersionCompleter))]
    public string? Version { get; set; }

    [Parameter(ParameterSetName = NameSet)]
    [Parameter(ParameterSetName = NodeSet)]
    [ValidateNotNullOrEmpty]
    public string Namespace { get; set; } = WellKnown.OSInstanceNamespace;

    /// <summary>A number of nodes, or a percentage of the selected nodes such as '25%'.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string MaxUnavailable { get; set; } = "1";

    [Parameter]
    public SwitchParameter EvictPodForce { get; set; }

    [Parameter]
    [ValidateSet("parallel", "serial")]
    public string? ExecutionMode { get; set; }

    [Parameter]
    public int TimeInterval { get; set; }

    private static readonly Dictionary<string, string> Parameters = new(StringComparer.Ordinal)
    {
        ["spec.osversion"] = nameof(Version), ["spec.maxunavailable"] = nameof(MaxUnavailable), ["spec.nodeselector"] = nameof(Group),
        ["spec.executionmode"] = nameof(ExecutionMode), ["spec.timeinterval"] = nameof(TimeInterval),
        ["metadata.name"] = nameof(Name), ["metadata.namespace"] = nameof(Namespace),
    };

    protected override void BeginProcessing() => RefuseWaitWithJob();

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case NodeSet:
                _nodeNames.AddRange(NodeName);
                break;
            case InputSet:
                RollBackObject(InputObject!.Namespace, InputObject.Name);
                break;
        }
    }

    protected override void EndProcessing()
    {
        switch (ParameterSetName)
        {
            case NodeSet:
                RollBackNodes();
                break;
            case NameSet:
                if (Name is not null)
                {
                    RollBackObject(Namespace, Name);
                    break;
                }
                var (name, existing) = ResolveTarget(null, Namespace, WellKnown.NodeSelectors.NoLabel);
                if (existing is null)
                {
                    ThrowTerminatingError(ErrorRecords.Create(RolloutErrorIds.UpgradeNotFound, ErrorCategory.ObjectNotFound, name,
                        $"The namespace {Namespace} has no OS object for nodes without a node-selector group, so there is nothing to roll back.",
                        "Give the OS object with -Name (Get-KubeOSUpgrade lists them), or pipe the nodes: Get-KubeOSNode -Name 'w*' | Invoke-KubeOSRollback."));
                }
                RollBackObject(Namespace, name);
                break;
        }
    }

    private void RollBackObject(string @namespace, string name)
    {
        var existing = CallCluster((c, ct) => c.OS.GetAsync(@namespace, name, ct), $"{@namespace}/{name}");
        if (existing is null)
        {
            WriteNotFound(@namespace, name);
            return;
        }
        var selector = RolloutReader.SelectorOf(existing);
        var state = CallCluster((c, ct) => RolloutReader.ReadClusterAsync(c, ct));
        var nodes = state.Nodes.Where(n => RolloutReader.Selects(selector, n)).ToList();
        var os = Build(existing, @namespace, name, selector, nodes, state);
        if (os is null || !ShouldProcess($"{@namespace}/{name} ({nodes.Count} node(s) selected by {selector})", $"Roll back to {os.Spec!.OSVersion}"))
        {
            return;
        }
        Finish(Write(os, existing));
    }

    private void RollBackNodes()
    {
        var state = CallCluster((c, ct) => RolloutReader.ReadClusterAsync(c, ct));
        var chosen = new List<V1Node>();
        foreach (var requested in _nodeNames.Distinct(StringComparer.Ordinal))
        {
            var pattern = WildcardPattern.Get(requested, WildcardOptions.IgnoreCase);
            var matches = state.Nodes.Where(n => pattern.IsMatch(n.Metadata.Name)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(requested))
            {
                WriteError(ErrorRecords.Create(ClusterErrorIds.NodeNotFound, ErrorCategory.ObjectNotFound, requested,
                    $"The cluster {Cluster.Server} has no node named '{requested}'.", "Run Get-KubeOSNode to list the nodes."));
            }
            foreach (var node in matches.Where(n => chosen.All(c => c.Metadata.Name != n.Metadata.Name)))
            {
                if (RolloutReader.IsControlPlane(node))
                {
                    WriteError(ErrorRecords.Create(RolloutErrorIds.NodeNotSelectable, ErrorCategory.InvalidArgument, node.Metadata.Name,
                        $"Node {node.Metadata.Name} is a control-plane node; KubeOS never upgrades or rolls back control-plane nodes.",
                        "Leave control-plane nodes out, e.g. Get-KubeOSNode | Where-Object Roles -notcontains 'control-plane'."));
                    continue;
                }
                chosen.Add(node);
            }
        }
        if (chosen.Count == 0)
        {
            return;
        }
        chosen = chosen.OrderBy(n => n.Metadata.Name, StringComparer.Ordinal).ToList();
        var (name, existing) = ResolveTarget(Name, Namespace, Group);
        var os = Build(existing, Namespace, name, Group, chosen, state);
        var names = string.Join(", ", chosen.Select(n => n.Metadata.Name));
        if (os is null || !ShouldProcess($"{names} (group {Group}, OS {Namespace}/{name})", $"Roll back to {os.Spec!.OSVersion}"))
        {
            return;
        }
        Label(chosen, state.Nodes);
        Finish(Write(os, existing));
    }

    /// <summary>Exactly the chosen nodes carry the group label: they get it, other nodes of the group lose it.</summary>
    private void Label(List<V1Node> chosen, IReadOnlyList<V1Node> all)
    {
        var names = chosen.Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var node in chosen.Where(n => RolloutReader.GroupOf(n) is { } g && g != Group))
        {
            WriteWarning($"Node {node.Metadata.Name} leaves node-selector group '{RolloutReader.GroupOf(node)}' for '{Group}': OS objects selecting '{RolloutReader.GroupOf(node)}' no longer manage it.");
        }
        var changes = chosen.Where(n => RolloutReader.GroupOf(n) != Group).Select(n => (n.Metadata.Name, (string?)Group))
            .Concat(all.Where(n => RolloutReader.GroupOf(n) == Group && !names.Contains(n.Metadata.Name)).Select(n => (n.Metadata.Name, (string?)null)))
            .ToList();
        foreach (var (node, group) in changes)
        {
            var patch = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [WellKnown.Labels.NodeSelector] = group } } };
            CallCluster((c, ct) => c.Client.CoreV1.PatchNodeAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), node, cancellationToken: ct), node);
            WriteVerbose(group is null ? $"Removed {WellKnown.Labels.NodeSelector} from node {node}." : $"Labelled node {node} {WellKnown.Labels.NodeSelector}={group}.");
        }
    }

    private OS? Build(OS? existing, string @namespace, string name, string selector, IReadOnlyList<V1Node> nodes, RolloutReader.Cluster state)
    {
        var version = Version;
        if (version is null)
        {
            version = RollbackTarget.PreviousVersion(nodes, state.Instances, out var detail);
            if (version is null)
            {
                ThrowTerminatingError(ErrorRecords.Create(RolloutErrorIds.TargetVersionUnknown, ErrorCategory.InvalidOperation, name,
                    $"Cannot tell which version the other partition of the nodes holds (previous versions: {(detail.Length == 0 ? "no nodes selected" : detail)}).",
                    "Give the version to return to with -Version, e.g. -Version 'KubeOS v1'; it must be the version the nodes ran before their last upgrade."));
            }
        }
        var bound = MyInvocation.BoundParameters;
        var os = new OS { Metadata = new ObjectMeta { Name = name, Namespace = @namespace } };
        var spec = os.Spec = CopyOf(existing?.Spec);
        spec.OpsType = WellKnown.OpsTypes.Rollback;
        spec.OSVersion = version;
        // A rollback boots what is already on the node: no image to fetch.
        spec.ImageType = WellKnown.ImageTypes.None;
        spec.ImageUrl = spec.ContainerImage = spec.Checksum = "";
        spec.FlagSafe = spec.Mtls = false;
        spec.CaCert = spec.ClientCert = spec.ClientKey = null;
        spec.NodeSelector = selector == WellKnown.Defaults.NodeSelector && existing?.Spec?.NodeSelector is null ? null : selector;
        if (bound.ContainsKey(nameof(EvictPodForce)) || spec.EvictPodForce is null) spec.EvictPodForce = EvictPodForce.IsPresent;
        if (bound.ContainsKey(nameof(MaxUnavailable)) || spec.MaxUnavailable is null) spec.MaxUnavailable = RolloutShapeParameters.MaxUnavailable(this, MaxUnavailable, nameof(MaxUnavailable));
        if (ExecutionMode is not null) spec.ExecutionMode = ExecutionMode;
        if (bound.ContainsKey(nameof(TimeInterval))) spec.TimeInterval = TimeInterval;
        spec.Paused = null;
        Validate(os, path => StartKubeOSUpgradeCommand.ParameterFor(Parameters, path));
        return os;
    }

    private void Finish(KubeOSUpgrade rollout)
    {
        WriteVerbose($"OS {rollout.Namespace}/{rollout.Name}: rollback of {rollout.Selected} selected node(s) to {rollout.Version}.");
        Follow(rollout);
    }
}
