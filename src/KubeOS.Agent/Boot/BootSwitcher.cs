using KubeOS.Agent.Disk;
using KubeOS.Agent.Node;

namespace KubeOS.Agent.Boot;

/// <summary>
/// Boot target switching through the GRUB environment. A switch arms a one-shot next_entry and keeps saved_entry on
/// the running root, so a new root that never comes up is left behind by the next (watchdog or panic) reboot; only
/// confirm_boot on the new root moves saved_entry to it. grub.cfg must follow the usual next_entry convention.
/// </summary>
public sealed class BootSwitcher(NodeSystem system)
{
    public const string SavedEntry = "saved_entry";
    public const string NextEntry = "next_entry";

    public (string SavedEntry, string NextEntry) Read()
    {
        var env = GrubEnv.Read(system.GrubEnvPath);
        return (env.GetValueOrDefault(SavedEntry, ""), env.GetValueOrDefault(NextEntry, ""));
    }

    /// <summary>Arms one trial boot of <paramref name="target"/>; the fallback stays the running root.</summary>
    public void ArmTrialBoot(RootPartitions roots, RootPartition target)
    {
        GrubEnv.Update(system.GrubEnvPath, new Dictionary<string, string?>
        {
            [SavedEntry] = roots.Active.Name,
            [NextEntry] = target.Name,
        });
        AgentLog.Info($"armed one trial boot of {target.Name} ({target.Device}); fallback stays {roots.Active.Name}");
    }

    /// <summary>Makes the running root the default; returns whether anything changed.</summary>
    public bool Confirm(RootPartitions roots)
    {
        var env = GrubEnv.Read(system.GrubEnvPath);
        var changes = new Dictionary<string, string?> { [SavedEntry] = roots.Active.Name };
        // A next_entry still armed for the root we are on was already used by this boot (GRUB builds that do not clear it).
        if (env.GetValueOrDefault(NextEntry) == roots.Active.Name)
            changes[NextEntry] = null;
        return GrubEnv.Update(system.GrubEnvPath, changes);
    }
}
