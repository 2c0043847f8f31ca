namespace KubeOS.ImageBuilder.Rootfs;

/// <summary>The inputs that determine a base root filesystem (and so its cache key).</summary>
public sealed record RootfsRequest(string Suite, string Mirror, string? SourcesFile, IReadOnlyList<string> Packages);
