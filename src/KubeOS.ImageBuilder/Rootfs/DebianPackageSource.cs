using System.Text;
using System.Text.RegularExpressions;
using KubeOS.ImageBuilder.Tools;

namespace KubeOS.ImageBuilder.Rootfs;

/// <summary>Debian roots with mmdebstrap (minbase), without documentation and with rarely needed kernel modules left out.</summary>
public sealed partial class DebianPackageSource : IPackageSource
{
    public string Name => "debian";

    public IReadOnlyList<string> BasePackages { get; } =
        ["linux-image-amd64", "systemd-sysv", "udev", "dracut", "dracut-core", "zstd", "dmsetup", "e2fsprogs"];

    /// <summary>dpkg path filters: docs and translations, and kernel driver trees a server or VM does not use.</summary>
    internal static readonly string[] PathFilters =
    [
        "path-exclude=/usr/share/man/*", "path-exclude=/usr/share/doc/*", "path-include=/usr/share/doc/*/copyright",
        "path-exclude=/usr/share/info/*", "path-exclude=/usr/share/locale/*", "path-include=/usr/share/locale/locale.alias",
        "path-exclude=/usr/share/lintian/*",
        .. new[]
        {
            "drivers/gpu", "drivers/media", "drivers/net/wireless", "drivers/infiniband", "drivers/staging",
            "drivers/bluetooth", "drivers/iio", "drivers/comedi", "drivers/isdn", "drivers/atm", "drivers/mtd",
            "drivers/target", "sound", "net/wireless", "net/mac80211", "net/bluetooth",
        }.Select(d => $"path-exclude=/lib/modules/*/kernel/{d}/*"),
    ];

    /// <summary>Bump when the way the tarball is made changes, so old cache entries are not reused.</summary>
    private const string RecipeVersion = "debian-rootfs-3";

    public string DescribeInputs(RootfsRequest request)
    {
        var sb = new StringBuilder();
        sb.AppendLine(RecipeVersion);
        // Node roots keep the key they had before profiles existed, so existing cache entries stay valid.
        if (request.Profile != RootfsProfile.Node) sb.AppendLine("profile=" + request.Profile);
        sb.AppendLine("suite=" + request.Suite);
        sb.AppendLine("mirror=" + (request.SourcesFile is null ? request.Mirror : ""));
        if (request.SourcesFile is not null) sb.AppendLine("sources=" + File.ReadAllText(request.SourcesFile));
        sb.AppendLine("packages=" + string.Join(',', AllPackages(request)));
        sb.AppendLine("filters=" + string.Join(',', PathFilters));
        if (request.Profile == RootfsProfile.Node) sb.AppendLine("dracut=" + ImageFiles.Read("dracut.conf"));
        return sb.ToString();
    }

    public async Task<IReadOnlyList<string>> FindMissingPackagesAsync(RootfsRequest request, ProcessRunner runner, CancellationToken ct)
    {
        var args = new List<string> { "--simulate", Variant(request), "--include=" + string.Join(',', AllPackages(request)),
            request.Suite, "/dev/null", Source(request) };
        var result = await runner.RunAsync("mmdebstrap", args, ct, check: false);
        if (result.ExitCode == 0) return [];
        var missing = MissingPackage().Matches(result.StandardError + result.StandardOutput).Select(m => m.Groups[1].Value).Distinct().ToList();
        if (missing.Count == 0)
            throw new ToolException($"resolving packages with mmdebstrap failed (is the package mirror reachable?):{Environment.NewLine}{result.StandardError}");
        return missing;
    }

    public async Task BuildTarballAsync(RootfsRequest request, string tarballPath, string packageCacheDirectory, string workDirectory,
        ProcessRunner runner, CancellationToken ct)
    {
        Directory.CreateDirectory(packageCacheDirectory);
        var confDir = Path.Combine(workDirectory, "dracut.conf.d");
        Directory.CreateDirectory(confDir);
        var conf = Path.Combine(confDir, "kubeos.conf");
        await File.WriteAllTextAsync(conf, ImageFiles.Read("dracut.conf"), ct);

        var args = new List<string>
        {
            Variant(request), "--mode=root", "--format=tar",
            "--include=" + string.Join(',', AllPackages(request)),
        };
        args.AddRange(PathFilters.Select(f => "--dpkgopt=" + f));
        if (request.Profile != RootfsProfile.Node) args.Add("--aptopt=APT::Install-Recommends \"false\"");
        if (request.Profile == RootfsProfile.Node)
        {
            args.AddRange(
            [
                // The initramfs generator reads its settings when the kernel package is configured, so they go in first.
                "--essential-hook=mkdir -p \"$1\"/etc/dracut.conf.d",
                $"--essential-hook=copy-in {conf} /etc/dracut.conf.d/",
            ]);
        }
        args.AddRange(
        [
            // Keep the downloaded .deb files so the next build with other packages downloads only the difference.
            "--skip=download/empty", "--skip=essential/unlink",
            "--setup-hook=mkdir -p \"$1\"/var/cache/apt/archives/",
            $"--setup-hook=sync-in {packageCacheDirectory} /var/cache/apt/archives/",
            $"--customize-hook=sync-out /var/cache/apt/archives {packageCacheDirectory}",
            "--customize-hook=rm -f \"$1\"/var/cache/apt/archives/*.deb \"$1\"/var/cache/apt/*.bin",
            request.Suite, tarballPath, Source(request),
        ]);
        await runner.RunAsync("mmdebstrap", args, ct, workingDirectory: workDirectory);
    }

    /// <summary>minbase for systems; extract only unpacks (no maintainer scripts), which is all a binary source needs.</summary>
    private static string Variant(RootfsRequest request) => request.Profile == RootfsProfile.Extract ? "--variant=extract" : "--variant=minbase";

    public IReadOnlyList<string> BasePackagesFor(RootfsProfile profile) => profile == RootfsProfile.Node ? BasePackages : [];

    private IEnumerable<string> AllPackages(RootfsRequest request) =>
        BasePackagesFor(request.Profile).Concat(request.Packages).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    private static string Source(RootfsRequest request) => request.SourcesFile ?? request.Mirror;

    [GeneratedRegex(@"Unable to locate package (\S+)")]
    private static partial Regex MissingPackage();
}
