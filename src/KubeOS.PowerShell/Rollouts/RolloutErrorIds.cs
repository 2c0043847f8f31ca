namespace KubeOS.PowerShell.Rollouts;

/// <summary>
/// Error ids of the rollout cmdlets (Start-KubeOSUpgrade, Invoke-KubeOSRollback, Set-KubeOSConfig, Get-, Wait-,
/// Suspend- and Resume-KubeOSUpgrade). Scripts match on them, so they never change once released.
/// </summary>
public static class RolloutErrorIds
{
    /// <summary>A parameter value would make the OS object invalid; nothing was written.</summary>
    public const string InvalidRolloutParameter = "InvalidRolloutParameter";
    /// <summary>Set-KubeOSConfig without any settings.</summary>
    public const string NoSettingsGiven = "NoSettingsGiven";
    /// <summary>The version the nodes must run for a config (or return to for a rollback) cannot be told from the cluster.</summary>
    public const string TargetVersionUnknown = "TargetVersionUnknown";
    /// <summary>No OS object of that name in the namespace.</summary>
    public const string UpgradeNotFound = "UpgradeNotFound";
    /// <summary>A node given to Invoke-KubeOSRollback is a control-plane node, which KubeOS never operates on.</summary>
    public const string NodeNotSelectable = "NodeNotSelectable";
    /// <summary>Wait-KubeOSUpgrade (or -Wait) ran out of time; the message names the nodes not done.</summary>
    public const string UpgradeTimedOut = "UpgradeTimedOut";
    /// <summary>A node failed the rollout's target (per node, non-terminating).</summary>
    public const string NodeOperationFailed = "NodeOperationFailed";
}
