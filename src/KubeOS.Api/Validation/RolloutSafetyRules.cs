using KubeOS.Api.Models;
using KubeOS.Api.Quantities;
using KubeOS.Api.Selectors;

namespace KubeOS.Api.Validation;

/// <summary>Rules for the optional rollout-safety fields of OS.spec: prestage, healthgate and onfailurebudget.</summary>
internal static class RolloutSafetyRules
{
    public static void Check(OSSpec spec, ProblemCollector c)
    {
        if (spec.Prestage is { } prestage) CheckPrestage(spec, prestage, c);
        if (spec.HealthGate is { } gate) CheckHealthGate(gate, c);

        if (spec.OnFailureBudget is { } action && !FailureBudgetActions.All.Contains(action))
            c.Error("spec.onfailurebudget", $"must be halt or revert, got {ProblemCollector.Quote(action)}",
                "Use halt (stop assigning nodes, the default) or revert (also roll the upgraded nodes back).", ErrorIds.InvalidEnumValue);
        else if (spec.OnFailureBudget == FailureBudgetActions.Revert && spec.MaxFailures is null)
            c.Warning("spec.onfailurebudget", "revert has no effect without spec.maxfailures",
                "Set maxfailures to how many failed nodes trigger the revert.", ErrorIds.FailureBudgetActionIgnored);
    }

    private static void CheckPrestage(OSSpec spec, PrestageSpec prestage, ProblemCollector c)
    {
        if (prestage.MaxConcurrent is < 1)
            c.Error("spec.prestage.maxconcurrent", $"must be an integer >= 1, got {prestage.MaxConcurrent}",
                $"Set maxconcurrent to how many nodes may download at once (default {PrestageSpec.DefaultMaxConcurrent}).", ErrorIds.PrestageConcurrencyOutOfRange);
        if (prestage.BandwidthLimit is { } limit && !ByteRate.TryParse(limit, out _))
            c.Error("spec.prestage.bandwidthlimit", $"must be a positive whole quantity of bytes per second, got {ProblemCollector.Quote(limit)}",
                "Write e.g. 50Mi (52428800 bytes/s), 200M or 1Gi; remove the field for no limit.", ErrorIds.InvalidBandwidthLimit);
        if (prestage.Enabled == true && spec.OpsType is { } ops && ops != WellKnown.OpsTypes.Upgrade)
            c.Warning("spec.prestage", $"has no effect with opstype {ops}: only an upgrade downloads an image",
                "Remove prestage, or use it with opstype upgrade.", ErrorIds.PrestageIgnored);
    }

    private static void CheckHealthGate(HealthGateSpec gate, ProblemCollector c)
    {
        if (gate.PodSelector is { } selector && PodSelector.TryParse(selector, out var error) is null)
            c.Error("spec.healthgate.podselector", $"{error}, got {ProblemCollector.Quote(selector)}",
                "Write a label selector as kubectl takes it, e.g. app=web,tier!=db.", ErrorIds.InvalidPodSelector);
        if (gate.HttpProbe is { } probe)
        {
            var url = (probe.Url ?? "").Replace(HttpProbeSpec.NodeNamePlaceholder, "node", StringComparison.Ordinal);
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                c.Error("spec.healthgate.httpprobe.url", $"must be an absolute http:// or https:// URL, got {ProblemCollector.Quote(probe.Url)}",
                    $"Write e.g. http://127.0.0.1:10248/healthz; {HttpProbeSpec.NodeNamePlaceholder} is replaced by the node's name.", ErrorIds.InvalidHealthProbe);
            if (probe.ExpectStatus is < 100 or > 599)
                c.Error("spec.healthgate.httpprobe.expectstatus", $"must be an HTTP status code between 100 and 599, got {probe.ExpectStatus}",
                    $"Set expectstatus to the code a healthy node answers (default {HttpProbeSpec.DefaultExpectStatus}).", ErrorIds.InvalidHealthProbe);
        }
        if (gate.BakeTime is < 0)
            c.Error("spec.healthgate.baketime", $"must be an integer >= 0 (seconds), got {gate.BakeTime}",
                "Set baketime to how many seconds the checks must keep passing, or 0.", ErrorIds.HealthGateTimingOutOfRange);
        if (gate.Timeout is < 1)
            c.Error("spec.healthgate.timeout", $"must be an integer >= 1 (seconds), got {gate.Timeout}",
                $"Set timeout to the seconds a node has after its reboot to pass (default {HealthGateSpec.DefaultTimeout}).", ErrorIds.HealthGateTimingOutOfRange);
        else if ((gate.Timeout ?? HealthGateSpec.DefaultTimeout) <= (gate.BakeTime ?? 0))
            c.Error("spec.healthgate.timeout", $"must be longer than baketime ({gate.BakeTime} s), got {gate.Timeout ?? HealthGateSpec.DefaultTimeout} s",
                "Raise timeout above baketime, or the node could never pass.", ErrorIds.HealthGateTimingOutOfRange);
    }
}
