using KubeOS.Api;
using KubeOS.Api.Agent;
using SysConfig = KubeOS.Api.Models.SysConfig;
using KubeOS.Api.Models;
using KubeOS.Proxy.Steps;
using Xunit;

namespace KubeOS.Operator.Tests.Proxy;

/// <summary>
/// One node as the step planner sees it, plus an in-memory stand-in for the executor (<see cref="Run"/>) so tests can
/// walk a whole operation step by step and check the order KubeOS follows.
/// </summary>
internal sealed class NodeScenario
{
    public const string NodeName = "worker-1";
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public NodeView Node { get; set; } = new(NodeName, "KubeOS v1", "boot-1", false, true, new Dictionary<string, string>());
    public OSInstance? Instance { get; set; }
    public OS? Owner { get; set; }
    public StatusResult? Agent { get; set; }
    public DateTimeOffset Now { get; set; } = Start;
    public ProxyTimings? Timings { get; set; }

    /// <summary>What the stand-in executor did, in order.</summary>
    public List<StepKind> Done { get; } = [];
    public List<ConfigKind> Configured { get; } = [];

    /// <summary>An upgrade from KubeOS v1 to v2 assigned by the operator (spec written, node labelled).</summary>
    public static NodeScenario Upgrade(string? sysconfigs = "s1", string? upgradeconfigs = "u1")
    {
        var s = new NodeScenario { Owner = Os(WellKnown.OpsTypes.Upgrade, "KubeOS v2", sysconfigs, upgradeconfigs) };
        s.Assign(WellKnown.NodeStatuses.Upgrade, WellKnown.Labels.Upgrading);
        s.Agent = AgentOn("KubeOS v1", inactive: "");
        return s;
    }

    /// <summary>A rollback to KubeOS v0, which the other partition holds.</summary>
    public static NodeScenario Rollback()
    {
        var s = new NodeScenario { Owner = Os(WellKnown.OpsTypes.Rollback, "KubeOS v0", null, null) };
        s.Instance = new OSInstance { Status = new OSInstanceStatus() }; // no configs ever applied, none wanted
        s.Assign(WellKnown.NodeStatuses.Upgrade, WellKnown.Labels.Upgrading);
        s.Agent = AgentOn("KubeOS v1", inactive: "KubeOS v0");
        return s;
    }

    /// <summary>A config operation (sysconfigs s2) on a node already on KubeOS v1.</summary>
    public static NodeScenario Config(string osversion = "KubeOS v1")
    {
        var s = new NodeScenario { Owner = Os(WellKnown.OpsTypes.Config, osversion, "s2", null) };
        s.Assign(WellKnown.NodeStatuses.Config, WellKnown.Labels.Configuring);
        s.Agent = AgentOn("KubeOS v1", inactive: "");
        return s;
    }

    public static OS Os(string opsType, string version, string? sysconfigs, string? upgradeconfigs) => new()
    {
        Metadata = new ObjectMeta { Name = "os-" + opsType, Namespace = "default", Generation = 4 },
        Spec = new OSSpec
        {
            OpsType = opsType, OSVersion = version, ImageType = "disk", ImageUrl = "https://repo/v2.tar", Checksum = "ABCDEF",
            MaxUnavailable = 2, EvictPodForce = true,
            SysConfigs = sysconfigs is null ? null : new SysConfigs { Version = sysconfigs, Configs = [Grub(WellKnown.Models.GrubCmdlineNext)] },
            UpgradeConfigs = upgradeconfigs is null ? null : new SysConfigs { Version = upgradeconfigs },
        },
    };

    public static SysConfig Grub(string model) => new() { Model = model, Contents = [Content.Of("quiet", (string?)null)] };

    public static StatusResult AgentOn(string active, string inactive) => new()
    {
        Active = new PartitionStatus { Name = "A", Version = active, Bootable = true },
        Inactive = new PartitionStatus { Name = "B", Version = inactive, Bootable = inactive.Length > 0 },
        SavedEntry = "A",
    };

