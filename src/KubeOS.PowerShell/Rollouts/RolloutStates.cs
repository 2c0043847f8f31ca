namespace KubeOS.PowerShell.Rollouts;

/// <summary>Values of <see cref="KubeOSUpgrade.State"/> and <see cref="KubeOSUpgradeNode.State"/>.</summary>
public static class RolloutStates
{
    public const string Complete = "Complete";
    public const string RollingOut = "RollingOut";
    public const string Pending = "Pending";
    public const string Paused = "Paused";
    public const string Blocked = "Blocked";
    public const string Failed = "Failed";

    public const string Done = "Done";
    public const string InOperation = "InOperation";
    public const string Skipped = "Skipped";
}
