using KubeOS.Api.Agent;

namespace KubeOS.Proxy.Hosting;

/// <summary>Settings of os-proxy: from the "Proxy" configuration section, environment variables Proxy__*, and NODE_NAME.</summary>
public sealed class ProxyOptions
{
    /// <summary>The node this proxy runs on; the DaemonSet passes it as NODE_NAME (downward API spec.nodeName).</summary>
    public string NodeName { get; set; } = "";

    public string AgentSocket { get; set; } = AgentMethods.DefaultSocketPath;

    /// <summary>How long a drain may take before the node fails.</summary>
    public TimeSpan DrainTimeout { get; set; } = Drain.DrainDeadline.DefaultTimeout;

    /// <summary>How long after the switch the node must have rebooted.</summary>
    public TimeSpan RebootTimeout { get; set; } = Steps.ProxyTimings.Default.RebootTimeout;

    /// <summary>The longest wait between two looks at the node (the planner asks for 1–15 s).</summary>
    public TimeSpan PollInterval { get; set; } = Steps.NodeStepPlanner.Idle;

    /// <summary>
    /// Watch the node and its OSInstance and act on their changes at once; the poll interval then only bounds the
    /// wait when nothing changes. Off: act only at each poll.
    /// </summary>
    public bool WatchOwnObjects { get; set; } = true;

    /// <summary>With <see cref="WatchOwnObjects"/>: how long an unassigned node waits between looks when no watch event comes.</summary>
    public TimeSpan IdleResync { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Port of the Prometheus endpoint /metrics; 0 serves none.</summary>
    public int MetricsPort { get; set; }

    /// <summary>Address the metrics endpoint listens on; "+" is every address.</summary>
    public string MetricsHost { get; set; } = "+";

    /// <summary>A kubeconfig file; empty uses the in-cluster service account, or ~/.kube/config outside a cluster.</summary>
    public string Kubeconfig { get; set; } = "";

    /// <summary>Bad settings, each naming the setting and the fix; empty when usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(NodeName))
            problems.Add("NODE_NAME is not set: pass the node name, e.g. env NODE_NAME from fieldRef spec.nodeName in the DaemonSet");
        if (DrainTimeout <= TimeSpan.Zero) problems.Add($"Proxy:DrainTimeout must be positive, got {DrainTimeout}; e.g. 00:10:00");
        if (RebootTimeout <= TimeSpan.Zero) problems.Add($"Proxy:RebootTimeout must be positive, got {RebootTimeout}; e.g. 00:15:00");
        if (IdleResync <= TimeSpan.Zero) problems.Add($"Proxy:IdleResync must be positive, got {IdleResync}; e.g. 00:02:00");
        if (PollInterval <= TimeSpan.Zero) problems.Add($"Proxy:PollInterval must be positive, got {PollInterval}; e.g. 00:00:15");
        if (MetricsPort is < 0 or > 65535) problems.Add($"Proxy:MetricsPort must be between 0 (off) and 65535, got {MetricsPort}; e.g. 9091");
        if (MetricsPort > 0 && string.IsNullOrWhiteSpace(MetricsHost)) problems.Add("Proxy:MetricsHost is empty; use + for every address or 127.0.0.1");
        if (string.IsNullOrWhiteSpace(AgentSocket)) problems.Add("Proxy:AgentSocket is empty; the default is " + AgentMethods.DefaultSocketPath);
        return problems;
    }
}
