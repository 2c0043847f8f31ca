using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace KubeOS.Client.Configuration;

/// <summary>Reads a <see cref="KubeconfigSource"/> into client settings for one context.</summary>
public static class KubeconfigLoader
{
    /// <summary>The context names of the kubeconfig, the current one first; empty when the files cannot be read.</summary>
    public static IReadOnlyList<string> ContextNames(KubeconfigSource source)
    {
        try
        {
            var config = Read(source);
            var names = (config.Contexts ?? []).Select(c => c.Name).Where(n => !string.IsNullOrEmpty(n)).ToList();
            return names.OrderBy(n => n == config.CurrentContext ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal).ToList();
        }
        catch (ClusterConfigurationException)
        {
            return [];
        }
    }

    /// <summary>Client settings for <paramref name="context"/> (null: the kubeconfig's current context).</summary>
    public static ClusterTarget Load(KubeconfigSource source, string? context)
    {
        var config = Read(source);
        var contextName = string.IsNullOrEmpty(context) ? config.CurrentContext : context;
        if (string.IsNullOrEmpty(contextName))
        {
            throw new ClusterConfigurationException(ClusterConfigurationError.ContextNotFound,
                $"The kubeconfig {source.Describe()} has no current-context.",
                "Name a context with -Context, or set one with 'kubectl config use-context <name>'.");
        }
        if (config.Contexts?.Any(c => c.Name == contextName) != true)
        {
            var known = string.Join(", ", (config.Contexts ?? []).Select(c => c.Name));
            throw new ClusterConfigurationException(ClusterConfigurationError.ContextNotFound,
                $"The context '{contextName}' is not in the kubeconfig {source.Describe()}.",
                known.Length == 0 ? "The kubeconfig defines no contexts; add one or use another kubeconfig."
                    : $"Use one of its contexts: {known}.");
        }
        try
        {
            var settings = KubernetesClientConfiguration.BuildConfigFromConfigObject(config, currentContext: contextName);
            return new ClusterTarget(source, contextName, settings);
        }
        catch (KubeConfigException ex)
        {
            throw new ClusterConfigurationException(ClusterConfigurationError.Unreadable,
                $"The context '{contextName}' of {source.Describe()} cannot be used: {ex.Message}",
                "Check the context's cluster and user entries in the kubeconfig.", ex);
        }
    }

    /// <summary>
    /// kubectl's merge rule for a KUBECONFIG list: the first file that sets a value wins, for current-context and for
    /// every named cluster, user and context.
    /// </summary>
    private static K8SConfiguration Merge(IReadOnlyList<K8SConfiguration> files)
    {
        if (files.Count == 1) return files[0];
        var merged = files[0];
        merged.CurrentContext = files.Select(f => f.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c));
        merged.Contexts = files.SelectMany(f => f.Contexts ?? []).DistinctBy(c => c.Name).ToList();
        merged.Clusters = files.SelectMany(f => f.Clusters ?? []).DistinctBy(c => c.Name).ToList();
        merged.Users = files.SelectMany(f => f.Users ?? []).DistinctBy(u => u.Name).ToList();
        return merged;
    }

    private static K8SConfiguration Read(KubeconfigSource source)
    {
        var missing = source.Paths.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            throw new ClusterConfigurationException(ClusterConfigurationError.FileNotFound,
                $"The kubeconfig file '{missing[0]}' (from {source.Origin}) does not exist.",
                source.Origin == KubeconfigOrigin.EnvironmentVariable
                    ? "Fix the KUBECONFIG environment variable, or pass -Kubeconfig with the path of an existing file."
                    : "Pass -Kubeconfig with the path of an existing kubeconfig file.");
        }
        try
        {
            return Merge(source.Paths.Select(KubeconfigFile.Load).ToList());
        }
        catch (Exception ex) when (KubeconfigFile.IsUnreadable(ex) || ex is ArgumentException)
        {
            throw new ClusterConfigurationException(ClusterConfigurationError.Unreadable,
                $"The kubeconfig {source.Describe()} cannot be read: {ex.Message}",
                "Check that the file is a kubeconfig (YAML with clusters, users and contexts) and that it is readable.", ex);
        }
    }
}

/// <summary>One context of a kubeconfig, ready to connect to.</summary>
public sealed record ClusterTarget(KubeconfigSource Source, string Context, KubernetesClientConfiguration Settings)
{
    public string Server => Settings.Host;

    /// <summary>Identifies the cluster for caches: same files, same context, same server.</summary>
    public string CacheKey => $"{string.Join(Path.PathSeparator, Source.Paths)}|{Context}|{Server}";
}
