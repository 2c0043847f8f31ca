using System.Security.Cryptography;

namespace KubeOS.Agent.Benchmarks;

/// <summary>A KubeOS-shaped GPT disk on a loop device (ROOT-A holds a minimal root), removed on dispose.</summary>
public sealed class BenchDisk : IDisposable
{
    public BenchDisk(int rootMiB)
    {
        Dir = Path.Combine(Path.GetTempPath(), "kubeos-agent-bench-" + Guid.NewGuid().ToString("n")[..8]);
        Directory.CreateDirectory(Dir);
        var image = Path.Combine(Dir, "disk.img");
        // Allocated up front, so no run pays for filling holes in the backing file and the figures compare.
        Tools.Run("fallocate", "-l", ((8L + 2L * rootMiB + 32 + 2) << 20).ToString(System.Globalization.CultureInfo.InvariantCulture), image);
        File.WriteAllText(Path.Combine(Dir, "layout"), $"label: gpt\nsize=8MiB, name=BOOT\nsize={rootMiB}MiB, name=ROOT-A\nsize={rootMiB}MiB, name=ROOT-B\nname=PERSIST\n");
        Tools.Run("sh", "-c", $"sfdisk -q '{image}' < '{Path.Combine(Dir, "layout")}'");
        Device = Tools.Run("losetup", "-f", "--show", "-P", image).Trim();
        if (!File.Exists(Device + "p2"))
            Tools.Run("partx", "-a", Device);
        var root = Path.Combine(Dir, "root");
        Directory.CreateDirectory(Path.Combine(root, "boot"));
        Directory.CreateDirectory(Path.Combine(root, "usr", "lib"));
        File.WriteAllText(Path.Combine(root, "boot", "vmlinuz"), "kernel");
        File.WriteAllText(Path.Combine(root, "usr", "lib", "os-release"), "PRETTY_NAME=\"bench v1\"\n");
        Tools.Run("mkfs.ext4", "-q", "-F", "-L", "ROOT-A", "-d", root, Device + "p2");
        Tools.Run("grub-editenv", GrubEnv, "create");
        Tools.Run("grub-editenv", GrubEnv, "set", "saved_entry=A");
        var partUuid = Tools.Run("blkid", "-c", "/dev/null", "-o", "value", "-s", "PARTUUID", Device + "p2").Trim();
        File.WriteAllText(Cmdline, $"root=PARTUUID={partUuid} ro\n");
    }

    public string Dir { get; }
    public string Device { get; }
    public string Standby => Device + "p3";
    public string GrubEnv => Path.Combine(Dir, "grubenv");
    public string Cmdline => Path.Combine(Dir, "cmdline");

    public void Dispose()
    {
        Tools.TryRun("partx", "-d", Device);
        Tools.TryRun("losetup", "-d", Device);
        Directory.Delete(Dir, recursive: true);
    }
}

/// <summary>An incompressible payload file and its sha256.</summary>
public static class Payload
{
    public static (string Path, string Sha256) Create(string path, int mib)
    {
        var block = new byte[1 << 20];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var file = File.Create(path))
        {
            for (var i = 0; i < mib; i++)
            {
                RandomNumberGenerator.Fill(block);
                hash.AppendData(block);
                file.Write(block);
            }
        }
        return (path, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
