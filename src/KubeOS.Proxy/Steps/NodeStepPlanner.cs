using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Proxy.HealthGate;

namespace KubeOS.Proxy.Steps;

/// <summary>
/// The proxy's decision function: from the node, its OSInstance, the owning OS, the agent's status and the clock, the
/// one next step. Pure: no I/O and no clock of its own, so a restarted proxy decides the same from the same cluster.
/// </summary>
/// <remarks>
/// Follows KubeOS's branches (kubeos.md §3.2): A when the node runs the wanted version (sysconfigs, then release),
/// B when it does not (upgradeconfigs → prepare while still serving → cordon → drain → upgrade|rollback). Differences,
/// each closing a hole of §3.6/§9.3: a deleted owning OS releases the node; config on a node of another version, a
/// node back from its reboot on the wrong version, a rollback to a partition that does not hold the version, a reboot
/// that never happens, a failed drain — each fails the node with a reason instead of looping; a staged image is not
/// fetched again; only a cordon the proxy made is undone; a reboot is recognised by the node's bootID.
/// </remarks>
public static class NodeStepPlanner
{
    public static readonly TimeSpan Soon = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Idle = TimeSpan.FromSeconds(15);

    public static NodeStep Next(NodeSituation s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var status = s.Instance?.Status;
        if (s.Node is not { } node)
            return new NodeStep(StepKind.Nothing, status?.Phase ?? NodePhases.Idle, $"node {s.NodeName} is not registered with the API server")
                { RequeueAfter = Idle };
        if (s.Instance is not { } osi)
            return new NodeStep(StepKind.CreateInstance, NodePhases.Idle, $"created the OSInstance of node {s.NodeName}");

        var spec = osi.Spec ?? new OSInstanceSpec();
        if (spec.NamespacedName is not { } ownerName)
        {
            if (Prestage.PrestageStepPlanner.Next(s) is { } stage) return stage;
            // Nothing assigned. A finished operation's phase and message stay visible until the next one starts.
            return NodePhases.IsTerminal(status?.Phase)
                ? new NodeStep(StepKind.Nothing, status!.Phase!, status.Message ?? "") { RequeueAfter = Idle }
                : new NodeStep(StepKind.Nothing, NodePhases.Idle, "no operation assigned") { RequeueAfter = Idle };
        }

        if (s.Owner is not { } owner)
            return Release(s, StepKind.Complete, NodePhases.Idle, status?.Operation,
                $"OS {ownerName.Namespace ?? "default"}/{ownerName.Name} was deleted; the operation is abandoned and the node released");
        owner = Revert.RevertOwner.Apply(owner, spec.Revert);

        if (spec.NodeStatus is null or WellKnown.NodeStatuses.Idle)
        {
            return HasOperationLabel(node)
                ? Release(s, StepKind.Complete, NodePhases.Idle, status?.Operation,
                    "the node is labelled for an operation but its OSInstance is idle; label removed")
                : new NodeStep(StepKind.Nothing, NodePhases.Idle, "no operation assigned") { RequeueAfter = Idle };
        }

        var os = owner.Spec ?? new OSSpec();
        var opsType = os.OpsType ?? "";
        var target = os.OSVersion ?? "";
        var previous = status?.Operation;

        if (SameTarget(previous, owner) && NodePhases.IsTerminal(status?.Phase))
        {
            // The release after a success or failure was interrupted: finish it, changing nothing that was recorded.
            return status!.Phase == NodePhases.Failed
                ? Release(s, StepKind.Fail, NodePhases.Failed, previous, status.Message ?? "", previous!.FailureReason)
                : Release(s, StepKind.Complete, NodePhases.Succeeded, previous, status.Message ?? "");
        }

        var op = SameTarget(previous, owner) && status?.Phase is not (null or NodePhases.Idle)
            ? previous!
            : Start(s, owner, previous);
        var ctx = new Context(s, node, osi, spec, owner, op);

        if (!WellKnown.OpsTypes.All.Contains(opsType))
            return ctx.Wait(NodePhases.Assigned, $"OS {OwnerText(owner)} has opstype \"{opsType}\", which is not upgrade, config or rollback", Idle);

        return node.OsImage == target ? OnTarget(ctx) : OffTarget(ctx);
    }

