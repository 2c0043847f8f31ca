using KubeOS.Agent.Node;

namespace KubeOS.Agent.Disk;

/// <summary>What a root partition holds, read through a read-only mount (or the running root's own files).</summary>
public sealed record RootContents(bool Bootable, string Version, string Problem);

/// <summary>Decides whether a partition holds a root that can boot: a filesystem with a kernel and an os-release.</summary>
public sealed class RootInspector(NodeSystem system)
{
    public async Task<RootContents> InspectAsync(RootPartition partition, bool isRunning, CancellationToken cancellationToken)
    {
        if (isRunning && system.RunningRootDir is { } runningRoot)
            return InspectDirectory(runningRoot);

        var (code, fsType, _) = await CommandRunner.TryRunAsync(["blkid", "-c", "/dev/null", "-o", "value", "-s", "TYPE", partition.Device], cancellationToken).ConfigureAwait(false);
        fsType = fsType.Trim();
        if (code != 0 || fsType.Length == 0)
            return new RootContents(false, "", $"partition {partition.Name} ({partition.Device}) holds no filesystem");

        var mountPoint = Path.Combine(system.StateDir, "inspect-" + partition.Name);
        // noload: never replay an ext4 journal on a partition only being looked at.
        var options = fsType.StartsWith("ext", StringComparison.Ordinal) ? "ro,noload" : "ro";
        TemporaryMount mount;
        try
        {
            mount = await Mounts.MountAsync(partition.Device, mountPoint, options, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandFailedException e)
        {
            return new RootContents(false, "", $"partition {partition.Name} ({partition.Device}) cannot be mounted: {e.Stderr.Trim()}");
        }
        await using (mount.ConfigureAwait(false))
        {
            var contents = InspectDirectory(mount.Path);
            return contents.Bootable ? contents : contents with { Problem = $"partition {partition.Name} ({partition.Device}): {contents.Problem}" };
        }
    }

    public static RootContents InspectDirectory(string root)
    {
        var osRelease = new[] { "usr/lib/os-release", "etc/os-release" }
            .Select(p => Path.Combine(root, p))
            .FirstOrDefault(File.Exists);
        var version = osRelease is null ? "" : PrettyName(File.ReadAllLines(osRelease));
        if (!HasKernel(Path.Combine(root, "boot")))
            return new RootContents(false, version, "no kernel in /boot (vmlinuz)");
        if (osRelease is null)
            return new RootContents(false, "", "no os-release in /usr/lib or /etc");
        return new RootContents(true, version, "");
    }

    /// <summary>PRETTY_NAME, which Kubernetes reports as the node's osImage and KubeOS compares with osversion.</summary>
    public static string PrettyName(IEnumerable<string> osReleaseLines)
    {
        foreach (var line in osReleaseLines)
        {
            if (!line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                continue;
            var value = line["PRETTY_NAME=".Length..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
                value = value[1..^1];
            return value;
        }
        return "";
    }

    private static bool HasKernel(string bootDir)
    {
        if (!Directory.Exists(bootDir))
            return false;
        return File.Exists(Path.Combine(bootDir, "vmlinuz")) || Directory.EnumerateFiles(bootDir, "vmlinuz-*").Any();
    }
}
