using KubeOS.Api.Agent;

namespace KubeOS.Sandbox.Simulation.Agent;

/// <summary>
/// The disk and boot side of one simulated node: the two root partitions with the OS version each holds, GRUB's
/// saved_entry and one-shot next_entry, the running root, the staged image and the last result. Not thread-safe:
/// the agent serialises access.
/// </summary>
public sealed class SimulatedDisk
{
    public const string A = "A";
    public const string B = "B";

    private readonly Dictionary<string, string> _versions = new(StringComparer.Ordinal);

    /// <param name="runningVersion">What the node runs at start (its osImage): partition A's content.</param>
    public SimulatedDisk(string runningVersion)
    {
        _versions[A] = runningVersion;
        _versions[B] = "";
    }

    public string Active { get; private set; } = A;
    public string Standby => Other(Active);
    public string SavedEntry { get; private set; } = A;
    public string NextEntry { get; private set; } = "";
    public StagedImage? Staged { get; private set; }
    public OperationResult? LastResult { get; set; }

    public static string Other(string partition) => partition == A ? B : A;

    /// <summary>Partition 2 holds root A and partition 3 root B, as on a KubeOS disk.</summary>
    public static string Device(string partition) => partition == A ? "/dev/vda2" : "/dev/vda3";

    public string VersionOf(string partition) => _versions[partition];

    public bool IsBootable(string partition) => _versions[partition].Length > 0;

    /// <summary>The standby partition now holds <paramref name="version"/>; any earlier staged image is gone.</summary>
    public void WriteStandby(string version, StagedImage staged)
    {
        _versions[Standby] = version;
        Staged = staged;
    }

    /// <summary>Arms one trial boot of the standby; saved_entry stays on the running root until confirm_boot.</summary>
    public void ArmTrialBoot()
    {
        NextEntry = Standby;
        Staged = null;
    }

    /// <summary>Moves saved_entry to the running root; returns whether it changed.</summary>
    public bool ConfirmBoot()
    {
        if (SavedEntry == Active) return false;
        SavedEntry = Active;
        return true;
    }

    /// <summary>
    /// The reboot as GRUB plays it: next_entry is consumed and booted once; a trial boot that fails falls back to
    /// saved_entry. Returns the partition that was tried.
    /// </summary>
    public string Boot(bool trialFails)
    {
        var tried = NextEntry.Length > 0 ? NextEntry : SavedEntry;
        NextEntry = "";
        Active = (trialFails && tried != SavedEntry) || !IsBootable(tried) ? SavedEntry : tried;
        return tried;
    }

    public StatusResult Status(string agentVersion) => new()
    {
        AgentVersion = agentVersion,
        Active = Partition(Active),
        Inactive = Partition(Standby),
        SavedEntry = SavedEntry,
        NextEntry = NextEntry,
        BootPendingConfirmation = SavedEntry != Active,
        Staged = Staged,
        LastResult = LastResult,
    };

    private PartitionStatus Partition(string name) => new()
    {
        Name = name, Device = Device(name), Version = VersionOf(name), Bootable = IsBootable(name),
    };
}
