using KubeOS.Agent.Node;

namespace KubeOS.Agent.Disk;

/// <summary>Block-device facts read from sysfs: which disk a partition belongs to, its number, its siblings, its size.</summary>
public sealed class BlockDevices(NodeSystem system)
{
    public int PartitionNumber(string device)
    {
        var file = Path.Combine(SysDir(device), "partition");
        if (!File.Exists(file))
            throw new InvalidOperationException($"{device} is not a partition (no {file})");
        return int.Parse(File.ReadAllText(file).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Kernel name of the whole disk holding a partition (e.g. vda for vda2, loop3 for loop3p2).</summary>
    public string DiskOf(string device)
    {
        var resolved = ResolveLink(SysDir(device));
        return Path.GetFileName(Path.GetDirectoryName(resolved)!);
    }

    public string PartitionDevice(string disk, int number)
    {
        var diskDir = Path.Combine(system.SysClassBlock, disk);
        foreach (var child in Directory.EnumerateDirectories(ResolveLink(diskDir)))
        {
            var numberFile = Path.Combine(child, "partition");
            if (File.Exists(numberFile) && int.Parse(File.ReadAllText(numberFile).Trim(), System.Globalization.CultureInfo.InvariantCulture) == number)
                return "/dev/" + Path.GetFileName(child);
        }
        throw new InvalidOperationException($"disk {disk} has no partition {number}; a KubeOS disk has ROOT-A as partition 2 and ROOT-B as partition 3");
    }

    /// <summary>Every partition of a disk, as /dev paths.</summary>
    public IReadOnlyList<string> PartitionDevices(string disk) =>
        Directory.EnumerateDirectories(ResolveLink(Path.Combine(system.SysClassBlock, disk)))
            .Where(child => File.Exists(Path.Combine(child, "partition")))
            .Select(child => "/dev/" + Path.GetFileName(child))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The partition under a device-mapper device (a dm-verity root): the member of its slaves that is a partition
    /// numbered 2 or 3, or null when the device is not stacked on one.
    /// </summary>
    public string? RootPartitionUnder(string device)
    {
        // A missing node is left for the partition check to report.
        var name = Path.Exists(device) ? Path.GetFileName(ResolveLink(device)) : Path.GetFileName(device);
        var slaves = Path.Combine(system.SysClassBlock, name, "slaves");
        if (!Directory.Exists(slaves))
            return null;
        foreach (var slave in Directory.EnumerateFileSystemEntries(slaves).Order(StringComparer.Ordinal))
        {
            var number = Path.Combine(system.SysClassBlock, Path.GetFileName(slave), "partition");
            if (File.Exists(number) && File.ReadAllText(number).Trim() is "2" or "3")
                return "/dev/" + Path.GetFileName(slave);
        }
        return null;
    }

    public long SizeBytes(string device) =>
        long.Parse(File.ReadAllText(Path.Combine(SysDir(device), "size")).Trim(), System.Globalization.CultureInfo.InvariantCulture) * 512;

    /// <summary>Kernel name of the device with the given major:minor, via /sys/dev/block.</summary>
    public static string NameOfDevNumber(string majorMinor)
    {
        var link = Path.Combine("/sys/dev/block", majorMinor);
        if (!Directory.Exists(link))
            throw new InvalidOperationException($"no block device {majorMinor} in /sys/dev/block");
        return Path.GetFileName(ResolveLink(link));
    }

    private string SysDir(string device)
    {
        var name = Path.GetFileName(ResolveLink(device));
        var dir = Path.Combine(system.SysClassBlock, name);
        if (!Directory.Exists(dir))
            throw new InvalidOperationException($"{device} is not a block device known to the kernel (no {dir})");
        return dir;
    }

    private static string ResolveLink(string path)
    {
        var info = new FileInfo(path);
        var target = info.ResolveLinkTarget(returnFinalTarget: true);
        return target?.FullName ?? Path.GetFullPath(path);
    }
}
