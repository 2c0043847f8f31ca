namespace KubeOS.PowerShell;

/// <summary>Which ConvertTo-KubeOSManifest parameter sets a given manifest field, for error messages.</summary>
internal static class ParameterHint
{
    private static readonly (string Prefix, string Parameter)[] Map =
    [
        ("metadata.name", "Name"),
        ("metadata.namespace", "Namespace"),
        ("spec.osversion", "Version"),
        ("spec.opstype", "OpsType"),
        ("spec.imagetype", "ImageType"),
        ("spec.imageurl", "ImageUrl"),
        ("spec.containerimage", "ContainerImage"),
        ("spec.checksum", "Checksum"),
        ("spec.flagSafe", "FlagSafe"),
        ("spec.mtls", "Mtls"),
        ("spec.cacert", "CaCert"),
        ("spec.clientcert", "ClientCert"),
        ("spec.clientkey", "ClientKey"),
        ("spec.maxunavailable", "MaxUnavailable"),
        ("spec.evictpodforce", "EvictPodForce"),
        ("spec.nodeselector", "NodeSelector"),
        ("spec.timewindow", "TimeWindow"),
        ("spec.timeinterval", "TimeInterval"),
        ("spec.executionmode", "ExecutionMode"),
        ("spec.sysconfigs.version", "SysConfigVersion"),
        ("spec.sysconfigs", "SysConfig"),
        ("spec.upgradeconfigs.version", "UpgradeConfigVersion"),
        ("spec.upgradeconfigs", "UpgradeConfig"),
        .. Rollouts.RolloutSafetyParameters.Fields.Select(f => (f.Key, f.Value)),
    ];

    public static string? ParameterFor(string path) =>
        Map.FirstOrDefault(m => path == m.Prefix || path.StartsWith(m.Prefix + ".", StringComparison.Ordinal)
            || path.StartsWith(m.Prefix + "[", StringComparison.Ordinal)).Parameter;

    /// <summary>"Change -ImageUrl: " or "" when no parameter maps to the field.</summary>
    public static string For(string path) => ParameterFor(path) is { } p ? $"Change -{p}: " : "";
}
