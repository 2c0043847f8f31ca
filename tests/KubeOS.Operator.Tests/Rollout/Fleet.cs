using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Operator.Rollout;

namespace KubeOS.Operator.Tests.Rollout;

/// <summary>Builds cluster views for decision tests: nodes on a version, their OSInstances, and OS objects.</summary>
internal sealed class Fleet
{
    public List<NodeView> Nodes { get; } = [];
    public Dictionary<string, OSInstance> Instances { get; } = [];
    public HashSet<string> Failed { get; } = [];
    public List<OS> Others { get; } = [];
    public DateTimeOffset Now { get; set; } = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static Fleet Of(int count, string version = "KubeOS v1", string prefix = "node")
    {
        var fleet = new Fleet();
        for (var i = 1; i <= count; i++) fleet.Add($"{prefix}-{i:00}", version);
        return fleet;
    }

    public Fleet Add(string name, string version, IDictionary<string, string>? labels = null, bool unschedulable = false,
        bool ready = true, bool withInstance = true, string nodeStatus = "idle")
    {
        Nodes.Add(new NodeView(name, new Dictionary<string, string>(labels ?? new Dictionary<string, string>()), version, unschedulable, ready));
        if (withInstance)
            Instances[name] = new OSInstance
            {
                Metadata = new ObjectMeta { Name = name, Namespace = "default" },
                Spec = new OSInstanceSpec { NodeStatus = nodeStatus },
            };
        return this;
    }

    public Fleet Label(string node, string key, string value = "")
    {
        var n = Nodes.Single(x => x.Name == node);
        var labels = new Dictionary<string, string>(n.Labels) { [key] = value };
        Nodes[Nodes.IndexOf(n)] = n with { Labels = labels };
        return this;
    }

    public Fleet Set(string node, Func<NodeView, NodeView> change)
    {
        var n = Nodes.Single(x => x.Name == node);
        Nodes[Nodes.IndexOf(n)] = change(n);
        return this;
    }

    public ClusterView View(OS target) =>
        new(target, [target, .. Others], Nodes, Instances, Now, TimeZoneInfo.Utc, Failed);

    public RolloutDecision Decide(OS target) => RolloutPlanner.Decide(View(target));

    public static OS Upgrade(string version = "KubeOS v2", int maxUnavailable = 2, string? mode = null, string name = "os-upgrade")
        => new()
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default" },
            Spec = new OSSpec
            {
                OpsType = WellKnown.OpsTypes.Upgrade, OSVersion = version, ImageType = "disk",
                ImageUrl = "https://images.example/v2.tar", Checksum = new string('a', 64),
                FlagSafe = false, Mtls = false, ContainerImage = "", EvictPodForce = true,
                MaxUnavailable = maxUnavailable, ExecutionMode = mode,
            },
        };

    public static OS Config(string version, string sysconfigVersion, int maxUnavailable = 2, params SysConfig[] configs)
        => new()
        {
            Metadata = new ObjectMeta { Name = "os-config", Namespace = "default" },
            Spec = new OSSpec
            {
                OpsType = WellKnown.OpsTypes.Config, OSVersion = version, ImageType = "", ImageUrl = "", Checksum = "",
                FlagSafe = false, Mtls = false, ContainerImage = "", EvictPodForce = false,
                MaxUnavailable = maxUnavailable,
                SysConfigs = new SysConfigs { Version = sysconfigVersion, Configs = [.. configs] },
            },
        };

    public static SysConfig Model(string model, params (string Key, string Value)[] contents) => new()
    {
        Model = model,
        Contents = contents.Select(c => Content.Of(c.Key, c.Value)).ToList(),
    };
}