    /// <summary>Branch A: the node runs the wanted version — a config operation, or back from the reboot.</summary>
    private static NodeStep OnTarget(Context c)
    {
        var os = c.Owner.Spec!;
        var isConfig = os.OpsType == WellKnown.OpsTypes.Config;
        var wanted = VersionOf(os.SysConfigs);
        var assigned = VersionOf(c.Spec.SysConfigs);
        if (wanted != assigned)
        {
            if (isConfig)
                return Release(c.S, StepKind.Reassign, NodePhases.Idle, c.Op,
                    $"sysconfigs version changed from \"{assigned}\" to \"{wanted}\"; released so the newest configuration is assigned");
            return new NodeStep(StepKind.UpdateSysConfigsSpec, c.CurrentPhaseOr(NodePhases.ApplyingSysConfigs),
                $"sysconfigs version changed from \"{assigned}\" to \"{wanted}\" during the operation; taking the new version")
                { Operation = c.Op, SysConfigsSpec = SysConfigsCopy.ForAfterReboot(os.SysConfigs) };
        }

        if (!c.Node.HasLabel(isConfig ? WellKnown.Labels.Configuring : WellKnown.Labels.Upgrading))
            return c.Wait(NodePhases.Assigned, $"waiting for the operator to label the node {(isConfig ? "configuring" : "upgrading")}", Idle);

        var applied = VersionOf(c.Osi.Status?.SysConfigs);
        if (assigned != applied)
            return c.Step(StepKind.ApplyConfigs, isConfig ? NodePhases.Configuring : NodePhases.ApplyingSysConfigs,
                $"applying sysconfigs version \"{assigned}\" (applied: \"{applied}\")") with { Configs = ConfigKind.SysConfigs };

        if (isConfig)
            return Release(c.S, StepKind.Complete, NodePhases.Succeeded, c.Op, $"applied sysconfigs version \"{assigned}\"");

        if (c.Op.BootId is not null)
        {
            if (HealthGateSteps.OnTarget(c.S, c.Node, c.Osi, c.Owner, c.Op, c.Step, c.Wait,
                    (message, reason) => Release(c.S, StepKind.Fail, NodePhases.Failed, c.Op, message, reason)) is { } gated) return gated;
            if (c.S.Agent is not { } agent)
                return c.Wait(NodePhases.Verifying, $"the node is back on {os.OSVersion}; waiting for os-agent to report the boot state", Poll);
            if (agent.BootPendingConfirmation)
                return c.Step(StepKind.ConfirmBoot, NodePhases.Verifying,
                    $"the node is back on {os.OSVersion} (partition {agent.Active.Name}); confirming the boot so it stays the default");
            return Release(c.S, StepKind.Complete, NodePhases.Succeeded, c.Op,
                $"{(os.OpsType == WellKnown.OpsTypes.Rollback ? "rolled back" : "upgraded")} from {c.Op.FromVersion} to {os.OSVersion}");
        }
        return Release(c.S, StepKind.Complete, NodePhases.Succeeded, c.Op, $"the node already runs {os.OSVersion}");
    }

