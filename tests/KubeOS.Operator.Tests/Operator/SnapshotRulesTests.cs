using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Operator.Cluster;
using KubeOS.Operator.Reconcile;
using KubeOS.Operator.Rollout;
using Xunit;

namespace KubeOS.Operator.Tests.Operator;

/// <summary>The shell's own decisions on an observed snapshot: orphaned OSInstances and interrupted assignments.</summary>
public sealed class SnapshotRulesTests
{
    private static NodeView Node(string name, string osImage = "KubeOS v1", params string[] labels) =>
        new(name, labels.ToDictionary(l => l, _ => ""), osImage);

    private static OSInstance Instance(string name, string status = "idle", string? owner = null, string? nodeLabel = null) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = name, Namespace = "default", Uid = "uid-" + name,
            Labels = nodeLabel is null ? null : new Dictionary<string, string> { [WellKnown.Labels.OSInstanceNode] = nodeLabel },
        },
        Spec = new OSInstanceSpec
        {
            NodeStatus = status,
            NamespacedName = owner is null ? null : new NamespacedName { Name = owner, Namespace = "default" },
        },
    };

    private static ClusterSnapshot Snapshot(IEnumerable<NodeView> nodes, params OSInstance[] instances) =>
        new([], nodes.ToList(), instances.ToDictionary(i => i.Metadata!.Name!));

    private static OS Upgrade() => new()
    {
        Metadata = new ObjectMeta { Name = "up", Namespace = "default" },
        Spec = new OSSpec { OpsType = WellKnown.OpsTypes.Upgrade, OSVersion = "KubeOS v2", MaxUnavailable = 2 },
    };

    [Fact]
    public void Instances_whose_node_is_gone_are_orphans_by_label_or_else_by_name()
    {
        var snapshot = Snapshot([Node("a"), Node("b")],
            Instance("a", nodeLabel: "a"), Instance("b"), Instance("c", nodeLabel: "c"), Instance("d"), Instance("x", nodeLabel: "b"));

        Assert.Equal(["c", "d"], OrphanInstances.Of(snapshot).Select(i => i.Metadata!.Name));
    }

    [Fact]
    public void An_owned_non_idle_unlabelled_node_that_still_needs_the_upgrade_was_interrupted()
    {
        var snapshot = Snapshot([Node("a"), Node("b", "KubeOS v1", WellKnown.Labels.Upgrading), Node("c", "KubeOS v2"), Node("d"), Node("e")],
            Instance("a", "upgrade", "up"),        // interrupted: spec written, label missing
            Instance("b", "upgrade", "up"),        // labelled: a normal assignment
            Instance("c", "upgrade", "up"),        // already on the target: the proxy is releasing it
            Instance("d", "upgrade", "other"),     // owned by another OS
            Instance("e", "idle"));

        Assert.Equal(["a"], InterruptedAssignments.Of(Upgrade(), snapshot));
    }

    [Fact]
    public void A_node_that_failed_this_target_is_not_relabelled()
    {
        var failed = Instance("a", "upgrade", "up");
        failed.Status = new OSInstanceStatus
        {
            Phase = NodePhases.Failed,
            Operation = new NodeOperation
            {
                OpsType = WellKnown.OpsTypes.Upgrade, TargetVersion = "KubeOS v2", OS = new OperationOwner { Name = "up", Namespace = "default" },
            },
        };

        Assert.Empty(InterruptedAssignments.Of(Upgrade(), Snapshot([Node("a")], failed)));
    }

    [Fact]
    public void Bad_operator_settings_name_the_setting_and_the_fix()
    {
        var problems = new KubeOS.Operator.Hosting.OperatorOptions
        {
            ResyncInterval = TimeSpan.Zero, TimeZone = "Mars/Olympus", LeaseDuration = TimeSpan.FromSeconds(5), RenewDeadline = TimeSpan.FromSeconds(6),
        }.Problems();

        Assert.Contains(problems, p => p.StartsWith("Operator:ResyncInterval", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Operator:TimeZone", StringComparison.Ordinal) && p.Contains("Asia/Shanghai"));
        Assert.Contains(problems, p => p.StartsWith("Operator:RenewDeadline", StringComparison.Ordinal));
        Assert.Empty(new KubeOS.Operator.Hosting.OperatorOptions().Problems());
    }
}
