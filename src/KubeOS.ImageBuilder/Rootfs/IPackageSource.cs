using KubeOS.ImageBuilder.Tools;

namespace KubeOS.ImageBuilder.Rootfs;

/// <summary>
/// A distribution the base root filesystem is installed from. The Debian source uses mmdebstrap; an RPM distribution
/// would implement the same three steps with its own installer.
/// </summary>
public interface IPackageSource
{
    string Name { get; }

    /// <summary>Packages every KubeOS root needs (kernel, init, initramfs generator), added to the user's list.</summary>
    IReadOnlyList<string> BasePackages { get; }

    /// <summary>The base packages for a kind of root: <see cref="BasePackages"/> for nodes, none for containers and extracts.</summary>
    IReadOnlyList<string> BasePackagesFor(RootfsProfile profile) => profile == RootfsProfile.Node ? BasePackages : [];

    /// <summary>Text that changes whenever the produced tarball would change; hashed into the cache key.</summary>
    string DescribeInputs(RootfsRequest request);

    /// <summary>Fast check (seconds): resolves the package set without installing. Returns package names that do not exist.</summary>
    Task<IReadOnlyList<string>> FindMissingPackagesAsync(RootfsRequest request, ProcessRunner runner, CancellationToken ct);

    /// <summary>Installs the packages into a new root and writes it as an uncompressed tarball.</summary>
    Task BuildTarballAsync(RootfsRequest request, string tarballPath, string packageCacheDirectory, string workDirectory,
        ProcessRunner runner, CancellationToken ct);
}
