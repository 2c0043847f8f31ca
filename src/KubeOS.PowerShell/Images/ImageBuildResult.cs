namespace KubeOS.PowerShell;

/// <summary>One file (or, for the OCI layout, folder) a build wrote, with its size and SHA-256.</summary>
public sealed class ImageArtifact
{
    /// <summary>RawDisk, Qcow2Disk, RootImage, RootfsTar, OciLayout, VerityHashTree, Kernel or Initramfs.</summary>
    public required string Kind { get; init; }
    public required string Path { get; init; }
    public long Size { get; init; }
    /// <summary>Hex SHA-256 of the file; for the OCI layout, of its image manifest.</summary>
    public string? Sha256 { get; init; }

    public override string ToString() => Path;
}

/// <summary>What New-KubeOSImage built: the artefacts and the values an OS manifest needs (digest, root hash).</summary>
public sealed class ImageBuildResult
{
    /// <summary>vm, upgrade, admin or pxe.</summary>
    public required string Type { get; init; }
    public required string Version { get; init; }
    public required IReadOnlyList<ImageArtifact> Artefacts { get; init; }
    public TimeSpan Duration { get; init; }
    /// <summary>True when the base root filesystem came from the cache instead of a package installation.</summary>
    public bool RootfsFromCache { get; init; }
    /// <summary>Digest of the OCI image manifest (upgrade and admin images); for upgrades the <c>checksum</c> of a docker/containerd upgrade.</summary>
    public string? Digest { get; init; }
    /// <summary>dm-verity root hash (images with <c>[dm_verity]</c>).</summary>
    public string? RootHash { get; init; }
    /// <summary>Where the image was pushed, with -Push.</summary>
    public string? PushedReference { get; init; }

    internal static ImageBuildResult From(KubeOS.ImageBuilder.ImageBuildResult result) => new()
    {
        Type = Images.ImageTypeParameter.Name(result.Type),
        Version = result.Version,
        Artefacts = result.Artifacts
            .Select(a => new ImageArtifact { Kind = a.Kind.ToString(), Path = a.Path, Size = a.SizeBytes, Sha256 = a.Sha256 })
            .ToList(),
        Duration = result.Duration,
        RootfsFromCache = result.RootfsFromCache,
        Digest = result.ManifestDigest,
        RootHash = result.VerityRootHash,
        PushedReference = result.PushedReference,
    };
}
