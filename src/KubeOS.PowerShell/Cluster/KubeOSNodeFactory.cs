using k8s.Models;
using KubeOS.Api;
using KubeOS.Api.Models;

namespace KubeOS.PowerShell.Cluster;

/// <summary>Builds <see cref="KubeOSNode"/> objects from a Node and its OSInstance (same name).</summary>
public static class KubeOSNodeFactory
{
    private const string RolePrefix = "node-role.kubernetes.io/";
    private const string LegacyRoleLabel = "kubernetes.io/role";
    public const string NoOSInstance = "-";

    public static KubeOSNode Create(V1Node node, OSInstance? instance)
    {
        var labels = node.Metadata?.Labels ?? new Dictionary<string, string>();
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status;
        var schedulable = node.Spec?.Unschedulable != true;
        var status = ready switch { "True" => "Ready", "False" => "NotReady", _ => "Unknown" };
        return new KubeOSNode
        {
            Name = node.Metadata?.Name ?? "",
            OSVersion = node.Status?.NodeInfo?.OsImage,
            Ready = ready == "True",
            Schedulable = schedulable,
            Status = schedulable ? status : status + ",SchedulingDisabled",
            Roles = Roles(labels),
            NodeStatus = string.IsNullOrEmpty(instance?.Spec?.NodeStatus) ? NoOSInstance : instance.Spec.NodeStatus,
            Phase = instance?.Status?.Phase,
            Message = instance?.Status?.Message,
            PreStage = instance?.Status?.Prestage is { State: { } state } prestage ? $"{state} {prestage.OSVersion}".TrimEnd() : null,
            DesiredSysConfigVersion = instance?.Spec?.SysConfigs?.Version,
            CurrentSysConfigVersion = instance?.Status?.SysConfigs?.Version,
            DesiredUpgradeConfigVersion = instance?.Spec?.UpgradeConfigs?.Version,
            CurrentUpgradeConfigVersion = instance?.Status?.UpgradeConfigs?.Version,
            Group = labels.TryGetValue(WellKnown.Labels.NodeSelector, out var group) ? group : null,
            KernelVersion = node.Status?.NodeInfo?.KernelVersion,
            KubeletVersion = node.Status?.NodeInfo?.KubeletVersion,
            Created = node.Metadata?.CreationTimestamp,
            OSInstance = instance,
        };
    }

    private static string[] Roles(IDictionary<string, string> labels)
    {
        var roles = labels.Keys.Where(k => k.StartsWith(RolePrefix, StringComparison.Ordinal) && k.Length > RolePrefix.Length)
            .Select(k => k[RolePrefix.Length..]);
        if (labels.TryGetValue(LegacyRoleLabel, out var legacy) && !string.IsNullOrEmpty(legacy))
        {
            roles = roles.Append(legacy);
        }
        return roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }
}
