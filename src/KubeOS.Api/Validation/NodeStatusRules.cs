using KubeOS.Api.Models;

namespace KubeOS.Api.Validation;

/// <summary>The rules the OSInstance CRD enforces on the node status fields the proxy writes (phase, conditions, operation).</summary>
internal static class NodeStatusRules
{
    public static void Check(OSInstanceStatus status, ProblemCollector c)
    {
        if (status.Phase is { } phase && !NodePhases.All.Contains(phase))
            c.Error("status.phase", $"must be one of {string.Join(", ", NodePhases.All)}, got {ProblemCollector.Quote(phase)}",
                "Leave status.phase to os-proxy, or use one of the listed phases.", ErrorIds.InvalidEnumValue);
        c.MaxLength(status.Message, "status.message", 4096);

        for (var i = 0; status.Conditions is not null && i < status.Conditions.Count; i++)
        {
            var condition = status.Conditions[i];
            var path = $"status.conditions[{i}]";
            if (condition is null) continue;
            if (condition.Type is null) c.Required(path + ".type", "Give each condition a type, e.g. Progressing.");
            c.MaxLength(condition.Type, path + ".type", 316);
            if (condition.Status is null) c.Required(path + ".status", "Give each condition a status: True, False or Unknown.");
            else if (!ConditionStatuses.All.Contains(condition.Status))
                c.Error(path + ".status", $"must be True, False or Unknown, got {ProblemCollector.Quote(condition.Status)}",
                    "Write the status as the string True, False or Unknown.", ErrorIds.InvalidEnumValue);
            c.MaxLength(condition.Reason, path + ".reason", 1024);
            c.MaxLength(condition.Message, path + ".message", 32768);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; status.Conditions is not null && i < status.Conditions.Count; i++)
            if (status.Conditions[i]?.Type is { } type && !seen.Add(type))
                c.Error($"status.conditions[{i}]", $"repeats the condition type {ProblemCollector.Quote(type)}",
                    "Keep one condition per type.", ErrorIds.DuplicateField);
        if (status.Conditions is { Count: > 16 })
            c.Error("status.conditions", $"must have at most 16 items, got {status.Conditions.Count}",
                "Keep one condition per type.", ErrorIds.FieldTooLong);

        if (status.Operation?.OpsType is { } ops && !WellKnown.OpsTypes.All.Contains(ops))
            c.Error("status.operation.opstype", $"must be one of upgrade, config, rollback, got {ProblemCollector.Quote(ops)}",
                "Leave status.operation to os-proxy.", ErrorIds.InvalidEnumValue);
    }
}
