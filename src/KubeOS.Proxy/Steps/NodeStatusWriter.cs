using KubeOS.Api.Models;

namespace KubeOS.Proxy.Steps;

/// <summary>
/// Turns a step into the OSInstance status to record (phase, message, operation, conditions). Pure, so what an
/// observer sees for each step is tested without a cluster. Config blocks (sysconfigs/upgradeconfigs) are untouched.
/// </summary>
public static class NodeStatusWriter
{
    /// <summary>The CRD's maxLength of status.message; a longer message would make the API server refuse the whole status.</summary>
    public const int MaxMessage = 4096;

    /// <summary>The CRD's maxLength of a condition message.</summary>
    public const int MaxConditionMessage = 32768;

    public static OSInstanceStatus Apply(OSInstanceStatus? current, NodeStep step, long? generation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(step);
        var next = new OSInstanceStatus
        {
            SysConfigs = current?.SysConfigs,
            UpgradeConfigs = current?.UpgradeConfigs,
            ExtensionData = current?.ExtensionData,
            Phase = step.Phase,
            Message = Truncate(step.Message, MaxMessage),
            Operation = NodeHistory.WithPhaseDuration(current, step.Operation ?? current?.Operation, step.Phase, now),
            Conditions = current?.Conditions?.ToList() ?? [],
            Prestage = current?.Prestage,
            History = current?.History,
        };
        next.History = NodeHistory.Append(current, next.Operation, step.Phase, now);

        var active = step.Phase is not (NodePhases.Idle or NodePhases.Succeeded or NodePhases.Failed);
        Set(next.Conditions, NodeConditionTypes.Progressing, active ? ConditionStatuses.True : ConditionStatuses.False, step.Phase, step.Message, generation, now);

        if (step.Phase == NodePhases.Failed)
            Set(next.Conditions, NodeConditionTypes.Failed, ConditionStatuses.True, step.FailureReason ?? step.Operation?.FailureReason ?? "Failed", step.Message, generation, now);
        else if (step.Phase != NodePhases.Idle || step.Kind != StepKind.Nothing)
            Set(next.Conditions, NodeConditionTypes.Failed, ConditionStatuses.False, step.Phase, "", generation, now);

        if (step.Release is not null)
            Set(next.Conditions, NodeConditionTypes.Drained, ConditionStatuses.False, "Released", "the node was handed back", generation, now);
        if (step.Release is not null && next.Conditions.Any(c => c.Type == NodeConditionTypes.DrainStalled && c.Status == ConditionStatuses.True))
            Set(next.Conditions, NodeConditionTypes.DrainStalled, ConditionStatuses.False, "Released", "the node was handed back", generation, now);
        return next;
    }

    /// <summary>The status after a drain finished: Drained true, everything else as it was.</summary>
    public static OSInstanceStatus MarkDrained(OSInstanceStatus current, string message, long? generation, DateTimeOffset now)
    {
        var conditions = current.Conditions?.ToList() ?? [];
        Set(conditions, NodeConditionTypes.Drained, ConditionStatuses.True, "Drained", message, generation, now);
        if (conditions.Any(c => c.Type == NodeConditionTypes.DrainStalled && c.Status == ConditionStatuses.True))
            Set(conditions, NodeConditionTypes.DrainStalled, ConditionStatuses.False, "Drained", message, generation, now);
        return new OSInstanceStatus
        {
            SysConfigs = current.SysConfigs, UpgradeConfigs = current.UpgradeConfigs, ExtensionData = current.ExtensionData,
            Phase = current.Phase, Message = Truncate(message, MaxMessage), Operation = current.Operation, Conditions = conditions,
            Prestage = current.Prestage,
            History = current.History,
        };
    }

    /// <summary>
    /// The status once a drain has waited past spec.drain.escalation.warnafter: DrainStalled true with what holds it,
    /// the message saying the same; the operator turns the condition into a Warning event.
    /// </summary>
    public static OSInstanceStatus MarkDrainStalled(OSInstanceStatus current, string message, long? generation, DateTimeOffset now)
    {
        var conditions = current.Conditions?.ToList() ?? [];
        Set(conditions, NodeConditionTypes.DrainStalled, ConditionStatuses.True, "DrainStalled", message, generation, now);
        return new OSInstanceStatus
        {
            SysConfigs = current.SysConfigs, UpgradeConfigs = current.UpgradeConfigs, ExtensionData = current.ExtensionData,
            Phase = current.Phase, Message = Truncate(message, MaxMessage), Operation = current.Operation, Conditions = conditions,
            Prestage = current.Prestage, History = current.History,
        };
    }

    /// <summary>Replaces the condition of a type; lastTransitionTime moves only when the status changes.</summary>
    internal static void Set(List<NodeCondition> conditions, string type, string status, string reason, string message, long? generation, DateTimeOffset now)
    {
        var index = conditions.FindIndex(c => c.Type == type);
        var old = index >= 0 ? conditions[index] : null;
        var condition = new NodeCondition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = Truncate(message, MaxConditionMessage),
            LastTransitionTime = old?.Status == status ? old.LastTransitionTime ?? now : now,
            ObservedGeneration = generation,
        };
        if (index >= 0) conditions[index] = condition;
        else conditions.Add(condition);
    }

    /// <summary>Cuts at the limit (counted in characters, as the API server counts), marking the cut.</summary>
    public static string Truncate(string message, int max)
    {
        if (message.EnumerateRunes().Count() <= max) return message;
        var runes = message.EnumerateRunes().Take(max - 1);
        return string.Concat(runes.Select(r => r.ToString())) + "…";
    }
}
