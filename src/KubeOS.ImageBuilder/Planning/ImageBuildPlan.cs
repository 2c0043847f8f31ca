namespace KubeOS.ImageBuilder.Planning;

/// <summary>What a build would do, without doing it: stages, artefact paths, partitions and whether the rootfs is cached.</summary>
public sealed record ImageBuildPlan
{
    public required ImageType Type { get; init; }
    public required string Version { get; init; }
    public required IReadOnlyList<ImageBuildStage> Stages { get; init; }
    public required IReadOnlyList<PlannedArtifact> Artifacts { get; init; }
    public IReadOnlyList<Disk.PartitionSpec> Partitions { get; init; } = [];
    public required string RootfsCacheKey { get; init; }
    public required bool RootfsCached { get; init; }
    public required IReadOnlyList<string> Packages { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

public sealed record PlannedArtifact(ImageArtifactKind Kind, string Path, long? SizeBytes);
