namespace KubeOS.ImageBuilder;

public enum ImageArtifactKind
{
    RawDisk,
    Qcow2Disk,
    RootImage,
    RootfsTar,
    OciLayout,
    VerityHashTree,
    /// <summary>The kernel a PXE server boots (vmlinuz).</summary>
    Kernel,
    /// <summary>The PXE installer initramfs.</summary>
    Initramfs,
}

/// <summary>A file (or for <see cref="ImageArtifactKind.OciLayout"/> a folder) the build produced.</summary>
public sealed record ImageArtifact(ImageArtifactKind Kind, string Path, long SizeBytes, string? Sha256);

public sealed record ImageBuildResult
{
    public required ImageType Type { get; init; }
    public required string Version { get; init; }
    public required IReadOnlyList<ImageArtifact> Artifacts { get; init; }
    /// <summary>True when the rootfs came from the cache.</summary>
    public bool RootfsFromCache { get; init; }
    public long RootfsBytes { get; init; }
    /// <summary>dm-verity root hash of ROOT-A (verity builds only).</summary>
    public string? VerityRootHash { get; init; }
    /// <summary>Digest of the OCI image manifest (upgrade builds); the value for an OS object's <c>checksum</c>.</summary>
    public string? ManifestDigest { get; init; }
    public string? PushedReference { get; init; }
    public TimeSpan Duration { get; init; }

    public ImageArtifact? Find(ImageArtifactKind kind) => Artifacts.FirstOrDefault(a => a.Kind == kind);
}
