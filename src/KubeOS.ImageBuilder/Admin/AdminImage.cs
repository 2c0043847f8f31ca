using System.Globalization;
using KubeOS.ImageBuilder.Configuration;
using KubeOS.ImageBuilder.Oci;
using KubeOS.ImageBuilder.Rootfs;

namespace KubeOS.ImageBuilder.Admin;

/// <summary>
/// What the admin container image is: a Debian root with sshd, nsenter (util-linux) and debugging tools, started by
/// <see cref="EntrypointPath"/> (kubeos.md §6.6, §6.7; the entrypoint's settings are documented in the script itself,
/// module/deploy/image/admin-entrypoint.sh).
/// </summary>
public static class AdminImage
{
    public const string EntrypointPath = "/usr/local/bin/kubeos-admin-entrypoint";
    public const string HostShellPath = "/usr/local/bin/hostshell";
    /// <summary>Where the entrypoint reads the host key and authorized_keys unless told otherwise.</summary>
    public const string DefaultSshDirectory = "/run/secrets/kubeos-admin";
    public const string PortVariable = "KUBEOS_ADMIN_SSH_PORT";
    public const string DirectoryVariable = "KUBEOS_ADMIN_SSH_DIR";

    /// <summary>sshd, nsenter and the tools one reaches for on a broken node.</summary>
    public static readonly IReadOnlyList<string> BasePackages =
    [
        "openssh-server", "util-linux", "procps", "iproute2", "iputils-ping", "tcpdump", "strace", "lsof", "less",
        "vim-tiny", "curl", "ethtool", "kmod",
    ];

    public static RootfsRequest Request(ImageConfig config)
    {
        var admin = config.AdminContainer!;
        var repo = config.FromRepo;
        var packages = BasePackages.Concat(admin.Packages).Distinct(StringComparer.Ordinal).ToList();
        return new RootfsRequest(repo?.Suite ?? "bookworm", repo?.Mirror ?? "http://deb.debian.org/debian",
            repo?.RepoPath is { } sources ? config.ResolvePath(sources) : null, packages, RootfsProfile.Container);
    }

    /// <summary>The tag in the OCI layout: the tag part of img_name, or "latest".</summary>
    public static string Tag(AdminContainerSection admin) => ImageConfigValidator.UpgradeTag(admin.ImageName);

    /// <summary>Version shown in plans and results: the tag.</summary>
    public static string Version(AdminContainerSection admin) => Tag(admin);

    public static OciRuntimeConfig RuntimeConfig(AdminContainerSection admin) => new(
        Cmd: null,
        Entrypoint: [EntrypointPath],
        Env:
        [
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            $"{PortVariable}={admin.SshPort.ToString(CultureInfo.InvariantCulture)}",
            $"{DirectoryVariable}={DefaultSshDirectory}",
        ],
        ExposedPorts: new Dictionary<string, OciEmpty> { [$"{admin.SshPort.ToString(CultureInfo.InvariantCulture)}/tcp"] = new() },
        WorkingDir: "/root",
        Labels: new Dictionary<string, string> { ["org.opencontainers.image.title"] = "KubeOS admin container" });
}
