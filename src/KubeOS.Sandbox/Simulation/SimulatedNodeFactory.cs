using k8s.Models;

namespace KubeOS.Sandbox.Simulation;

/// <summary>The Node objects a kubelet would register: labels, addresses, capacity, nodeInfo and a Ready condition.</summary>
public static class SimulatedNodeFactory
{
    public const string HostnameLabel = "kubernetes.io/hostname";
    public const string ControlPlaneRoleLabel = "node-role.kubernetes.io/control-plane";
    public const string WorkerRoleLabel = "node-role.kubernetes.io/worker";
    public const string NodeSelectorLabel = "upgrade.openeuler.org/node-selector";

    public static string Name(NodeSimulatorOptions options, int index) => $"{options.NamePrefix}{index}";

    public static string InternalIp(int index) => $"10.0.{index / 250}.{index % 250 + 1}";

    public static V1Node Create(NodeSimulatorOptions options, int index, DateTime now)
    {
        var name = Name(options, index);
        var labels = new Dictionary<string, string>
        {
            ["kubernetes.io/arch"] = "amd64",
            ["kubernetes.io/os"] = "linux",
            [HostnameLabel] = name,
            ["beta.kubernetes.io/arch"] = "amd64",
            ["beta.kubernetes.io/os"] = "linux",
        };
        var controlPlane = index < options.ControlPlaneNodes;
        if (controlPlane) labels[ControlPlaneRoleLabel] = "";
        else
        {
            labels[WorkerRoleLabel] = "";
            if (options.NodeSelectorGroups > 0)
                labels[NodeSelectorLabel] = $"group-{(index - options.ControlPlaneNodes) % options.NodeSelectorGroups}";
        }

        var resources = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new("4"), ["memory"] = new("8130000Ki"), ["pods"] = new("110"), ["ephemeral-storage"] = new("41152736Ki"),
        };
        return new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels },
            Spec = new V1NodeSpec
            {
                PodCIDR = $"10.244.{index}.0/24",
                Taints = controlPlane ? [new V1Taint { Key = ControlPlaneRoleLabel, Effect = "NoSchedule" }] : null,
            },
            Status = new V1NodeStatus
            {
                Addresses = [new V1NodeAddress { Type = "InternalIP", Address = InternalIp(index) }, new V1NodeAddress { Type = "Hostname", Address = name }],
                Capacity = resources,
                Allocatable = resources,
                Conditions = Conditions(now),
                NodeInfo = new V1NodeSystemInfo
                {
                    Architecture = "amd64", OperatingSystem = "linux",
                    OsImage = $"KubeOS {options.OsVersion}", KernelVersion = options.KernelVersion,
                    KubeletVersion = options.KubeletVersion, KubeProxyVersion = options.KubeletVersion,
                    ContainerRuntimeVersion = options.ContainerRuntimeVersion,
                    BootID = Guid.NewGuid().ToString(), MachineID = Guid.NewGuid().ToString("N"), SystemUUID = Guid.NewGuid().ToString(),
                },
            },
        };
    }

    public static List<V1NodeCondition> Conditions(DateTime now) =>
    [
        Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", now),
        Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now),
        Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now),
        Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", now),
    ];

    private static V1NodeCondition Condition(string type, string status, string reason, string message, DateTime now) => new()
    {
        Type = type, Status = status, Reason = reason, Message = message, LastHeartbeatTime = now, LastTransitionTime = now,
    };
}
