using KubeOS.ImageBuilder.Configuration;

namespace KubeOS.ImageBuilder;

/// <summary>Everything one build needs. Either <see cref="ConfigPath"/> or <see cref="Config"/> is set.</summary>
public sealed record ImageBuildOptions
{
    public string? ConfigPath { get; init; }
    public ImageConfig? Config { get; init; }
    public ImageType Type { get; init; } = ImageType.Vm;
    /// <summary>Where artefacts are written (created if missing).</summary>
    public string OutputDirectory { get; init; } = Path.Combine(Environment.CurrentDirectory, "kbimg-out");
    /// <summary>Rootfs tarballs and downloaded packages, reused across builds.</summary>
    public string CacheDirectory { get; init; } = DefaultCacheDirectory;
    /// <summary>Scratch space; a fresh folder below it is used and removed after the build.</summary>
    public string? WorkDirectory { get; init; }
    /// <summary>Also write a qcow2 copy of the VM disk.</summary>
    public bool Qcow2 { get; init; } = true;
    /// <summary>Upgrade images: push the OCI image to this reference (host[:port]/repository[:tag]).</summary>
    public string? PushReference { get; init; }
    /// <summary>Talk plain HTTP to the registry (a local registry without TLS).</summary>
    public bool PlainHttpRegistry { get; init; }
    /// <summary>Ignore cached rootfs tarballs (downloaded packages are still reused).</summary>
    public bool NoCache { get; init; }
    public bool KeepWorkDirectory { get; init; }

    public static string DefaultCacheDirectory =>
        Environment.GetEnvironmentVariable("KUBEOS_IMAGE_CACHE") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? x
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "kubeos-image");
}
