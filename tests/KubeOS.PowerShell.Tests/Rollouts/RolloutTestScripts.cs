namespace KubeOS.PowerShell.Tests.Rollouts;

/// <summary>Parameters the rollout tests share: a disk image and the fastest rollout the sandbox allows.</summary>
internal static class RolloutTestScripts
{
    public static readonly string Checksum = new('a', 64);

    /// <summary>Both workers at once, no pause between rounds; DaemonSet pods are skipped by the drain.</summary>
    public const string Fast = "-MaxUnavailable 2 -TimeInterval 0 -EvictPodForce";

    public static string Upgrade(string version, string more = "") =>
        $"Start-KubeOSUpgrade -Version '{version}' -ImageUrl http://images.example/kubeos.tar -FlagSafe -Checksum {Checksum} {Fast} {more}";

    public static string NewVersion() => $"KubeOS v{Guid.NewGuid().ToString("N")[..8]}";
}
