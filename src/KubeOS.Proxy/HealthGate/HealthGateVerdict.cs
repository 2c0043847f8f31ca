using System.Globalization;
using KubeOS.Api.Models;

namespace KubeOS.Proxy.HealthGate;

public enum GateOutcome
{
    /// <summary>Keep checking; record the message and the gate record.</summary>
    Wait,
    /// <summary>Every check passed for the whole bake time.</summary>
    Passed,
    /// <summary>The timeout passed without the checks passing through the bake time: roll back.</summary>
    Failed,
}

public sealed record GateVerdict(GateOutcome Outcome, string Message, HealthGateRecord Record);

/// <summary>
/// The health gate after a node's reboot (spec.healthgate): pure, from the last observation, what the operation
/// recorded so far, when the gate began, and the clock. A failing check restarts the bake time; the timeout counts
/// from the start of the gate, so a node that flaps fails as surely as one that never passes.
/// </summary>
public static class HealthGateVerdicts
{
    public static GateVerdict Decide(HealthGateSpec gate, HealthObservation observed, HealthGateRecord? record, DateTimeOffset gateStartedAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(observed);
        var bake = TimeSpan.FromSeconds(Math.Max(0, gate.BakeTime ?? 0));
        var timeout = TimeSpan.FromSeconds(Math.Max(1, gate.Timeout ?? HealthGateSpec.DefaultTimeout));
        var deadline = gateStartedAt + timeout;

        if (observed.Healthy)
        {
            var since = record?.PassingSince ?? now;
            var passing = new HealthGateRecord { PassingSince = since };
            if (now - since >= bake)
                return new(GateOutcome.Passed, $"health gate passed: every check held for {bake.TotalSeconds:0} s",
                    new HealthGateRecord { PassingSince = since, Result = HealthGateResults.Passed });
            if (now >= deadline)
                return Fail(gate, $"the bake time of {bake.TotalSeconds:0} s did not complete within the timeout of {timeout.TotalSeconds:0} s", timeout);
            return new(GateOutcome.Wait, $"health gate: every check passes since {Time(since)}; baking until {Time(since + bake)}", passing);
        }
        var why = string.Join("; ", observed.Failures);
        if (now >= deadline) return Fail(gate, why, timeout);
        return new(GateOutcome.Wait, $"health gate: waiting: {why} (fails at {Time(deadline)})", new HealthGateRecord());
    }

    private static GateVerdict Fail(HealthGateSpec gate, string why, TimeSpan timeout) =>
        new(GateOutcome.Failed, $"health gate failed after {timeout.TotalSeconds:0} s: {why}",
            new HealthGateRecord { Result = HealthGateResults.Failed, Message = why });

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
