namespace KubeOS.Operator.Hosting;

/// <summary>Settings of os-operator: the "Operator" configuration section, environment variables Operator__*.</summary>
public sealed class OperatorOptions
{
    /// <summary>A kubeconfig file; empty uses the in-cluster service account, or ~/.kube/config outside a cluster.</summary>
    public string Kubeconfig { get; set; } = "";

    /// <summary>Longest wait between passes when nothing changes (watch events wake the loop sooner).</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Shortest time between two passes started by watch events, so a burst of changes costs one list of the cluster.</summary>
    public TimeSpan MinPassInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>IANA or Windows id for time windows; empty uses the process's local zone (/etc/localtime, as KubeOS).</summary>
    public string TimeZone { get; set; } = "";

    /// <summary>Only the holder of the Lease reconciles; turn off only for a single replica you run by hand.</summary>
    public bool LeaderElection { get; set; } = true;

    public string LeaseName { get; set; } = "upgrade-operator";

    /// <summary>Empty: POD_NAMESPACE, else upgrade-system.</summary>
    public string LeaseNamespace { get; set; } = "";

    /// <summary>This replica's name in the Lease; empty: POD_NAME, else the host name, plus a random suffix.</summary>
    public string Identity { get; set; } = "";

    /// <summary>Port of the Prometheus endpoint /metrics; 0 serves none.</summary>
    public int MetricsPort { get; set; }

    /// <summary>Address the metrics endpoint listens on; "+" is every address.</summary>
    public string MetricsHost { get; set; } = "+";

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The zone time windows are evaluated in.</summary>
    public TimeZoneInfo Zone() => TimeZone.Length == 0 ? TimeZoneInfo.Local : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>Bad settings, each naming the setting and the fix; empty when usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (ResyncInterval <= TimeSpan.Zero) problems.Add($"Operator:ResyncInterval must be positive, got {ResyncInterval}; e.g. 00:00:30");
        if (MinPassInterval < TimeSpan.Zero || MinPassInterval > ResyncInterval)
            problems.Add($"Operator:MinPassInterval must be between 0 and ResyncInterval ({ResyncInterval}), got {MinPassInterval}; e.g. 00:00:01");
        if (MetricsPort is < 0 or > 65535) problems.Add($"Operator:MetricsPort must be between 0 (off) and 65535, got {MetricsPort}; e.g. 9090");
        if (MetricsPort > 0 && string.IsNullOrWhiteSpace(MetricsHost)) problems.Add("Operator:MetricsHost is empty; use + for every address or 127.0.0.1");
        if (TimeZone.Length > 0)
        {
            try { TimeZoneInfo.FindSystemTimeZoneById(TimeZone); }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                problems.Add($"Operator:TimeZone \"{TimeZone}\" is not a known time zone; use an IANA id such as Asia/Shanghai, or leave it empty for the local zone");
            }
        }
        if (LeaderElection)
        {
            if (string.IsNullOrWhiteSpace(LeaseName)) problems.Add("Operator:LeaseName is empty; the default is upgrade-operator");
            if (LeaseDuration < TimeSpan.FromSeconds(1) || LeaseDuration.TotalSeconds != Math.Floor(LeaseDuration.TotalSeconds))
                problems.Add($"Operator:LeaseDuration must be whole seconds, at least 1 (the Lease stores seconds), got {LeaseDuration}; e.g. 00:00:15");
            if (RenewDeadline <= TimeSpan.Zero || RenewDeadline >= LeaseDuration)
                problems.Add($"Operator:RenewDeadline must be positive and shorter than LeaseDuration ({LeaseDuration}), got {RenewDeadline}; e.g. 00:00:10");
            if (RetryPeriod <= TimeSpan.Zero || RetryPeriod >= RenewDeadline)
                problems.Add($"Operator:RetryPeriod must be positive and shorter than RenewDeadline ({RenewDeadline}), got {RetryPeriod}; e.g. 00:00:02");
        }
        return problems;
    }

    public string EffectiveLeaseNamespace() =>
        LeaseNamespace.Length > 0 ? LeaseNamespace : Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } ns ? ns : "upgrade-system";

    public string EffectiveIdentity() =>
        Identity.Length > 0 ? Identity
            : $"{(Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod : Environment.MachineName)}_{Guid.NewGuid().ToString("N")[..8]}";
}
