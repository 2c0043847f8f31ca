using KubeOS.Api.Models;
using KubeOS.Proxy.Steps;

namespace KubeOS.Proxy.Prestage;

/// <summary>The OSInstance status with a new status.prestage and the matching Staged condition; everything else as it was.</summary>
public static class PrestageStatusWriter
{
    public static OSInstanceStatus With(OSInstanceStatus? current, PrestageStatus prestage, long? generation, DateTimeOffset now)
    {
        var conditions = current?.Conditions?.ToList() ?? [];
        var (status, reason) = prestage.State switch
        {
            PrestageStates.Staged => (ConditionStatuses.True, "Verified"),
            PrestageStates.Failed => (ConditionStatuses.False, "StagingFailed"),
            _ => (ConditionStatuses.False, "Staging"),
        };
        NodeStatusWriter.Set(conditions, NodeConditionTypes.Staged, status, reason, prestage.Message ?? "", generation, now);
        return new OSInstanceStatus
        {
            SysConfigs = current?.SysConfigs, UpgradeConfigs = current?.UpgradeConfigs, ExtensionData = current?.ExtensionData,
            Phase = current?.Phase, Message = current?.Message, Operation = current?.Operation, Conditions = conditions,
            Prestage = prestage,
        };
    }
}
