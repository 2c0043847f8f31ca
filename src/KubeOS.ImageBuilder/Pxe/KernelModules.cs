namespace KubeOS.ImageBuilder.Pxe;

/// <summary>
/// The kernel modules the installer loads: disk and network drivers of common virtual and physical machines, with
/// their dependencies from modules.dep, in an order insmod can load them (dependencies first).
/// </summary>
public static class KernelModules
{
    public static readonly IReadOnlyList<string> Wanted =
    [
        "virtio_pci", "virtio_blk", "virtio_scsi", "virtio_net", "e1000", "e1000e", "ata_piix", "ahci", "sd_mod", "nvme",
    ];

    /// <summary>Paths relative to /lib/modules/&lt;version&gt;, dependencies before the modules that need them.</summary>
    /// <remarks>A wanted module missing from modules.dep is built into the kernel (or absent) and is skipped.</remarks>
    public static IReadOnlyList<string> LoadOrder(string modulesDep, IEnumerable<string> wanted)
    {
        var entries = new Dictionary<string, (string Path, string[] Dependencies)>(StringComparer.Ordinal);
        foreach (var line in modulesDep.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var path = line[..colon].Trim();
            var deps = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            entries[NameOf(path)] = (path, deps);
        }
        var byPath = entries.Values.ToDictionary(e => e.Path, StringComparer.Ordinal);
        var order = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string path)
        {
            if (!seen.Add(path)) return;
            if (byPath.TryGetValue(path, out var entry))
                foreach (var dep in entry.Dependencies) Visit(dep);
            order.Add(path);
        }
        foreach (var name in wanted)
        {
            if (entries.TryGetValue(name.Replace('-', '_'), out var entry)) Visit(entry.Path);
        }
        return order;
    }

    /// <summary>kernel/drivers/block/virtio_blk.ko → virtio_blk (module names treat '-' and '_' alike).</summary>
    public static string NameOf(string path)
    {
        var file = Path.GetFileName(path);
        var ko = file.IndexOf(".ko", StringComparison.Ordinal);
        return (ko > 0 ? file[..ko] : file).Replace('-', '_');
    }
}
