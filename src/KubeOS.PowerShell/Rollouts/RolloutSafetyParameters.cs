using System.Collections;
using System.Management.Automation;
using KubeOS.Api.Models;

namespace KubeOS.PowerShell.Rollouts;

/// <summary>
/// The pre-staging, health-gate and failure-budget parameters Start-KubeOSUpgrade and ConvertTo-KubeOSManifest share:
/// one mapping from bound parameters to spec.prestage, spec.healthgate, spec.maxfailures and spec.onfailurebudget, so
/// both write the same manifest. Parameters not given leave the spec as it is (the OS object's own values stay).
/// </summary>
internal static class RolloutSafetyParameters
{
    public const string PreStage = "PreStage";
    public const string PreStageConcurrency = "PreStageConcurrency";
    public const string PreStageBandwidthLimit = "PreStageBandwidthLimit";
    public const string HealthGatePodSelector = "HealthGatePodSelector";
    public const string HealthGateUrl = "HealthGateUrl";
    public const string HealthGateExpectStatus = "HealthGateExpectStatus";
    public const string BakeTime = "BakeTime";
    public const string HealthGateTimeout = "HealthGateTimeout";
    public const string MaxFailures = "MaxFailures";
    public const string OnFailureBudget = "OnFailureBudget";

    /// <summary>Manifest field → the parameter that sets it, most specific first, for error messages.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> Fields =
    [
        new("spec.prestage.maxconcurrent", PreStageConcurrency),
        new("spec.prestage.bandwidthlimit", PreStageBandwidthLimit),
        new("spec.prestage", PreStage),
        new("spec.healthgate.podselector", HealthGatePodSelector),
        new("spec.healthgate.httpprobe.expectstatus", HealthGateExpectStatus),
        new("spec.healthgate.httpprobe", HealthGateUrl),
        new("spec.healthgate.baketime", BakeTime),
        new("spec.healthgate.timeout", HealthGateTimeout),
        new("spec.maxfailures", MaxFailures),
        new("spec.onfailurebudget", OnFailureBudget),
    ];

    public static void Apply(OSSpec spec, IDictionary bound)
    {
        if (bound.Contains(PreStage) || bound.Contains(PreStageConcurrency) || bound.Contains(PreStageBandwidthLimit))
        {
            // -PreStage:$false turns pre-staging off; the other pre-staging parameters alone imply it is on.
            var enabled = !bound.Contains(PreStage) || ((SwitchParameter)bound[PreStage]!).IsPresent;
            var prestage = spec.Prestage ?? new PrestageSpec();
            prestage.Enabled = enabled;
            if (bound.Contains(PreStageConcurrency)) prestage.MaxConcurrent = (int)bound[PreStageConcurrency]!;
            if (bound.Contains(PreStageBandwidthLimit)) prestage.BandwidthLimit = (string?)bound[PreStageBandwidthLimit];
            spec.Prestage = prestage;
        }

        if (bound.Contains(HealthGatePodSelector) || bound.Contains(HealthGateUrl) || bound.Contains(HealthGateExpectStatus) ||
            bound.Contains(BakeTime) || bound.Contains(HealthGateTimeout))
        {
            var gate = spec.HealthGate ?? new HealthGateSpec();
            if (bound.Contains(HealthGatePodSelector)) gate.PodSelector = (string?)bound[HealthGatePodSelector];
            if (bound.Contains(HealthGateUrl) || bound.Contains(HealthGateExpectStatus))
            {
                var probe = gate.HttpProbe ?? new HttpProbeSpec();
                if (bound.Contains(HealthGateUrl)) probe.Url = (string?)bound[HealthGateUrl];
                if (bound.Contains(HealthGateExpectStatus)) probe.ExpectStatus = (int)bound[HealthGateExpectStatus]!;
                gate.HttpProbe = probe;
            }
            if (bound.Contains(BakeTime)) gate.BakeTime = (int)bound[BakeTime]!;
            if (bound.Contains(HealthGateTimeout)) gate.Timeout = (int)bound[HealthGateTimeout]!;
            spec.HealthGate = gate;
        }

        if (bound.Contains(MaxFailures)) spec.MaxFailures = (int)bound[MaxFailures]!;
        if (bound.Contains(OnFailureBudget)) spec.OnFailureBudget = ((string?)bound[OnFailureBudget])?.ToLowerInvariant();
    }
}
