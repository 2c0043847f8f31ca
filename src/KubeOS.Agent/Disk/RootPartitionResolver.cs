using KubeOS.Agent.Node;

namespace KubeOS.Agent.Disk;

/// <summary>
/// Finds the running root from the system itself — the kernel command line's root=, or the device mounted on / — and
/// derives the standby from the partition number, never from a remembered or assumed state.
/// </summary>
public sealed class RootPartitionResolver(NodeSystem system)
{
    private readonly BlockDevices _devices = new(system);

    public async Task<RootPartitions> ResolveAsync(CancellationToken cancellationToken = default)
    {
        var activeDevice = await ActiveRootDeviceAsync(cancellationToken).ConfigureAwait(false);
        // A dm-verity root is /dev/mapper/root (dm-N) stacked on the ROOT partition it checks.
        activeDevice = _devices.RootPartitionUnder(activeDevice) ?? activeDevice;
        int number;
        try
        {
            number = _devices.PartitionNumber(activeDevice);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException(
                $"the running root {activeDevice} is not partition 2 or 3 of a KubeOS disk, so there is no A/B root to manage ({e.Message})", e);
        }
        var disk = _devices.DiskOf(activeDevice);
        var (activeName, standbyNumber, standbyName) = number switch
        {
            2 => ("A", 3, "B"),
            3 => ("B", 2, "A"),
            _ => throw new InvalidOperationException(
                $"the running root {activeDevice} is partition {number} of {disk}; KubeOS roots are partition 2 (ROOT-A) and 3 (ROOT-B)"),
        };
        var standbyDevice = _devices.PartitionDevice(disk, standbyNumber);
        await RefuseForeignLabelAsync(standbyDevice, standbyName, activeName, cancellationToken).ConfigureAwait(false);
        return new RootPartitions(
            new RootPartition(activeName, activeDevice, number, _devices.SizeBytes(activeDevice)),
            new RootPartition(standbyName, standbyDevice, standbyNumber, _devices.SizeBytes(standbyDevice)),
            disk);
    }

    /// <summary>
    /// The standby is found by number; a label that names another KubeOS partition means the disk is not laid out as
    /// expected, and writing it would destroy that partition.
    /// </summary>
    private static async Task RefuseForeignLabelAsync(string device, string standbyName, string activeName, CancellationToken cancellationToken)
    {
        var (_, output, _) = await CommandRunner.TryRunAsync(["blkid", "-c", "/dev/null", "-o", "export", device], cancellationToken).ConfigureAwait(false);
        var foreign = new[] { "BOOT", "PERSIST", "GRUB2", "ROOT-" + activeName };
        foreach (var line in output.Split('\n', StringSplitOptions.TrimEntries))
        {
            var eq = line.IndexOf('=');
            if (eq < 0 || line[..eq] is not ("LABEL" or "PARTLABEL"))
                continue;
            var label = line[(eq + 1)..];
            if (foreign.Contains(label))
                throw new InvalidOperationException(
                    $"partition {device}, the standby root {standbyName} by number, is labelled {line[..eq]}={label}; refusing to touch it (expected ROOT-{standbyName})");
        }
    }

    public async Task<string> ActiveRootDeviceAsync(CancellationToken cancellationToken)
    {
        var spec = RootSpecFromCmdline(await File.ReadAllTextAsync(system.CmdlinePath, cancellationToken).ConfigureAwait(false));
        if (spec is not null)
            return await DeviceForSpecAsync(spec, cancellationToken).ConfigureAwait(false);
        return "/dev/" + BlockDevices.NameOfDevNumber(RootDevNumberFromMountInfo(await File.ReadAllLinesAsync(system.MountInfoPath, cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>
    /// The last root= on the command line wins, as the kernel does; on a dm-verity root (root=/dev/mapper/root) the
    /// partition is the one systemd.verity_root_data= names.
    /// </summary>
    public static string? RootSpecFromCmdline(string cmdline)
    {
        const string verityData = "systemd.verity_root_data=";
        string? spec = null, data = null;
        foreach (var token in cmdline.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (token == "--")
                break;
            if (token.StartsWith("root=", StringComparison.Ordinal) && token.Length > 5)
                spec = token[5..];
            else if (token.StartsWith(verityData, StringComparison.Ordinal) && token.Length > verityData.Length)
                data = token[verityData.Length..];
        }
        return data ?? spec;
    }

    /// <summary>major:minor of the filesystem mounted on / (the last such mount is the visible one).</summary>
    public static string RootDevNumberFromMountInfo(IEnumerable<string> mountInfoLines)
    {
        string? found = null;
        foreach (var line in mountInfoLines)
        {
            var fields = line.Split(' ');
            if (fields.Length > 4 && fields[4] == "/")
                found = fields[2];
        }
        return found ?? throw new InvalidOperationException("no filesystem is mounted on / according to mountinfo");
    }

    private static async Task<string> DeviceForSpecAsync(string spec, CancellationToken cancellationToken)
    {
        if (spec.StartsWith("/dev/", StringComparison.Ordinal))
            return spec;
        var eq = spec.IndexOf('=');
        var key = eq > 0 ? spec[..eq] : "";
        if (key is not ("PARTUUID" or "UUID" or "LABEL" or "PARTLABEL"))
            throw new InvalidOperationException($"kernel command line root={spec} is not a /dev path, PARTUUID=, UUID=, LABEL= or PARTLABEL=");
        // -c /dev/null: a stale blkid cache must not name a device that has since changed.
        var (code, output, stderr) = await CommandRunner.TryRunAsync(["blkid", "-c", "/dev/null", "-o", "device", "-t", spec], cancellationToken).ConfigureAwait(false);
        if (code is not (0 or 2))
            throw new InvalidOperationException($"blkid could not look up root={spec}: {stderr.Trim()}");
        var devices = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return devices.Length switch
        {
            1 => devices[0],
            0 => throw new InvalidOperationException($"no block device matches root={spec}"),
            _ => throw new InvalidOperationException($"root={spec} matches several devices ({string.Join(", ", devices)}); use PARTUUID="),
        };
    }
}
