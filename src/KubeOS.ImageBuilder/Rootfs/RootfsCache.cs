using System.Security.Cryptography;
using System.Text;

namespace KubeOS.ImageBuilder.Rootfs;

/// <summary>Base rootfs tarballs keyed by the hash of their inputs, plus the package download cache.</summary>
public sealed class RootfsCache(string directory)
{
    public string Directory { get; } = directory;

    public string PackageDirectory(IPackageSource source, RootfsRequest request) =>
        Path.Combine(Directory, "packages", source.Name, request.Suite);

    public static string Key(IPackageSource source, RootfsRequest request) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source.Name + "\n" + source.DescribeInputs(request))))
            .ToLowerInvariant()[..24];

    public string TarballPath(string key) => Path.Combine(Directory, "rootfs", key + ".tar");

    public bool Contains(string key) => File.Exists(TarballPath(key));

    /// <summary>Moves a finished tarball into the cache; the rename makes a half-written entry impossible.</summary>
    public string Store(string key, string builtTarball)
    {
        var target = TarballPath(key);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(builtTarball, target, overwrite: true);
        return target;
    }
}
