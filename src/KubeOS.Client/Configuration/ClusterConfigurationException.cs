namespace KubeOS.Client.Configuration;

/// <summary>Why no cluster could be chosen from the kubeconfig; <see cref="Reason"/> lets callers map it to their own error ids.</summary>
public sealed class ClusterConfigurationException(ClusterConfigurationError reason, string message, string fix, Exception? inner = null)
    : Exception(message, inner)
{
    public ClusterConfigurationError Reason { get; } = reason;

    /// <summary>What the user should change.</summary>
    public string Fix { get; } = fix;
}

public enum ClusterConfigurationError
{
    /// <summary>No -Kubeconfig, no sandbox, no KUBECONFIG and no ~/.kube/config.</summary>
    NoneConfigured,

    /// <summary>A kubeconfig file that was named does not exist.</summary>
    FileNotFound,

    /// <summary>The kubeconfig exists but cannot be read or used.</summary>
    Unreadable,

    /// <summary>The context asked for is not in the kubeconfig.</summary>
    ContextNotFound,
}
