namespace KubeOS.Agent.Disk;

/// <summary>One of the two root partitions: A is partition 2 (ROOT-A), B is partition 3 (ROOT-B), as KubeOS lays out disks.</summary>
public sealed record RootPartition(string Name, string Device, int Number, long SizeBytes)
{
    public string Label => "ROOT-" + Name;
}

/// <summary>The running root and the one the next upgrade writes.</summary>
public sealed record RootPartitions(RootPartition Active, RootPartition Standby, string Disk);
