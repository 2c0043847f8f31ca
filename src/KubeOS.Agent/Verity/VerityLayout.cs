using KubeOS.Agent.Disk;
using KubeOS.Agent.Node;

namespace KubeOS.Agent.Verity;

/// <summary>
/// A dm-verity disk as the image builder lays it out: each root partition has a hash-tree partition labelled
/// HASH-A / HASH-B next to it. Found on the running disk by partition label; a disk without them is a plain A/B disk.
/// </summary>
public sealed record VerityLayout(string ActiveHashDevice, string StandbyHashDevice, string StandbyName)
{
    public static async Task<VerityLayout?> FindAsync(BlockDevices devices, RootPartitions roots, CancellationToken cancellationToken)
    {
        var partitions = devices.PartitionDevices(roots.Disk);
        // -c /dev/null: labels are read from the partition tables now, never from a stale cache.
        var (_, output, _) = await CommandRunner.TryRunAsync(["blkid", "-c", "/dev/null", "-o", "export", .. partitions], cancellationToken)
            .ConfigureAwait(false);
        var labels = ParsePartLabels(output);
        var active = labels.GetValueOrDefault("HASH-" + roots.Active.Name);
        var standby = labels.GetValueOrDefault("HASH-" + roots.Standby.Name);
        if (active is null && standby is null)
            return null;
        if (standby is null)
            throw new InvalidOperationException(
                $"disk {roots.Disk} is a dm-verity disk (it has {active} labelled HASH-{roots.Active.Name}) but no partition labelled HASH-{roots.Standby.Name} for the hash tree of ROOT-{roots.Standby.Name}; nothing was written");
        return new VerityLayout(active ?? "", standby, roots.Standby.Name);
    }

    /// <summary>PARTLABEL to device, from `blkid -o export` blocks (DEVNAME first in each).</summary>
    public static Dictionary<string, string> ParsePartLabels(string blkidExport)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        string? device = null;
        foreach (var line in blkidExport.Split('\n', StringSplitOptions.TrimEntries))
        {
            if (line.Length == 0)
                device = null;
            else if (line.StartsWith("DEVNAME=", StringComparison.Ordinal))
                device = line["DEVNAME=".Length..];
            else if (line.StartsWith("PARTLABEL=", StringComparison.Ordinal) && device is not null)
            {
                var label = line["PARTLABEL=".Length..];
                if (!labels.TryAdd(label, device))
                    throw new InvalidOperationException($"two partitions are labelled {label} ({labels[label]} and {device}); label each HASH partition once");
            }
        }
        return labels;
    }
}
