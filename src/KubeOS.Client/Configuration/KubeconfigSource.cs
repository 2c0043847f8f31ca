namespace KubeOS.Client.Configuration;

/// <summary>The kubeconfig file(s) chosen for a cluster call and why they were chosen.</summary>
public sealed record KubeconfigSource(IReadOnlyList<string> Paths, KubeconfigOrigin Origin)
{
    /// <summary>
    /// Picks the kubeconfig: an explicit path first, then the sandbox this session started, then <c>KUBECONFIG</c>,
    /// then <c>~/.kube/config</c>. The session's sandbox comes before the ambient configuration on purpose: after
    /// Start-KubeOSSandbox a script must not reach the real cluster a developer's kubeconfig points at.
    /// Returns null when there is nothing to use.
    /// </summary>
    public static KubeconfigSource? Resolve(string? explicitPath, string? sessionSandboxKubeconfig,
        string? kubeconfigVariable, string? homeDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return new KubeconfigSource([explicitPath], KubeconfigOrigin.Parameter);
        }
        if (!string.IsNullOrWhiteSpace(sessionSandboxKubeconfig))
        {
            return new KubeconfigSource([sessionSandboxKubeconfig], KubeconfigOrigin.SessionSandbox);
        }
        if (!string.IsNullOrWhiteSpace(kubeconfigVariable))
        {
            // kubectl's rule: a path list (':' on Unix, ';' on Windows), empty entries ignored, missing files skipped.
            var paths = kubeconfigVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Distinct(StringComparer.Ordinal).ToList();
            var existing = paths.Where(File.Exists).ToList();
            if (existing.Count > 0)
            {
                return new KubeconfigSource(existing, KubeconfigOrigin.EnvironmentVariable);
            }
            if (paths.Count > 0)
            {
                // Named but absent: report it rather than silently falling back to another cluster.
                return new KubeconfigSource(paths, KubeconfigOrigin.EnvironmentVariable);
            }
        }
        if (!string.IsNullOrEmpty(homeDirectory))
        {
            var user = Path.Combine(homeDirectory, ".kube", "config");
            if (File.Exists(user))
            {
                return new KubeconfigSource([user], KubeconfigOrigin.UserConfig);
            }
        }
        return null;
    }

    /// <summary><see cref="Resolve"/> with this process's <c>KUBECONFIG</c> and home directory.</summary>
    public static KubeconfigSource? FromEnvironment(string? explicitPath, string? sessionSandboxKubeconfig) =>
        Resolve(explicitPath, sessionSandboxKubeconfig, Environment.GetEnvironmentVariable("KUBECONFIG"),
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    public string Describe() => Origin switch
    {
        KubeconfigOrigin.Parameter => $"-Kubeconfig {Paths[0]}",
        KubeconfigOrigin.SessionSandbox => $"this session's sandbox ({Paths[0]})",
        KubeconfigOrigin.EnvironmentVariable => $"KUBECONFIG ({string.Join(Path.PathSeparator, Paths)})",
        _ => Paths[0],
    };
}