    /// <summary>Branch B: the node does not run the wanted version — an upgrade or rollback to carry out.</summary>
    private static NodeStep OffTarget(Context c)
    {
        var os = c.Owner.Spec!;
        var target = os.OSVersion ?? "";
        var actual = c.Node.OsImage ?? "(unknown)";
        if (os.OpsType == WellKnown.OpsTypes.Config)
            return Release(c.S, StepKind.Fail, NodePhases.Failed, c.Op,
                $"the node runs \"{actual}\" but the config is for \"{target}\"; upgrade the node first or set osversion to \"{actual}\"",
                NodeFailureReasons.ConfigVersionMismatch);

        if (c.Op.BootId is { } bootId)
        {
            if (c.Op.HealthGate is { Result: HealthGateResults.Failed } && c.Node.BootId != bootId)
                return HealthGateSteps.RolledBack(c.S, c.Node, c.Owner, c.Op, c.Step,
                    (message, reason) => Release(c.S, StepKind.Fail, NodePhases.Failed, c.Op, message, reason));
            if (c.Node.BootId != bootId)
                return Release(c.S, StepKind.Fail, NodePhases.Failed, c.Op,
                    $"came back on {actual}, expected {target} — the new root did not boot or the image holds another version",
                    NodeFailureReasons.WrongVersionAfterReboot);
            var timeout = c.Timings.RebootTimeout;
            if (c.S.Now - (c.Op.PhaseStartedAt ?? c.S.Now) >= timeout)
                return Release(c.S, StepKind.Fail, NodePhases.Failed, c.Op,
                    $"the node did not reboot within {timeout.TotalMinutes:0} minutes of the switch to {target}; check os-agent's log on the node",
                    NodeFailureReasons.RebootTimeout);
            return c.Wait(NodePhases.Rebooting, $"waiting for the node to reboot into {target}", Poll);
        }

        var wantedUpgradeConfigs = VersionOf(os.UpgradeConfigs);
        var assignedUpgradeConfigs = VersionOf(c.Spec.UpgradeConfigs);
        if (wantedUpgradeConfigs != assignedUpgradeConfigs)
            return Release(c.S, StepKind.Reassign, NodePhases.Idle, c.Op,
                $"upgradeconfigs version changed from \"{assignedUpgradeConfigs}\" to \"{wantedUpgradeConfigs}\"; released so the newest configuration is assigned");

        if (!c.Node.HasLabel(WellKnown.Labels.Upgrading))
            return c.Wait(NodePhases.Assigned, "waiting for the operator to label the node upgrading", Idle);

        var rollback = os.OpsType == WellKnown.OpsTypes.Rollback;
        if (rollback)
        {
            if (c.S.Agent is not { } agent)
                return c.Wait(c.CurrentPhaseOr(NodePhases.Assigned), "waiting for os-agent's status to check what the other partition holds", Poll);
            if (agent.Inactive.Version != target || !agent.Inactive.Bootable)
                return Release(c.S, StepKind.Fail, NodePhases.Failed, c.Op,
                    $"rollback needs {target} but the other partition ({NameOr(agent.Inactive.Name)}) holds {Describe(agent.Inactive)}; " +
                    $"a rollback only returns to the version in the other partition — upgrade to {target} instead",
                    NodeFailureReasons.RollbackTargetMismatch);
        }

        var appliedUpgradeConfigs = VersionOf(c.Osi.Status?.UpgradeConfigs);
        if (assignedUpgradeConfigs != appliedUpgradeConfigs)
            return c.Step(StepKind.ApplyConfigs, NodePhases.ApplyingUpgradeConfigs,
                $"applying upgradeconfigs version \"{assignedUpgradeConfigs}\" (applied: \"{appliedUpgradeConfigs}\")") with { Configs = ConfigKind.UpgradeConfigs };

        if (!rollback && !IsStaged(c))
            return c.Step(StepKind.Prepare, NodePhases.Preparing, $"fetching and verifying {target} onto the inactive partition while the node still serves")
                with { SuccessPhase = NodePhases.Staged };

        if (!c.Node.Unschedulable)
        {
            var cordon = c.Step(StepKind.Cordon, NodePhases.Cordoning, "cordoning the node");
            return cordon with { Operation = cordon.Operation!.With(cordonedByUs: true) };
        }

        if (!IsDrained(c))
        {
            var startedAt = c.Osi.Status?.Phase == NodePhases.Draining ? c.Op.PhaseStartedAt ?? c.S.Now : c.S.Now;
            var timeout = c.Timings.DrainTimeout;
            return c.Step(StepKind.Drain, NodePhases.Draining, $"evicting the node's pods (deadline {timeout.TotalMinutes:0} minutes)")
                with { Drain = new DrainOrder(os.EvictPodForce == true, Drain.DrainDeadline.Of(startedAt, timeout), timeout) };
        }

        if (c.Node.BootId is not { Length: > 0 } nodeBootId)
            return c.Wait(c.CurrentPhaseOr(NodePhases.Draining), "the node reports no bootID, so its reboot could not be recognised; waiting for kubelet to report one", Idle);

        var kind = rollback ? StepKind.RequestRollback : StepKind.RequestUpgrade;
        var message = rollback
            ? $"switching to the other partition ({c.S.Agent!.Inactive.Name}) holding {target} and rebooting"
            : $"switching to the staged {target} and rebooting";
        var request = c.Step(kind, NodePhases.Rebooting, message);
        return request with { Operation = request.Operation!.With(bootId: nodeBootId) };
    }

    /// <summary>
    /// The image is already on the inactive partition: the agent reports it staged, or the recorded phase of this
    /// operation is at or past Staged and the agent reports nothing else staged. A staged image is never fetched twice.
    /// </summary>
    private static bool IsStaged(Context c)
    {
        var os = c.Owner.Spec!;
        if (c.S.Agent?.Staged is { } staged)
            return staged.Version == os.OSVersion &&
                   (string.IsNullOrEmpty(os.Checksum) || string.Equals(staged.CheckSum, os.Checksum, StringComparison.OrdinalIgnoreCase));
        return c.Osi.Status?.Phase is NodePhases.Staged or NodePhases.Cordoning or NodePhases.Draining;
    }

