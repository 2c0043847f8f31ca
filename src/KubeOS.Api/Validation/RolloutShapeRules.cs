using KubeOS.Api.Models;

namespace KubeOS.Api.Validation;

/// <summary>
/// Rules for the fields beyond KubeOS that shape a rollout and its drains: a percentage maxunavailable, the topology
/// limit, stages, the drain policy and the calendar part of the time window. Each mirrors the CRD so a manifest is
/// refused for the same reason before and at admission.
/// </summary>
internal static class RolloutShapeRules
{
    public static void CheckMaxUnavailable(IntOrPercent? value, string path, ProblemCollector c)
    {
        if (value is not { } v) return;
        if (v.Percent is { } p && p is < 1 or > 100)
            c.Error(path, $"must be a percentage from 1% to 100%, got \"{v}\"",
                $"Write {path} as an integer such as 2 or a percentage such as \"25%\".", ErrorIds.InvalidPercentage);
        else if (v.Count is < 1)
            c.Error(path, $"must be an integer >= 1, got {v}",
                $"Set {path} to how many nodes may be out at once, at least 1, or to a percentage such as \"25%\".", ErrorIds.MaxUnavailableOutOfRange);
    }

    public static void Check(OSSpec spec, ProblemCollector c)
    {
        if (spec.TopologyLimit is { } topology)
        {
            if (string.IsNullOrWhiteSpace(topology.Key))
                c.Error("spec.topologylimit.key", "is required",
                    "Name the node label that groups nodes, e.g. key: topology.kubernetes.io/zone.", ErrorIds.InvalidTopologyLimit);
            else if (topology.Key.Length > 317)
                c.Error("spec.topologylimit.key", $"must be a label key of at most 317 characters, got {topology.Key.Length}",
                    "Use a node label key such as topology.kubernetes.io/zone.", ErrorIds.InvalidTopologyLimit);
            CheckMaxUnavailable(topology.MaxUnavailable, "spec.topologylimit.maxunavailable", c);
        }

        for (var i = 0; spec.Stages is not null && i < spec.Stages.Count; i++) CheckStage(spec.Stages[i], $"spec.stages[{i}]", c);
        if (spec.Stages is { Count: > 16 })
            c.Error("spec.stages", $"must have at most 16 stages, got {spec.Stages.Count}",
                "Merge stages; the nodes left after the last stage form a final stage anyway.", ErrorIds.InvalidRolloutStage);

        if (spec.Drain is { } drain) CheckDrain(drain, c);
        if (spec.TimeWindow is { } window) CheckCalendar(window, c);
    }

    private static void CheckStage(RolloutStage? stage, string path, ProblemCollector c)
    {
        if (stage is null)
        {
            c.Error(path, "must be a mapping with nodes or percent", "Write the stage as {nodes: 1} or {percent: \"10%\"}.", ErrorIds.InvalidRolloutStage);
            return;
        }
        if (stage.Nodes is null == stage.Percent is null)
            c.Error(path, stage.Nodes is null ? "must set nodes or percent" : "must set only one of nodes and percent",
                "Write the stage as {nodes: 1} (a number of nodes) or {percent: \"10%\"} (a share of the nodes to change).", ErrorIds.InvalidRolloutStage);
        if (stage.Nodes is < 1)
            c.Error(path + ".nodes", $"must be an integer >= 1, got {stage.Nodes}", "Give the stage at least one node.", ErrorIds.InvalidRolloutStage);
        if (stage.Percent is { } percent && IntOrPercent.TryParse(percent) is not { IsPercent: true, Percent: >= 1 and <= 100 })
            c.Error(path + ".percent", $"must be a percentage from 1% to 100%, got {ProblemCollector.Quote(percent)}",
                "Write the share of nodes as a string such as \"10%\".", ErrorIds.InvalidPercentage);
        if (stage.Bake is < 0)
            c.Error(path + ".bake", $"must be an integer >= 0, got {stage.Bake}",
                "Set bake to the seconds to wait after the stage finished, or leave it out.", ErrorIds.InvalidRolloutStage);
    }

