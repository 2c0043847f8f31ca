namespace KubeOS.Api;

/// <summary>Names KubeOS fixes on the wire: API group, kinds, labels, paths and enumerated values.</summary>
public static class WellKnown
{
    public const string Group = "upgrade.openeuler.org";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;

    public const string OSKind = "OS";
    public const string OSListKind = "OSList";
    public const string OSPlural = "os";
    public const string OSSingular = "os";
    public const string OSCrdName = OSPlural + "." + Group;

    public const string OSInstanceKind = "OSInstance";
    public const string OSInstanceListKind = "OSInstanceList";
    public const string OSInstancePlural = "osinstances";
    public const string OSInstanceSingular = "osinstance";
    public const string OSInstanceCrdName = OSInstancePlural + "." + Group;

    /// <summary>KubeOS keeps every OSInstance in this namespace (hard-coded in proxy and operator).</summary>
    public const string OSInstanceNamespace = "default";

    public static class Labels
    {
        public const string Upgrading = Group + "/upgrading";
        public const string Configuring = Group + "/configuring";
        public const string Serial = Group + "/serial";
        public const string NodeSelector = Group + "/node-selector";
        public const string OSInstanceNode = Group + "/osinstance-node";
        public const string ControlPlane = "node-role.kubernetes.io/control-plane";
    }

    /// <summary>Reserved values of <c>spec.nodeselector</c>.</summary>
    public static class NodeSelectors
    {
        /// <summary>Nodes without the node-selector label (the default).</summary>
        public const string NoLabel = "no-label";
        /// <summary>All nodes, labelled or not.</summary>
        public const string AllLabel = "all-label";
    }

    public static class Paths
    {
        public const string AgentSocket = "/run/os-agent/os-agent.sock";
        public const string AgentSocketDirectory = "/run/os-agent";
        public const string CertsDirectory = "/etc/KubeOS/certs";
        public const string PersistDirectory = "/persist";
        public const string UpdateWorkDirectory = "/persist/KubeOS-Update";
        public const string StandbyImage = "/persist/update.img";
        public const string GrubConfig = "/boot/efi/EFI/openEuler/grub.cfg";
        public const string GrubEnv = "/boot/efi/EFI/openEuler/grubenv";
    }

    public static class OpsTypes
    {
        public const string Upgrade = "upgrade";
        public const string Config = "config";
        public const string Rollback = "rollback";
        public static readonly IReadOnlyList<string> All = [Upgrade, Config, Rollback];
    }

    public static class ImageTypes
    {
        public const string Docker = "docker";
        public const string Disk = "disk";
        public const string Containerd = "containerd";
        /// <summary>Accepted for config and rollback, as KubeOS's own documentation writes them.</summary>
        public const string None = "";
        public static readonly IReadOnlyList<string> All = [Docker, Disk, Containerd];
    }

    public static class ExecutionModes
    {
        public const string Serial = "serial";
        public const string Parallel = "parallel";
        public static readonly IReadOnlyList<string> All = [Serial, Parallel];
    }

    public static class NodeStatuses
    {
        public const string Idle = "idle";
        /// <summary>Used for both upgrade and rollback.</summary>
        public const string Upgrade = "upgrade";
        public const string Config = "config";
        /// <summary>Defined by KubeOS but never written by it.</summary>
        public const string Rollback = "rollback";
        public static readonly IReadOnlyList<string> All = [Idle, Upgrade, Config, Rollback];
    }

    public static class Operations
    {
        /// <summary>Add or update (the empty string, or the field left out).</summary>
        public const string AddOrUpdate = "";
        public const string Delete = "delete";
    }

    public static class Models
    {
        public const string KernelSysctl = "kernel.sysctl";
        public const string KernelSysctlPersist = "kernel.sysctl.persist";
        public const string GrubCmdlineCurrent = "grub.cmdline.current";
        public const string GrubCmdlineNext = "grub.cmdline.next";
        public const string KubernetesKubelet = "kubernetes.kubelet";
        public const string ContainerContainerd = "container.containerd";
        public const string PamLimits = "pam.limits";

        public static readonly IReadOnlyList<string> All =
            [KernelSysctl, KernelSysctlPersist, GrubCmdlineCurrent, GrubCmdlineNext, PamLimits, KubernetesKubelet, ContainerContainerd];

        /// <summary>The file a model writes when <c>configpath</c> is empty; null where the model has no file.</summary>
        public static string? DefaultConfigPath(string model) => model switch
        {
            KernelSysctlPersist => "/etc/sysctl.conf",
            KubernetesKubelet => "/var/lib/kubelet/config.yaml",
            ContainerContainerd => "/etc/containerd/config.toml",
            PamLimits => "/etc/security/limits.conf",
            GrubCmdlineCurrent or GrubCmdlineNext => Paths.GrubConfig,
            _ => null,
        };
    }

    public static class Defaults
    {
        public const string NodeSelector = NodeSelectors.NoLabel;
        public const int TimeIntervalSeconds = 15;
        public const string ExecutionMode = ExecutionModes.Parallel;
    }
}
