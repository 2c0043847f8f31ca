namespace KubeOS.Client.Configuration;

/// <summary>Where the kubeconfig a cmdlet uses came from, in the order they are tried.</summary>
public enum KubeconfigOrigin
{
    /// <summary>The -Kubeconfig parameter.</summary>
    Parameter,

    /// <summary>The sandbox started in this PowerShell session (Start-KubeOSSandbox).</summary>
    SessionSandbox,

    /// <summary>The KUBECONFIG environment variable (one or more files, merged as kubectl merges them).</summary>
    EnvironmentVariable,

    /// <summary>~/.kube/config.</summary>
    UserConfig,
}
