using KubeOS.Api.Agent;
using KubeOS.Api.Models;

namespace KubeOS.Proxy.Steps;

/// <summary>Everything the step planner decides from, observed just before it runs.</summary>
/// <param name="NodeName">The node this proxy runs on.</param>
/// <param name="Node">The node; null when the API server does not know it.</param>
/// <param name="Instance">The node's OSInstance (default/&lt;node&gt;); null when it does not exist yet.</param>
/// <param name="Owner">The OS named by the instance's spec.namespacedname; null when that OS is gone (or none is named).</param>
/// <param name="Agent">os-agent's status; null when it could not be asked.</param>
/// <param name="Now">The clock.</param>
/// <param name="Timings">Deadlines; <see cref="ProxyTimings.Default"/> when null.</param>
/// <param name="PrestageOwner">The OS named by spec.prestage; null when none is named or it is gone.</param>
/// <param name="Health">The health gate's checks, observed only while a gate runs.</param>
public sealed record NodeSituation(
    string NodeName,
    NodeView? Node,
    OSInstance? Instance,
    OS? Owner,
    StatusResult? Agent,
    DateTimeOffset Now,
    ProxyTimings? Timings = null,
    OS? PrestageOwner = null,
    HealthGate.HealthObservation? Health = null);

/// <summary>How long the proxy waits for a drain and for the reboot it asked for before it fails the node.</summary>
public sealed record ProxyTimings(TimeSpan DrainTimeout, TimeSpan RebootTimeout)
{
    public static ProxyTimings Default { get; } = new(Drain.DrainDeadline.DefaultTimeout, TimeSpan.FromMinutes(15));
}
