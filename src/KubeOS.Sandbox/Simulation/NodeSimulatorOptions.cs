namespace KubeOS.Sandbox.Simulation;

/// <summary>What the node simulator creates and how fast its kubelets and controllers react.</summary>
public sealed class NodeSimulatorOptions
{
    public int Nodes { get; set; } = 3;
    public string NamePrefix { get; set; } = "node-";

    /// <summary>How many of the nodes are control-plane nodes (labelled node-role.kubernetes.io/control-plane).</summary>
    public int ControlPlaneNodes { get; set; } = 1;

    /// <summary>Worker nodes are spread over this many upgrade.openeuler.org/node-selector groups (0: no label).</summary>
    public int NodeSelectorGroups { get; set; }

    /// <summary>The OS version the nodes report: osImage is "KubeOS {OsVersion}", as kbimg writes PRETTY_NAME.</summary>
    public string OsVersion { get; set; } = "v1";
    public string KernelVersion { get; set; } = "5.10.0-182.0.0.95.oe2203sp3.x86_64";
    public string KubeletVersion { get; set; } = "v1.32.0";
    public string ContainerRuntimeVersion { get; set; } = "containerd://1.7.22";

    /// <summary>Seeded workloads: ReplicaSets of <see cref="ReplicasPerWorkload"/> pods, each with a PDB of maxUnavailable 1.</summary>
    public int Workloads { get; set; }
    public int ReplicasPerWorkload { get; set; } = 3;
    public string WorkloadNamespace { get; set; } = "default";

    /// <summary>Also seed a DaemonSet (one pod per node in kube-system), as clusters usually have.</summary>
    public bool SeedDaemonSet { get; set; } = true;

    /// <summary>Run the scheduler and the Deployment/ReplicaSet/DaemonSet controllers (a real cluster has its own: turn off there).</summary>
    public bool RunControllers { get; set; } = true;

    /// <summary>How long the ReplicaSet controller waits before replacing a missing pod.</summary>
    public TimeSpan RecreateDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the kubelets and controllers look at the cluster.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Node lease renewal period (kubelet: 10s) — the heartbeat.</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the Ready condition's lastHeartbeatTime is refreshed (kubelet: 5 minutes without changes).</summary>
    public TimeSpan NodeStatusInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Told about each failed reconcile round (the loop retries on the next round).</summary>
    public Action<Exception>? OnError { get; set; }

    /// <summary>Starts the simulated os-agent of a node; null runs nodes without one.</summary>
    public INodeAgentSimulationFactory? Agents { get; set; }

    /// <summary>Images the kubelets run for real (the KubeOS operator and proxy); null only simulates every container.</summary>
    public Programs.IContainerProgramCatalog? Programs { get; set; }

    public void Validate()
    {
        if (Nodes < 0) throw new ArgumentOutOfRangeException(nameof(Nodes), Nodes, "Nodes must be 0 or more.");
        if (ControlPlaneNodes < 0 || ControlPlaneNodes > Math.Max(Nodes, 0))
            throw new ArgumentOutOfRangeException(nameof(ControlPlaneNodes), ControlPlaneNodes, "ControlPlaneNodes must be between 0 and Nodes.");
        if (Workloads < 0) throw new ArgumentOutOfRangeException(nameof(Workloads), Workloads, "Workloads must be 0 or more.");
        if (ReplicasPerWorkload < 1) throw new ArgumentOutOfRangeException(nameof(ReplicasPerWorkload), ReplicasPerWorkload, "ReplicasPerWorkload must be 1 or more.");
        if (NodeSelectorGroups < 0) throw new ArgumentOutOfRangeException(nameof(NodeSelectorGroups), NodeSelectorGroups, "NodeSelectorGroups must be 0 or more.");
    }
}
