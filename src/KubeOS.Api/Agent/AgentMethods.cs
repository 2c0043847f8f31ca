namespace KubeOS.Api.Agent;

/// <summary>JSON-RPC method names served by os-agent. The first four are KubeOS's, so a KubeOS proxy can call them.</summary>
public static class AgentMethods
{
    public const string PrepareUpgrade = "prepare_upgrade";
    public const string Upgrade = "upgrade";
    public const string Rollback = "rollback";
    public const string Configure = "configure";
    public const string Status = "status";
    public const string ConfirmBoot = "confirm_boot";

    /// <summary>Bumped when a method or payload changes incompatibly; reported by <c>status</c>.</summary>
    public const int ProtocolVersion = 1;

    public const string DefaultSocketPath = "/run/os-agent/os-agent.sock";
}

/// <summary>The <c>status</c> strings of <see cref="AgentResponse"/>, spelled as KubeOS's AgentStatus enum.</summary>
public static class AgentStatus
{
    public const string Unknown = "Unknown";
    public const string NotApplied = "NotApplied";
    public const string UpgradeReady = "UpgradeReady";
    public const string Upgraded = "Upgraded";
    public const string Rollbacked = "Rollbacked";
    public const string Configured = "Configured";
    public const string CleanedUp = "CleanedUp";
    public const string BootConfirmed = "BootConfirmed";
}

/// <summary>Image sources of <see cref="UpgradeRequest.ImageType"/>.</summary>
public static class ImageTypes
{
    public const string Disk = "disk";
    public const string Docker = "docker";
    public const string Containerd = "containerd";
}

/// <summary>Operations of <see cref="KeyInfo.Operation"/>; an empty operation means add/update.</summary>
public static class ConfigOperations
{
    public const string Add = "add";
    public const string Update = "update";
    public const string Delete = "delete";
}
