using KubeOS.Api;
using KubeOS.Api.Models;

namespace KubeOS.Operator.Rollout;

/// <summary>Which nodes an OS object governs, and whether one still needs its operation (kubeos.md §3.1.1–3.1.2).</summary>
public static class NodeScope
{
    /// <summary>The selector after defaulting: an absent nodeselector means <c>no-label</c>.</summary>
    public static string SelectorOf(OS os) => os.Spec?.NodeSelector ?? WellKnown.Defaults.NodeSelector;

    /// <summary>
    /// Control-plane nodes are never in scope. <c>no-label</c> takes nodes without the node-selector label,
    /// <c>all-label</c> takes all, any other value (the empty string too, as KubeOS's code reads it) takes nodes whose
    /// label equals it.
    /// </summary>
    public static bool InScope(OS os, NodeView node)
    {
        if (node.HasLabel(WellKnown.Labels.ControlPlane)) return false;
        var selector = SelectorOf(os);
        var labelled = node.Labels.TryGetValue(WellKnown.Labels.NodeSelector, out var group);
        return selector switch
        {
            WellKnown.NodeSelectors.AllLabel => true,
            WellKnown.NodeSelectors.NoLabel => !labelled,
            _ => labelled && group == selector,
        };
    }

    /// <summary>The node label that marks a node as assigned to this kind of operation.</summary>
    public static string OperationLabel(string opsType) =>
        opsType == WellKnown.OpsTypes.Config ? WellKnown.Labels.Configuring : WellKnown.Labels.Upgrading;

    /// <summary>
    /// upgrade/rollback: the node does not yet report the wanted osImage. config: the version last assigned to the
    /// node differs from the wanted one, and the node already runs the wanted OS — KubeOS would assign it anyway and
    /// leave it stuck forever in <c>config</c> (§3.2 branch B); we leave it out and count it instead.
    /// </summary>
    public static bool NeedsOperation(OS os, NodeView node, OSInstance osi)
    {
        var spec = os.Spec!;
        if (spec.OpsType == WellKnown.OpsTypes.Config)
        {
            return node.OsImage == spec.OSVersion &&
                   VersionOf(osi.Spec?.SysConfigs) != VersionOf(spec.SysConfigs);
        }
        return node.OsImage != spec.OSVersion;
    }

    /// <summary>A config operation cannot run on a node that is on another OS version.</summary>
    public static bool VersionMismatchForConfig(OS os, NodeView node) =>
        os.Spec?.OpsType == WellKnown.OpsTypes.Config && node.OsImage != os.Spec.OSVersion;

    /// <summary>Absent and empty config versions are the same value (kubeos.md §2.1).</summary>
    public static string VersionOf(SysConfigs? configs) => configs?.Version ?? "";
}
