namespace KubeOS.Sandbox;

/// <summary>How a sandbox cluster is started.</summary>
public sealed class SandboxOptions
{
    /// <summary>Where to write the kubeconfig; null writes it to a fresh temporary directory.</summary>
    public string? KubeconfigPath { get; set; }

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>How many committed events are kept for watch resume and paginated lists (older ones answer 410).</summary>
    public int EventHistory { get; set; } = 50_000;

    /// <summary>How often a watch that asked for bookmarks receives one.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Watch length when the client gives no timeoutSeconds (kube-apiserver: 30 to 60 minutes).</summary>
    public TimeSpan DefaultWatchTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Bearer token clients must present; null generates a random one.</summary>
    public string? Token { get; set; }

    /// <summary>Clock for timestamps (creationTimestamp, conditions); tests may substitute one.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;
}
