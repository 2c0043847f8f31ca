using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;

namespace KubeOS.Operator.Rollout;

/// <summary>
/// The OSInstance spec the operator writes when it assigns a node (kubeos.md §3.1.2). Config blocks are deep copies:
/// a shallow copy once let later edits of the OS object leak into nodes mid-operation.
/// </summary>
public static class AssignmentBuilder
{
    public static OSInstanceSpec Build(OS os, OSInstance osi)
    {
        var spec = os.Spec!;
        var next = Clone(osi.Spec) ?? new OSInstanceSpec();
        var owner = new NamespacedName { Name = os.Metadata?.Name, Namespace = os.Metadata?.Namespace ?? "default" };

        if (spec.OpsType == WellKnown.OpsTypes.Config)
        {
            next.SysConfigs = Clone(spec.SysConfigs);
            next.NodeStatus = WellKnown.NodeStatuses.Config;
        }
        else
        {
            if (NodeScope.VersionOf(next.UpgradeConfigs) != NodeScope.VersionOf(spec.UpgradeConfigs))
                next.UpgradeConfigs = Clone(spec.UpgradeConfigs);
            if (NodeScope.VersionOf(next.SysConfigs) != NodeScope.VersionOf(spec.SysConfigs))
                next.SysConfigs = SwapCurrentAndNext(Clone(spec.SysConfigs));
            next.NodeStatus = WellKnown.NodeStatuses.Upgrade;
        }
        next.NamespacedName = owner;
        // A revert is written by RevertPlanner on top of this; an ordinary assignment never carries an old one.
        next.Revert = null;
        return next;
    }

    /// <summary>
    /// sysconfigs of an upgrade or rollback are applied after the reboot, when the partition that was "next" has
    /// become "current"; swapping keeps the user's meaning (relative to the partition running when the OS object was
    /// written).
    /// </summary>
    public static SysConfigs? SwapCurrentAndNext(SysConfigs? configs)
    {
        foreach (var config in configs?.Configs ?? [])
        {
            config.Model = config.Model switch
            {
                WellKnown.Models.GrubCmdlineCurrent => WellKnown.Models.GrubCmdlineNext,
                WellKnown.Models.GrubCmdlineNext => WellKnown.Models.GrubCmdlineCurrent,
                var other => other,
            };
        }
        return configs;
    }

    private static T? Clone<T>(T? value) where T : class =>
        value is null ? null : ManifestSerializer.FromJson<T>(ManifestSerializer.ToJson(value, indented: false));
}
