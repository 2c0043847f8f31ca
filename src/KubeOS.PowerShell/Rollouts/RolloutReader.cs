using System.Globalization;
using System.Text.Json;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Client;

namespace KubeOS.PowerShell.Rollouts;

/// <summary>
/// Reads rollouts from the cluster: OS objects joined with the Nodes they select and their OSInstances. Node states are
/// worked out here from what KubeOS itself records (osImage, nodestatus, namespacedname, applied config versions) so
/// they are right even before the operator has written a status; the operator's conditions are added when present.
/// </summary>
internal static class RolloutReader
{
    public sealed record Cluster(IReadOnlyList<V1Node> Nodes, IReadOnlyList<OSInstance> Instances);

    public static async Task<Cluster> ReadClusterAsync(KubeOSCluster cluster, CancellationToken ct)
    {
        var nodes = cluster.ListNodesAsync(ct);
        var instances = cluster.ListOSInstancesAsync(ct);
        return new Cluster(await nodes.ConfigureAwait(false), await instances.ConfigureAwait(false) ?? []);
    }

    /// <summary>The rollout of one OS object, or null when it does not exist.</summary>
    public static async Task<KubeOSUpgrade?> ReadAsync(KubeOSCluster cluster, string @namespace, string name, CancellationToken ct)
    {
        var os = await cluster.OS.GetAsync(@namespace, name, ct).ConfigureAwait(false);
        return os is null ? null : Describe(os, await ReadClusterAsync(cluster, ct).ConfigureAwait(false));
    }