    private static void CheckDrain(DrainSpec drain, ProblemCollector c)
    {
        Choice(drain.DaemonSetPods, "spec.drain.daemonsetpods", DrainChoices.DaemonSet,
            "Use ignore (leave DaemonSet pods running, the default) or block.", c);
        Choice(drain.EmptyDirPods, "spec.drain.emptydirpods", DrainChoices.EvictOrBlock,
            "Use evict (the emptyDir data is lost) or block (refuse the drain, as kubectl drain does without --delete-emptydir-data).", c);
        Choice(drain.UnmanagedPods, "spec.drain.unmanagedpods", DrainChoices.EvictOrBlock,
            "Use evict (nothing recreates the pod) or block (refuse the drain, as kubectl drain does without --force).", c);
        if (drain.Escalation is not { } e) return;
        Choice(e.Action, "spec.drain.escalation.action", DrainChoices.Actions,
            "Use fail (the node fails and is uncordoned, the default) or skip (the node is uncordoned and stays on its version).", c);
        if (e.WarnAfter is < 1)
            c.Error("spec.drain.escalation.warnafter", $"must be an integer >= 1, got {e.WarnAfter}",
                "Set warnafter to the seconds a drain may take before a warning, or leave it out.", ErrorIds.InvalidDrainPolicy);
        if (e.FailAfter is < 1)
            c.Error("spec.drain.escalation.failafter", $"must be an integer >= 1, got {e.FailAfter}",
                "Set failafter to the seconds a drain may take before the action applies, or leave it out.", ErrorIds.InvalidDrainPolicy);
        if (e is { WarnAfter: >= 1 and var warn, FailAfter: >= 1 and var fail } && warn >= fail)
            c.Error("spec.drain.escalation.warnafter", $"must be less than failafter, got warnafter {warn} and failafter {fail}",
                "Warn before the drain gives up: make warnafter smaller than failafter.", ErrorIds.InvalidDrainPolicy);
    }

    private static void Choice(string? value, string path, IReadOnlyList<string> allowed, string fix, ProblemCollector c)
    {
        if (value is not null && !allowed.Contains(value))
            c.Error(path, $"must be one of {string.Join(", ", allowed)}, got {ProblemCollector.Quote(value)}", fix, ErrorIds.InvalidDrainPolicy);
    }

    private static void CheckCalendar(TimeWindow window, ProblemCollector c)
    {
        for (var i = 0; window.Weekdays is not null && i < window.Weekdays.Count; i++)
        {
            var day = window.Weekdays[i];
            if (day is null || !Weekdays.All.Contains(day))
                c.Error($"spec.timewindow.weekdays[{i}]", $"must be one of {string.Join(", ", Weekdays.All)}, got {ProblemCollector.Quote(day)}",
                    "Name days by their three-letter English abbreviation, e.g. weekdays: [Sat, Sun].", ErrorIds.InvalidWeekday);
        }
        if (window.Weekdays is { Count: > 0 } && window.StartTime?.Length == TimeWindowRules.AbsoluteLength)
            c.Error("spec.timewindow.weekdays", "applies to daily windows only, but starttime is an absolute date",
                "Use a daily window (HH:MM) with weekdays, or remove weekdays from the absolute window.", ErrorIds.InvalidWeekday);
        if (window.TimeZone is { } zone && !KnownZone(zone))
            c.Error("spec.timewindow.timezone", $"is not a known IANA time zone, got {ProblemCollector.Quote(zone)}",
                "Use an IANA name such as Europe/Berlin or UTC, or remove timezone to use the operator's local zone.", ErrorIds.UnknownTimeZone);
    }

    private static bool KnownZone(string id) => id.Length > 0 && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}