    /// <summary>The Drained condition was set true during this operation.</summary>
    private static bool IsDrained(Context c) =>
        c.Osi.Status?.Conditions?.FirstOrDefault(x => x.Type == NodeConditionTypes.Drained) is { Status: ConditionStatuses.True } drained &&
        drained.LastTransitionTime >= c.Op.StartedAt;

    private static NodeStep Release(NodeSituation s, StepKind kind, string phase, NodeOperation? op, string message, string? reason = null)
    {
        var node = s.Node!;
        var labels = new[] { WellKnown.Labels.Upgrading, WellKnown.Labels.Configuring }.Where(node.HasLabel).ToList();
        var ours = op?.CordonedByUs == true;
        var recorded = op is null ? null : op.With(failureReason: reason, phaseStartedAt: s.Now);
        return new NodeStep(kind, phase, message)
        {
            Operation = recorded,
            FailureReason = reason,
            Release = new Release(labels, Uncordon: ours && node.Unschedulable),
            RequeueAfter = Soon,
        };
    }

    private static NodeOperation Start(NodeSituation s, OS owner, NodeOperation? previous)
    {
        var os = owner.Spec ?? new OSSpec();
        var again = SameTarget(previous, owner);
        return new NodeOperation
        {
            OpsType = os.OpsType,
            TargetVersion = os.OSVersion,
            FromVersion = s.Node!.OsImage,
            ConfigVersion = os.SysConfigs?.Version,
            OS = new OperationOwner { Name = owner.Metadata?.Name, Namespace = owner.Metadata?.Namespace ?? "default", Generation = owner.Metadata?.Generation },
            StartedAt = s.Now,
            PhaseStartedAt = s.Now,
            CordonedByUs = false,
            Attempt = again ? (previous!.Attempt ?? 1) + 1 : 1,
        };
    }

    /// <summary>The recorded operation is for this OS, this opstype and this target (for config: this sysconfigs version).</summary>
    internal static bool SameTarget(NodeOperation? op, OS owner)
    {
        if (op is null) return false;
        var os = owner.Spec ?? new OSSpec();
        return op.OS?.Name == owner.Metadata?.Name &&
               (op.OS?.Namespace ?? "default") == (owner.Metadata?.Namespace ?? "default") &&
               op.OpsType == os.OpsType &&
               op.TargetVersion == os.OSVersion &&
               (os.OpsType != WellKnown.OpsTypes.Config || VersionOf(op.ConfigVersion) == VersionOf(os.SysConfigs));
    }

    private static bool HasOperationLabel(NodeView node) =>
        node.HasLabel(WellKnown.Labels.Upgrading) || node.HasLabel(WellKnown.Labels.Configuring);

    private static string VersionOf(SysConfigs? configs) => configs?.Version ?? "";
    private static string VersionOf(string? version) => version ?? "";
    private static string OwnerText(OS os) => $"{os.Metadata?.Namespace ?? "default"}/{os.Metadata?.Name}";
    private static string NameOr(string name) => name.Length == 0 ? "inactive" : name;
    private static string Describe(Api.Agent.PartitionStatus p) =>
        p.Version.Length == 0 ? "no bootable system" : p.Bootable ? p.Version : $"{p.Version} (not bootable)";

    private sealed record Context(NodeSituation S, NodeView Node, OSInstance Osi, OSInstanceSpec Spec, OS Owner, NodeOperation Op)
    {
        public ProxyTimings Timings => S.Timings ?? ProxyTimings.Default;

        public string CurrentPhaseOr(string phase) => Osi.Status?.Phase is { } p && !NodePhases.IsTerminal(p) && p != NodePhases.Idle ? p : phase;

        /// <summary>A step in <paramref name="phase"/>; the phase clock restarts when the phase changes.</summary>
        public NodeStep Step(StepKind kind, string phase, string message) =>
            new(kind, phase, message) { Operation = Op.With(phaseStartedAt: Osi.Status?.Phase == phase ? Op.PhaseStartedAt ?? S.Now : S.Now) };

        public NodeStep Wait(string phase, string message, TimeSpan requeue) => Step(StepKind.Nothing, phase, message) with { RequeueAfter = requeue };
    }
}
