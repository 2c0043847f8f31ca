using System.Globalization;
using System.Text.RegularExpressions;
using KubeOS.ImageBuilder.Tools;

namespace KubeOS.ImageBuilder.Disk;

/// <summary>Filesystems written straight into files (mkfs.ext4 -d, -E offset), so no mount or loop device is needed.</summary>
public sealed partial class FileSystems(ProcessRunner runner)
{
    /// <summary>Creates an ext4 image file of <paramref name="sizeMiB"/> populated from <paramref name="sourceDirectory"/>.</summary>
    public async Task MakeExt4FileAsync(string output, string label, long sizeMiB, string? sourceDirectory, CancellationToken ct)
    {
        if (File.Exists(output)) File.Delete(output);
        var args = new List<string> { "-q", "-F", "-t", "ext4", "-L", label };
        if (sourceDirectory is not null) args.AddRange(["-d", sourceDirectory]);
        args.AddRange([output, sizeMiB.ToString(CultureInfo.InvariantCulture) + "M"]);
        await runner.RunAsync("mkfs.ext4", args, ct);
    }

    /// <summary>Creates an ext4 filesystem inside <paramref name="disk"/> at the partition's offset.</summary>
    public async Task MakeExt4InPlaceAsync(string disk, PartitionSpec partition, string label, string? sourceDirectory, CancellationToken ct)
    {
        var args = new List<string> { "-q", "-F", "-t", "ext4", "-L", label, "-E", $"offset={partition.StartBytes}" };
        if (sourceDirectory is not null) args.AddRange(["-d", sourceDirectory]);
        args.AddRange([disk, (partition.SizeMiB * 1024).ToString(CultureInfo.InvariantCulture) + "k"]);
        await runner.RunAsync("mkfs.ext4", args, ct);
    }

    /// <summary>Copies a partition image into the disk image at the partition's offset, skipping zero blocks.</summary>
    public async Task WritePartitionAsync(string disk, PartitionSpec partition, string image, CancellationToken ct)
    {
        var size = new FileInfo(image).Length;
        if (size > partition.SizeBytes)
            throw new InvalidOperationException($"{Path.GetFileName(image)} ({size} bytes) is larger than partition {partition.Name} ({partition.SizeBytes} bytes)");
        await runner.RunAsync("dd", [$"if={image}", $"of={disk}", "bs=1M", $"seek={partition.StartMiB}", "conv=notrunc,sparse", "status=none"], ct);
    }

    /// <summary>Formats a dm-verity hash tree for <paramref name="dataImage"/> into <paramref name="hashImage"/>; returns the root hash.</summary>
    public async Task<string> VerityFormatAsync(string dataImage, string hashImage, CancellationToken ct)
    {
        if (File.Exists(hashImage)) File.Delete(hashImage);
        await using (File.Create(hashImage)) { }
        var result = await runner.RunAsync("veritysetup", ["format", "--data-block-size=4096", "--hash-block-size=4096", dataImage, hashImage], ct);
        var match = RootHash().Match(result.StandardOutput);
        if (!match.Success) throw new ToolException("veritysetup format printed no root hash:\n" + result.StandardOutput);
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"Root hash:\s+([0-9a-f]+)")]
    private static partial Regex RootHash();
}
