namespace KubeOS.Api.Models;

/// <summary>Values of <c>status.phase</c> of an OSInstance, in the order an operation passes them.</summary>
public static class NodePhases
{
    public const string Idle = "Idle";
    public const string Assigned = "Assigned";
    public const string ApplyingUpgradeConfigs = "ApplyingUpgradeConfigs";
    public const string Preparing = "Preparing";
    public const string Staged = "Staged";
    public const string Cordoning = "Cordoning";
    public const string Draining = "Draining";
    public const string Rebooting = "Rebooting";
    public const string Verifying = "Verifying";
    public const string ApplyingSysConfigs = "ApplyingSysConfigs";
    public const string Configuring = "Configuring";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";

    public static readonly IReadOnlyList<string> All =
    [
        Idle, Assigned, ApplyingUpgradeConfigs, Preparing, Staged, Cordoning, Draining, Rebooting, Verifying,
        ApplyingSysConfigs, Configuring, Succeeded, Failed,
    ];

    /// <summary>The operation has ended; the node is released.</summary>
    public static bool IsTerminal(string? phase) => phase is Succeeded or Failed;
}

/// <summary>Condition types the proxy writes on an OSInstance.</summary>
public static class NodeConditionTypes
{
    /// <summary>True while an operation runs on the node.</summary>
    public const string Progressing = "Progressing";
    /// <summary>True when the last operation failed; the reason is one of <see cref="NodeFailureReasons"/>.</summary>
    public const string Failed = "Failed";
    /// <summary>True once the node is drained for the current operation.</summary>
    public const string Drained = "Drained";
    /// <summary>True once a drain has waited past spec.drain.escalation.warnafter.</summary>
    public const string DrainStalled = "DrainStalled";
    /// <summary>True while the image of status.prestage is downloaded and verified on the inactive partition.</summary>
    public const string Staged = "Staged";
}

/// <summary>Condition types os-proxy sets on the Node itself.</summary>
public static class NodeObjectConditions
{
    /// <summary>True when the node failed the health gate of an upgrade and was rolled back; it stays cordoned.</summary>
    public const string HealthGateFailed = "KubeOSHealthGateFailed";
}

public static class ConditionStatuses
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";
    public static readonly IReadOnlyList<string> All = [True, False, Unknown];
}

/// <summary>Values of <c>status.operation.failurereason</c> (also the reason of the Failed condition).</summary>
public static class NodeFailureReasons
{
    /// <summary>A config operation names an osversion the node does not run.</summary>
    public const string ConfigVersionMismatch = "ConfigVersionMismatch";
    /// <summary>The node rebooted but does not report the target version.</summary>
    public const string WrongVersionAfterReboot = "WrongVersionAfterReboot";
    /// <summary>The other partition does not hold the version a rollback asks for.</summary>
    public const string RollbackTargetMismatch = "RollbackTargetMismatch";
    /// <summary>Pods that may not be evicted without evictpodforce, or evictions refused.</summary>
    public const string DrainBlocked = "DrainBlocked";
    /// <summary>Pods still on the node when the drain deadline passed.</summary>
    public const string DrainTimeout = "DrainTimeout";
    /// <summary>The agent accepted the switch but the node did not reboot in time.</summary>
    public const string RebootTimeout = "RebootTimeout";
    /// <summary>spec.drain.escalation.action skip: the drain did not finish in time, the node was handed back on its version.</summary>
    public const string DrainSkipped = "DrainSkipped";
    /// <summary>os-agent refused or failed a call.</summary>
    public const string AgentError = "AgentError";
    /// <summary>The new version failed the health gate of spec.healthgate; the node was rolled back and left cordoned.</summary>
    public const string HealthGateFailed = "HealthGateFailed";
    /// <summary>The health gate failed and the rollback's reboot did not happen in time; the node still runs the new version, cordoned.</summary>
    public const string HealthGateRollbackTimeout = "HealthGateRollbackTimeout";

    /// <summary>Failures after which the node is left cordoned for inspection (counted by the failure budget, not by maxunavailable).</summary>
    public static bool HoldsNodeCordoned(string? reason) => reason is HealthGateFailed or HealthGateRollbackTimeout;
}
