namespace KubeOS.Agent.Node;

/// <summary>
/// Everything the agent reads from or does to the host it runs on. Defaults describe a KubeOS node; tests point them at
/// a loop-device disk and temporary files so the same code runs without touching the machine's own boot setup.
/// </summary>
public sealed class NodeSystem
{
    /// <summary>Kernel command line; its root= names the running root partition.</summary>
    public string CmdlinePath { get; init; } = "/proc/cmdline";

    /// <summary>Used to find the root device when the command line has no root=.</summary>
    public string MountInfoPath { get; init; } = "/proc/self/mountinfo";

    /// <summary>GRUB environment block on the ESP.</summary>
    public string GrubEnvPath { get; init; } = "/boot/efi/EFI/openEuler/grubenv";

    /// <summary>grub.cfg edited by the grub.cmdline.* settings models.</summary>
    public string GrubCfgPath { get; init; } = "/boot/efi/EFI/openEuler/grub.cfg";

    /// <summary>Directory the running root's files are visible under; null means "mount the active device to read it".</summary>
    public string? RunningRootDir { get; init; } = "/";

    /// <summary>Root of the runtime sysctl tree.</summary>
    public string ProcSysRoot { get; init; } = "/proc/sys";

    public string LimitsConfPath { get; init; } = "/etc/security/limits.conf";

    /// <summary>Where cert file names in an UpgradeRequest are looked up.</summary>
    public string CertsDir { get; init; } = "/etc/KubeOS/certs";

    /// <summary>Volatile agent state and temporary mount points; never on /persist.</summary>
    public string StateDir { get; init; } = "/run/os-agent";

    /// <summary>Orderly reboot; the agent answers the call first, then runs this.</summary>
    public IReadOnlyList<string> RebootCommand { get; init; } = ["systemctl", "reboot"];

    /// <summary>Directory of the block-device sysfs tree (partition numbers, parents, sizes).</summary>
    public string SysClassBlock { get; init; } = "/sys/class/block";
}