    /// <summary>What the operator writes when it assigns the node (AssignmentBuilder), then the node label.</summary>
    public void Assign(string nodeStatus, string label)
    {
        var os = Owner!.Spec!;
        var previous = Instance?.Status;
        Instance = new OSInstance
        {
            Metadata = new ObjectMeta { Name = NodeName, Namespace = "default", Generation = 2 },
            Spec = new OSInstanceSpec
            {
                NodeStatus = nodeStatus,
                NamespacedName = new NamespacedName { Name = Owner.Metadata!.Name, Namespace = "default" },
                SysConfigs = os.SysConfigs is null ? null : new SysConfigs { Version = os.SysConfigs.Version, Configs = os.SysConfigs.Configs },
                UpgradeConfigs = os.OpsType == WellKnown.OpsTypes.Config ? null : os.UpgradeConfigs,
            },
            Status = previous ?? new OSInstanceStatus { SysConfigs = new SysConfigs { Version = "s1" }, UpgradeConfigs = new SysConfigs { Version = "u0" } },
        };
        Label(label);
    }

    public NodeScenario Label(string key)
    {
        Node = Node with { Labels = new Dictionary<string, string>(Node.Labels) { [key] = "" } };
        return this;
    }

    public NodeScenario Unlabel(string key)
    {
        var labels = new Dictionary<string, string>(Node.Labels);
        labels.Remove(key);
        Node = Node with { Labels = labels };
        return this;
    }

    public OSInstanceStatus Status => Instance!.Status ??= new OSInstanceStatus();

    public NodeStep Next() => NodeStepPlanner.Next(new NodeSituation(NodeName, Node, Instance, Owner, Agent, Now, Timings));

    /// <summary>Records the step's status as the executor would, and performs its effect on the in-memory cluster.</summary>
    public NodeStep Run(NodeStep step)
    {
        Done.Add(step.Kind);
        Record(step);
        switch (step.Kind)
        {
            case StepKind.ApplyConfigs when step.Configs == ConfigKind.SysConfigs:
                Configured.Add(ConfigKind.SysConfigs);
                Status.SysConfigs = Instance!.Spec!.SysConfigs;
                break;
            case StepKind.ApplyConfigs:
                Configured.Add(ConfigKind.UpgradeConfigs);
                Status.UpgradeConfigs = Instance!.Spec!.UpgradeConfigs;
                break;
            case StepKind.Prepare:
                Agent!.Staged = new StagedImage { Version = Owner!.Spec!.OSVersion!, CheckSum = "abcdef", Partition = "B" };
                Status.Phase = step.SuccessPhase;
                break;
            case StepKind.Cordon:
                Node = Node with { Unschedulable = true };
                break;
            case StepKind.Drain:
                Instance!.Status = NodeStatusWriter.MarkDrained(Status, "drained", 2, Now);
                break;
            case StepKind.RequestUpgrade:
            case StepKind.RequestRollback:
                Reboot(Owner!.Spec!.OSVersion!);
                break;
            case StepKind.ConfirmBoot:
                Agent!.BootPendingConfirmation = false;
                Agent.SavedEntry = Agent.Active.Name;
                break;
            case StepKind.UpdateSysConfigsSpec:
                Instance!.Spec!.SysConfigs = step.SysConfigsSpec;
                break;
            case StepKind.Complete:
            case StepKind.Fail:
            case StepKind.Reassign:
                foreach (var label in step.Release!.RemoveLabels) Unlabel(label);
                if (step.Release.Uncordon) Node = Node with { Unschedulable = false };
                Instance!.Spec!.NodeStatus = WellKnown.NodeStatuses.Idle;
                Instance.Spec.NamespacedName = null;
                break;
        }
        Now += TimeSpan.FromSeconds(10);
        return step;
    }

    public void Record(NodeStep step) => Instance!.Status = NodeStatusWriter.Apply(Instance?.Status, step, 2, Now);

    /// <summary>The node restarts (new bootID) on a version; the agent reports the trial boot.</summary>
    public void Reboot(string version)
    {
        Node = Node with { OsImage = version, BootId = Node.BootId + "'" };
        Agent = new StatusResult
        {
            Active = new PartitionStatus { Name = "B", Version = version, Bootable = true },
            Inactive = new PartitionStatus { Name = "A", Version = "KubeOS v1", Bootable = true },
            SavedEntry = "A",
            BootPendingConfirmation = true,
        };
    }

    /// <summary>Plans and runs steps until one of <paramref name="stop"/> (run too) or 30 steps; returns the kinds done.</summary>
    public List<StepKind> RunUntil(params StepKind[] stop)
    {
        for (var i = 0; i < 30; i++)
        {
            var step = Run(Next());
            if (stop.Contains(step.Kind)) return Done;
        }
        throw new InvalidOperationException("no terminal step after 30 steps: " + string.Join(", ", Done));
    }
}
