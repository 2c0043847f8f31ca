namespace KubeOS.ImageBuilder.Disk;

public enum PartitionContent { BiosBoot, Esp, Root, Persist, VerityHash }

/// <summary>One GPT partition: its number (fixed by the node agent's A/B logic, not by position), name, type and extent.</summary>
public sealed record PartitionSpec(int Number, string Name, string TypeGuid, long StartMiB, long SizeMiB, PartitionContent Content)
{
    public long StartBytes => StartMiB * DiskLayout.MiB;
    public long SizeBytes => SizeMiB * DiskLayout.MiB;
}
