using KubeOS.Api.Models;

namespace KubeOS.Proxy.Steps;

public static class NodeOperationExtensions
{
    /// <summary>A copy with some fields replaced; the recorded operation is never changed in place.</summary>
    public static NodeOperation With(this NodeOperation op, bool? cordonedByUs = null, string? bootId = null,
        DateTimeOffset? phaseStartedAt = null, string? failureReason = null, HealthGateRecord? healthGate = null) => new()
    {
        OpsType = op.OpsType,
        TargetVersion = op.TargetVersion,
        FromVersion = op.FromVersion,
        ConfigVersion = op.ConfigVersion,
        OS = op.OS is null ? null : new OperationOwner { Name = op.OS.Name, Namespace = op.OS.Namespace, Generation = op.OS.Generation, ExtensionData = op.OS.ExtensionData },
        StartedAt = op.StartedAt,
        PhaseStartedAt = phaseStartedAt ?? op.PhaseStartedAt,
        BootId = bootId ?? op.BootId,
        CordonedByUs = cordonedByUs ?? op.CordonedByUs,
        Attempt = op.Attempt,
        FailureReason = failureReason ?? op.FailureReason,
        HealthGate = healthGate ?? op.HealthGate,
        PhaseDurations = op.PhaseDurations,
        ExtensionData = op.ExtensionData,
    };
}
