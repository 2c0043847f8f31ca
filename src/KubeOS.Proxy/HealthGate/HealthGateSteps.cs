using KubeOS.Api.Models;
using KubeOS.Proxy.Steps;

namespace KubeOS.Proxy.HealthGate;

/// <summary>
/// The steps of the health gate inside <see cref="NodeStepPlanner"/>: after the reboot onto the target, before the
/// boot is confirmed, the node is held (keeping its slot) until <see cref="HealthGateVerdicts"/> passes it; a node that
/// fails is rolled back to the partition it came from, then failed and left cordoned with a Node condition and Event.
/// </summary>
public static class HealthGateSteps
{
    /// <summary>Null when the OS has no health gate or this operation's gate has passed.</summary>
    public static NodeStep? OnTarget(NodeSituation s, NodeView node, OSInstance osi, OS owner, NodeOperation op,
        Func<StepKind, string, string, NodeStep> step, Func<string, string, TimeSpan, NodeStep> wait, Func<string, string, NodeStep> fail)
    {
        if (owner.Spec?.HealthGate is not { } gate || op.HealthGate?.Result == HealthGateResults.Passed) return null;

        if (op.HealthGate?.Result == HealthGateResults.Failed)
        {
            // The same deadline as an upgrade's reboot: a rollback that never happens must not hold the node in Rebooting.
            var timeout = (s.Timings ?? ProxyTimings.Default).RebootTimeout;
            if (s.Now - (op.PhaseStartedAt ?? s.Now) >= timeout)
                return HeldCordoned(fail, NodeFailureReasons.HealthGateRollbackTimeout,
                    $"{owner.Spec?.OSVersion} failed the health gate ({op.HealthGate.Message}) but the rollback to {op.FromVersion} " +
                    $"did not happen within {timeout.TotalMinutes:0} minutes: the node still runs {node.OsImage}; check os-agent's log " +
                    "on the node and which boot entry is its default; the node stays cordoned for inspection: uncordon it when done");
            // The rollback was asked for; the node has not rebooted yet. Ask again if the agent did not arm it.
            if (s.Agent is { NextEntry: "" } agent && node.BootId == op.BootId && s.Now - (op.PhaseStartedAt ?? s.Now) > NodeStepPlanner.Poll)
                return Rollback(s, node, op, step, agent, $"health gate failed: {op.HealthGate.Message}");
            return wait(NodePhases.Rebooting, $"health gate failed: {op.HealthGate.Message}; waiting for the node to reboot into {op.FromVersion}", NodeStepPlanner.Poll);
        }

        if (s.Health is not { } observed)
            return wait(NodePhases.Verifying, "health gate: checking the node", NodeStepPlanner.Poll);
        var startedAt = osi.Status?.Phase == NodePhases.Verifying ? op.PhaseStartedAt ?? s.Now : s.Now;
        var verdict = HealthGateVerdicts.Decide(gate, observed, op.HealthGate, startedAt, s.Now);
        switch (verdict.Outcome)
        {
            case GateOutcome.Wait:
                var waiting = wait(NodePhases.Verifying, verdict.Message, NodeStepPlanner.Poll);
                return waiting with { Operation = waiting.Operation!.With(healthGate: verdict.Record) };
            case GateOutcome.Passed:
                var confirm = step(StepKind.ConfirmBoot, NodePhases.Verifying, $"{verdict.Message}; confirming the boot");
                // A condition left by an earlier failed gate no longer holds: this version passed.
                var cleared = node.HealthGateFailed
                    ? new NodeNotice(NodeObjectConditions.HealthGateFailed, "HealthGatePassed", $"{owner.Spec?.OSVersion} passed the health gate", Active: false)
                    : null;
                return confirm with { Operation = confirm.Operation!.With(healthGate: verdict.Record), Notice = cleared };
            default:
                if (s.Agent is not { } status)
                    return wait(NodePhases.Verifying, $"{verdict.Message}; waiting for os-agent to roll back", NodeStepPlanner.Poll);
                var rollback = Rollback(s, node, op, step, status, verdict.Message);
                return rollback with { Operation = rollback.Operation!.With(healthGate: verdict.Record) };
        }
    }

    /// <summary>The node rebooted after the gate failed: confirm the boot it came back on if needed, then fail it, cordoned.</summary>
    public static NodeStep RolledBack(NodeSituation s, NodeView node, OS owner, NodeOperation op,
        Func<StepKind, string, string, NodeStep> step, Func<string, string, NodeStep> fail)
    {
        var actual = node.OsImage ?? "(unknown)";
        if (s.Agent is { BootPendingConfirmation: true })
            return step(StepKind.ConfirmBoot, NodePhases.Verifying, $"back on {actual} after the health gate failed; confirming the boot");
        var message = $"rolled back to {actual}: {owner.Spec?.OSVersion} failed the health gate ({op.HealthGate?.Message}); " +
                      "the node stays cordoned for inspection: uncordon it when done";
        return HeldCordoned(fail, NodeFailureReasons.HealthGateFailed, message);
    }

    /// <summary>Failed and left cordoned, with the Node condition and Event, so the node is inspected before it serves again.</summary>
    private static NodeStep HeldCordoned(Func<string, string, NodeStep> fail, string reason, string message)
    {
        var failed = fail(message, reason);
        return failed with
        {
            Release = failed.Release! with { Uncordon = false },
            Notice = new NodeNotice(NodeObjectConditions.HealthGateFailed, reason, message),
        };
    }

    private static NodeStep Rollback(NodeSituation s, NodeView node, NodeOperation op, Func<StepKind, string, string, NodeStep> step,
        Api.Agent.StatusResult agent, string why)
    {
        var rollback = step(StepKind.RequestRollback, NodePhases.Rebooting,
            $"{why}; rolling back to partition {agent.Inactive.Name} ({agent.Inactive.Version}) and rebooting");
        return rollback with { Operation = rollback.Operation!.With(bootId: node.BootId ?? op.BootId) };
    }
}
