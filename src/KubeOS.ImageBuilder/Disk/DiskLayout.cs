using KubeOS.ImageBuilder.Configuration;

namespace KubeOS.ImageBuilder.Disk;

/// <summary>
/// The KubeOS disk (kubeos.md §4.6): 1 BOOT (ESP), 2 ROOT-A, 3 ROOT-B, 4 PERSIST. The node agent derives A/B from the
/// partition numbers 2 and 3, so additions get higher numbers: 5 BIOS boot (legacy BIOS), 6 HASH-A and 7 HASH-B
/// (dm-verity hash trees). PERSIST is placed last so it can grow with the disk.
/// </summary>
public sealed record DiskLayout(IReadOnlyList<PartitionSpec> Partitions, long TotalMiB)
{
    public const long MiB = 1024 * 1024;
    public const string EspType = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
    public const string LinuxDataType = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";
    public const string BiosBootType = "21686148-6449-6E6F-744E-656564454649";

    public PartitionSpec this[int number] => Partitions.Single(p => p.Number == number);

    public long TotalBytes => TotalMiB * MiB;

    public static int DefaultHashMiB(int rootMiB) => Math.Max(2, rootMiB / 64 + 1);

    /// <summary>Computes the layout, or returns the problems (with the key to change) when it does not fit.</summary>
    public static DiskLayout Create(DiskPartitionSection disk, bool legacyBios, DmVeritySection? verity, out IReadOnlyList<ConfigError> errors)
    {
        var problems = new List<ConfigError>();
        var parts = new List<PartitionSpec>();
        long next = 1; // the first MiB holds the MBR and the primary GPT
        if (legacyBios)
        {
            parts.Add(new PartitionSpec(5, "BIOS", BiosBootType, next, 1, PartitionContent.BiosBoot));
            next += 1;
        }
        parts.Add(new PartitionSpec(1, "BOOT", EspType, next, disk.BootMiB, PartitionContent.Esp)); next += disk.BootMiB;
        parts.Add(new PartitionSpec(2, "ROOT-A", LinuxDataType, next, disk.RootMiB, PartitionContent.Root)); next += disk.RootMiB;
        parts.Add(new PartitionSpec(3, "ROOT-B", LinuxDataType, next, disk.RootMiB, PartitionContent.Root)); next += disk.RootMiB;
        if (verity is not null)
        {
            var hash = verity.HashMiB > 0 ? verity.HashMiB : DefaultHashMiB(disk.RootMiB);
            if (hash < DefaultHashMiB(disk.RootMiB) / 2)
                problems.Add(new ConfigError("dm_verity.hash", $"{hash} MiB is too small for the hash tree of a {disk.RootMiB} MiB root.",
                    $"set dm_verity.hash to at least {DefaultHashMiB(disk.RootMiB) / 2} or remove it."));
            parts.Add(new PartitionSpec(6, "HASH-A", LinuxDataType, next, hash, PartitionContent.VerityHash)); next += hash;
            parts.Add(new PartitionSpec(7, "HASH-B", LinuxDataType, next, hash, PartitionContent.VerityHash)); next += hash;
        }
        var total = (long)disk.ImageSizeGiB * 1024;
        var persist = total - 1 - next; // the last MiB holds the backup GPT
        if (persist < DiskPartitionSection.MinimumPersistMiB)
        {
            var needGiB = (next + 1 + DiskPartitionSection.MinimumPersistMiB + 1023) / 1024;
            problems.Add(new ConfigError("disk_partition.img_size",
                $"{disk.ImageSizeGiB} GiB leaves {Math.Max(0, persist)} MiB for PERSIST after the other partitions ({next} MiB); at least {DiskPartitionSection.MinimumPersistMiB} MiB are needed.",
                $"set disk_partition.img_size to {needGiB} or more, or lower disk_partition.root."));
        }
        parts.Add(new PartitionSpec(4, "PERSIST", LinuxDataType, next, Math.Max(persist, 1), PartitionContent.Persist));
        errors = problems;
        return new DiskLayout(parts, total);
    }

    /// <summary>The sfdisk script; partition numbers come from the device-name prefix of each line.</summary>
    public string ToSfdiskScript(string deviceName)
    {
        var lines = new List<string> { "label: gpt", "unit: sectors", "first-lba: 2048", "" };
        foreach (var p in Partitions.OrderBy(p => p.Number))
            lines.Add($"{deviceName}{p.Number} : start={p.StartMiB * 2048}, size={p.SizeMiB * 2048}, type={p.TypeGuid}, name=\"{p.Name}\"");
        return string.Join('\n', lines) + "\n";
    }
}
