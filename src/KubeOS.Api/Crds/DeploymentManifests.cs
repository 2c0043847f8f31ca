namespace KubeOS.Api.Crds;

/// <summary>
/// The manifests that deploy KubeOS on a cluster besides the CRDs, embedded from module/deploy/operator: the
/// upgrade-system namespace, RBAC, the os-operator Deployment and the os-proxy DaemonSet.
/// </summary>
public static class DeploymentManifests
{
    private const string Prefix = "deploy/";
    private static readonly Lazy<IReadOnlyList<(string File, string Yaml)>> Loaded = new(Load);

    /// <summary>File name → YAML text (one or more documents), by file name; <see cref="DeploymentOrder"/> orders the objects.</summary>
    public static IReadOnlyList<(string File, string Yaml)> All => Loaded.Value;

    /// <summary>The namespace every other object lives in.</summary>
    public const string Namespace = "upgrade-system";

    private static IReadOnlyList<(string File, string Yaml)> Load()
    {
        var assembly = typeof(DeploymentManifests).Assembly;
        var result = new List<(string File, string Yaml)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            result.Add((resource[Prefix.Length..], reader.ReadToEnd()));
        }
        return result.OrderBy(m => m.File, StringComparer.Ordinal).ToList();
    }
}
