using KubeOS.Api.Models;

namespace KubeOS.Proxy.Steps;

public enum StepKind
{
    /// <summary>Create default/&lt;node&gt; (nodestatus idle, label osinstance-node).</summary>
    CreateInstance,
    /// <summary>Record the phase/message and look again after <see cref="NodeStep.RequeueAfter"/>.</summary>
    Nothing,
    /// <summary>Send spec.&lt;kind&gt; to the agent's configure, then copy it to status.&lt;kind&gt;.</summary>
    ApplyConfigs,
    /// <summary>Agent prepare_upgrade: fetch and verify the image onto the inactive partition while the node still serves.</summary>
    Prepare,
    /// <summary>Set spec.unschedulable (the step's operation records cordonedbyus first).</summary>
    Cordon,
    /// <summary>Evict the node's pods (see <see cref="DrainOrder"/>); on success mark the Drained condition.</summary>
    Drain,
    /// <summary>Agent upgrade: boot the staged partition (the step's operation records the bootID first).</summary>
    RequestUpgrade,
    /// <summary>Agent rollback: boot the other partition (the step's operation records the bootID first).</summary>
    RequestRollback,
    /// <summary>Agent confirm_boot: make the partition the node came back on its default.</summary>
    ConfirmBoot,
    /// <summary>End of the operation (or an abort): release the node as <see cref="NodeStep.Release"/> says.</summary>
    Complete,
    /// <summary>End of the operation with a recorded failure: release the node as <see cref="NodeStep.Release"/> says.</summary>
    Fail,
    /// <summary>Copy the owning OS's sysconfigs into the instance spec (they changed mid-upgrade).</summary>
    UpdateSysConfigsSpec,
    /// <summary>Release the node so the operator assigns it again with the OS's newest configuration.</summary>
    Reassign,
    /// <summary>Pre-staging on an unassigned node (see <see cref="NodeStep.Prestage"/>): no cordon, status.prestage only.</summary>
    Prestage,
}

public enum ConfigKind
{
    SysConfigs,
    UpgradeConfigs,
}

/// <summary>How to hand a node back: labels to remove, whether to uncordon, and the spec to write last.</summary>
/// <param name="RemoveLabels">Operation labels the node carries (upgrading/configuring).</param>
/// <param name="Uncordon">Only when the proxy cordoned the node itself.</param>
public sealed record Release(IReadOnlyList<string> RemoveLabels, bool Uncordon);

/// <summary>A drain to run: evictpodforce, and the deadline counted from when draining began.</summary>
public sealed record DrainOrder(bool EvictPodForce, DateTimeOffset Deadline, TimeSpan Timeout);

/// <summary>
/// One decision of the planner. <see cref="Phase"/>, <see cref="Message"/> and <see cref="Operation"/> are recorded in
/// the OSInstance status before the action runs, so status always says what the node is doing and why.
/// </summary>
public sealed record NodeStep(StepKind Kind, string Phase, string Message)
{
    /// <summary>status.operation to record; null leaves it as it is.</summary>
    public NodeOperation? Operation { get; init; }

    public TimeSpan RequeueAfter { get; init; } = NodeStepPlanner.Soon;

    /// <summary>ApplyConfigs: which block.</summary>
    public ConfigKind? Configs { get; init; }

    /// <summary>Prepare: the phase to record once the agent has succeeded.</summary>
    public string? SuccessPhase { get; init; }

    /// <summary>UpdateSysConfigsSpec: the block to write to spec.sysconfigs.</summary>
    public SysConfigs? SysConfigsSpec { get; init; }

    /// <summary>Complete, Fail, Reassign: how the node is handed back.</summary>
    public Release? Release { get; init; }

    /// <summary>Fail: one of <see cref="NodeFailureReasons"/>.</summary>
    public string? FailureReason { get; init; }

    /// <summary>Drain: what and until when.</summary>
    public DrainOrder? Drain { get; init; }

    /// <summary>Prestage: what to stage, or only record as staged.</summary>
    public Prestage.PrestageOrder? Prestage { get; init; }

    /// <summary>A condition and an Event to put on the Node itself (the health gate's verdict), before the step's action.</summary>
    public NodeNotice? Notice { get; init; }
}

/// <summary>
/// A condition set on the Node and an Event about it, so kubectl describe node says why it stays cordoned (Active: the
/// condition True, a Warning) or that it is healthy again (the condition False, a Normal event).
/// </summary>
public sealed record NodeNotice(string ConditionType, string Reason, string Message, bool Active = true);