    /// <summary>Every OS object of the namespace; null when the cluster does not serve OS objects (no CRDs).</summary>
    public static async Task<IReadOnlyList<OS>?> ListAsync(KubeOSCluster cluster, string @namespace, CancellationToken ct)
    {
        try
        {
            return await cluster.OS.ListAsync(@namespace, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (ClusterApiException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    public static bool IsControlPlane(V1Node node) => node.Metadata?.Labels?.ContainsKey(WellKnown.Labels.ControlPlane) == true;

    public static string? GroupOf(V1Node node) =>
        node.Metadata?.Labels is { } labels && labels.TryGetValue(WellKnown.Labels.NodeSelector, out var group) ? group : null;

    public static string SelectorOf(OS os) => os.Spec?.NodeSelector ?? WellKnown.Defaults.NodeSelector;

    /// <summary>kubeos.md §3.1.1: control-plane nodes never; then no-label, all-label or the group label's value.</summary>
    public static bool Selects(string selector, V1Node node)
    {
        if (IsControlPlane(node)) return false;
        var group = GroupOf(node);
        return selector switch
        {
            WellKnown.NodeSelectors.AllLabel => true,
            WellKnown.NodeSelectors.NoLabel => group is null,
            _ => group == selector,
        };
    }

    public static KubeOSUpgrade Describe(OS os, Cluster state)
    {
        var spec = os.Spec ?? new OSSpec();
        var name = os.Metadata?.Name ?? "";
        var @namespace = os.Metadata?.Namespace ?? WellKnown.OSInstanceNamespace;
        var selector = SelectorOf(os);
        var instances = state.Instances.Where(i => i.Metadata?.Name is not null)
            .GroupBy(i => i.Metadata!.Name!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var nodes = state.Nodes.Where(n => n.Metadata?.Name is not null && Selects(selector, n))
            .OrderBy(n => n.Metadata.Name, StringComparer.Ordinal)
            .Select(n => DescribeNode(os, name, @namespace, n, instances.GetValueOrDefault(n.Metadata.Name)))
            .ToArray();

        int Count(string s) => nodes.Count(n => n.State == s);
        var (done, inOperation, pending, failed, skipped) =
            (Count(RolloutStates.Done), Count(RolloutStates.InOperation), Count(RolloutStates.Pending), Count(RolloutStates.Failed), Count(RolloutStates.Skipped));
        var status = os.Status?.ExtensionData;
        var conditions = Conditions(status);
        var observed = status is not null && status.TryGetValue("observedGeneration", out var g) && g.ValueKind == JsonValueKind.Number ? g.GetInt64() : (long?)null;
        var current = observed is not null && observed == os.Metadata?.Generation;
        var blocked = current ? conditions.FirstOrDefault(c => c.Type == "Blocked" && c.Status == "True") : null;
        var paused = spec.Paused == true;
        var complete = pending == 0 && inOperation == 0 && failed == 0;

        var stateName =
            complete ? RolloutStates.Complete :
            paused ? RolloutStates.Paused :
            pending == 0 && inOperation == 0 ? RolloutStates.Failed :
            blocked is not null && inOperation == 0 ? RolloutStates.Blocked :
            inOperation > 0 ? RolloutStates.RollingOut :
            RolloutStates.Pending;
        var progressing = current ? conditions.FirstOrDefault(c => c.Type == "Progressing")?.Message : null;
        var message = stateName switch
        {
            RolloutStates.Blocked => blocked!.Message,
            RolloutStates.Paused => $"paused: {inOperation} node(s) in operation finish, {pending} pending wait for Resume-KubeOSUpgrade",
            // The nodes are read now, the operator's text may be a pass old: once they are all done, say so.
            _ => string.IsNullOrEmpty(progressing) || stateName == RolloutStates.Complete
                ? $"{done} of {nodes.Length} selected node(s) done, {inOperation} in operation, {pending} pending" + (failed > 0 ? $", {failed} failed" : "")
                : progressing,
        };

        return new KubeOSUpgrade
        {
            Name = name, Namespace = @namespace, OpsType = spec.OpsType, Version = spec.OSVersion, ImageType = spec.ImageType,
            NodeSelector = selector, ExecutionMode = spec.ExecutionMode ?? WellKnown.Defaults.ExecutionMode,
            MaxUnavailable = spec.MaxUnavailable, Paused = paused,
            SysConfigVersion = spec.SysConfigs?.Version, UpgradeConfigVersion = spec.UpgradeConfigs?.Version,
            State = stateName, Selected = nodes.Length, Done = done, InOperation = inOperation, Pending = pending, Failed = failed, Skipped = skipped,
            Message = message, Conditions = conditions, Nodes = nodes,
            Generation = os.Metadata?.Generation, ObservedGeneration = observed, OS = os,
            PlannedBatches = PlanNumber(status, "batches"), NextBatch = PlanNodes(status), NextStage = PlanText(status, "nextstage"),
            Eta = PlanText(status, "eta"),
        };
    }

    private static KubeOSUpgradeNode DescribeNode(OS os, string name, string @namespace, V1Node node, OSInstance? osi)
    {
        var spec = os.Spec ?? new OSSpec();
        var osImage = node.Status?.NodeInfo?.OsImage;
        var isConfig = spec.OpsType == WellKnown.OpsTypes.Config;
        var wantedConfig = spec.SysConfigs?.Version ?? "";
        var appliedConfig = osi?.Status?.SysConfigs?.Version ?? "";
        var owner = osi?.Spec?.NamespacedName;
        var assigned = osi?.Spec?.NodeStatus is { } nodeStatus && nodeStatus != WellKnown.NodeStatuses.Idle &&
                       owner?.Name == name && (owner.Namespace ?? WellKnown.OSInstanceNamespace) == @namespace;
        var done = isConfig ? osImage == spec.OSVersion && appliedConfig == wantedConfig : osImage == spec.OSVersion;
        var failed = osi?.Status is { Phase: NodePhases.Failed, Operation: { } op } &&
                     op.OS?.Name == name && (op.OS?.Namespace ?? WellKnown.OSInstanceNamespace) == @namespace &&
                     op.OpsType == spec.OpsType && op.TargetVersion == spec.OSVersion &&
                     (!isConfig || (op.ConfigVersion ?? "") == wantedConfig);
        // A config for another OS version never runs on the node (the operator leaves it out and counts it as skipped);
        // a node whose drain gave up under spec.drain.escalation.action skip is counted the same way.
        var skipped = isConfig && osImage != spec.OSVersion ||
                      failed && osi?.Status?.Operation?.FailureReason == NodeFailureReasons.DrainSkipped;
        if (skipped) failed = false;

        var state = assigned ? RolloutStates.InOperation
            : done ? RolloutStates.Done
            : failed ? RolloutStates.Failed
            : skipped ? RolloutStates.Skipped
            : RolloutStates.Pending;
        return new KubeOSUpgradeNode
        {
            Name = node.Metadata.Name, State = state, OSVersion = osImage, TargetVersion = spec.OSVersion,
            NodeStatus = osi?.Spec?.NodeStatus ?? "-", Phase = osi?.Status?.Phase,
            Message = osi is null ? "no OSInstance yet: is os-proxy running on the node?" : osi.Status?.Message,
            SysConfigVersion = osi?.Status?.SysConfigs?.Version,
            History = KubeOSNodeHistory.Of(node.Metadata.Name, osi),
        };
    }

    private static KubeOSUpgradeCondition[] Conditions(Dictionary<string, JsonElement>? status)
    {
        if (status is null || !status.TryGetValue("conditions", out var list) || list.ValueKind != JsonValueKind.Array) return [];
        return list.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object).Select(c => new KubeOSUpgradeCondition
        {
            Type = Text(c, "type") ?? "",
            Status = Text(c, "status") ?? "Unknown",
            Reason = Text(c, "reason"),
            Message = Text(c, "message"),
            LastTransitionTime = DateTime.TryParse(Text(c, "lastTransitionTime"), CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : null,
        }).ToArray();
    }

    private static JsonElement? Plan(Dictionary<string, JsonElement>? status) =>
        status is not null && status.TryGetValue("plan", out var plan) && plan.ValueKind == JsonValueKind.Object ? plan : null;

    private static int? PlanNumber(Dictionary<string, JsonElement>? status, string property) =>
        Plan(status) is { } plan && plan.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static string? PlanText(Dictionary<string, JsonElement>? status, string property) =>
        Plan(status) is { } plan ? Text(plan, property) : null;

    private static string[] PlanNodes(Dictionary<string, JsonElement>? status) =>
        Plan(status) is { } plan && plan.TryGetProperty("nextbatch", out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!).ToArray()
            : [];

    private static string? Text(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
