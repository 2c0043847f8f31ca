using KubeOS.ImageBuilder.Configuration;

namespace KubeOS.ImageBuilder.Tests.Support;

/// <summary>
/// Builds each kind of image once per test run and shares it. The base root filesystem is cached under
/// /var/tmp/kubeos-image-tests/cache, so only the first build of a machine pays for package installation.
/// </summary>
public sealed class ImageBuildFixture : IAsyncDisposable
{
    public const string Marker = "KUBEOS-TEST-MARKER";
    public static readonly string Root = "/var/tmp/kubeos-image-tests";
    public string CacheDirectory { get; } = Path.Combine(Root, "cache");
    public string RunDirectory { get; } = Path.Combine(Root, $"run-{Environment.ProcessId}");
    /// <summary>Holds the agent, the test unit and the TOML files (relative paths in the TOML start here).</summary>
    public string AssetsDirectory => Path.Combine(RunDirectory, "assets");

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, ImageBuildResult> _built = [];

    public ImageBuildFixture()
    {
        Directory.CreateDirectory(RunDirectory);
        var assets = Path.Combine(RunDirectory, "assets");
        Directory.CreateDirectory(assets);
        File.WriteAllText(Path.Combine(assets, "os-agent"), "#!/bin/sh\necho os-agent test build\nexec sleep infinity\n");
        File.WriteAllText(Path.Combine(assets, "setup.sh"), "#!/bin/bash\nset -e\necho \"built by chroot script as $(id -un)\" > /etc/kubeos-chroot-script\n");
        // Prints the guest's view of its own layout to the serial console, then powers off, so a test can read it.
        File.WriteAllText(Path.Combine(assets, "kubeos-test-marker.service"), $$"""
            [Unit]
            Description=Report boot state on the serial console
            After=local-fs.target os-agent.service

            [Service]
            Type=oneshot
            ExecStart=/bin/sh -c '. /usr/lib/os-release; echo "{{Marker}} version=$VERSION_ID root=$(findmnt -no SOURCE /) rootopts=$(findmnt -no OPTIONS /) persist=$(findmnt -no SOURCE /persist) etc=$(findmnt -no FSTYPE /etc) var=$(findmnt -no SOURCE /var) tmp=$(findmnt -no FSTYPE /tmp) agent=$(systemctl is-active os-agent) data=$(test -d /persist/data && echo yes)" > /dev/ttyS0; systemctl poweroff --no-block'

            [Install]
            WantedBy=multi-user.target
            """);
    }

    public string Toml(string version, bool legacyBios = true, bool verity = false, string extra = "") => $"""
        [from_repo]
        version = "{version}"
        agent_path = "os-agent"
        root_passwd = "$6$kubeos$WcQ3LX3NAo3nRn1Z0lbgJ6n4QqV4c5i6k0o7xJ8Xy2ZuKJ5bS7o6mOaQeYj3K0c9v8fQm1gWlW3yTqS0aL9eN."
        upgrade_img = "kubeos/os:{version}"
        legacy_bios = {(legacyBios ? "true" : "false")}

        [[copy_files]]
        src = "kubeos-test-marker.service"
        dst = "/etc/systemd/system/"

        [systemd_service]
        name = ["kubeos-test-marker.service"]

        [[users]]
        name = "ops"
        passwd = "ops-password"
        groups = ["adm"]

        [chroot_script]
        path = "setup.sh"
        rm = true

        [grub]
        cmdline = ["rd.emergency=poweroff", "systemd.show_status=0"]
        timeout = 0
        passwd = "grub-password"

        [disk_partition]
        root = 600
        img_size = 4

        [persist_mkdir]
        name = ["data"]
        {(verity ? "[dm_verity]" : "")}
        {extra}
        """;

    public ImageBuildOptions Options(string name, ImageType type, string toml, string? push = null)
    {
        var assets = Path.Combine(RunDirectory, "assets");
        var path = Path.Combine(assets, name + ".toml");
        File.WriteAllText(path, toml);
        return new ImageBuildOptions
        {
            ConfigPath = path,
            Type = type,
            OutputDirectory = Path.Combine(RunDirectory, name),
            CacheDirectory = CacheDirectory,
            PushReference = push,
            PlainHttpRegistry = true,
        };
    }

    public Task<ImageBuildResult> VmAsync() => BuildOnceAsync("vm", () => Options("vm", ImageType.Vm, Toml("1.0.0")));

    public Task<ImageBuildResult> VerityAsync() =>
        BuildOnceAsync("verity", () => Options("verity", ImageType.Vm, Toml("1.0.0", legacyBios: false, verity: true)) with { Qcow2 = false });

    public Task<ImageBuildResult> VerityUpgradeAsync() =>
        BuildOnceAsync("upgrade-verity", () => Options("upgrade-verity", ImageType.Upgrade, Toml("2.0.0", verity: true)));

    public Task<ImageBuildResult> UpgradeAsync() => BuildOnceAsync("upgrade", () => Options("upgrade", ImageType.Upgrade, Toml("2.0.0")));

    public const int AdminSshPort = 2222;

    /// <summary>An admin image description as KubeOS writes it (img_name), plus the port addition.</summary>
    public static string AdminToml(string tag = "1.0.0") => $"""
        [admin_container]
        img_name = "kubeos/admin-container:{tag}"
        ssh_port = {AdminSshPort}
        """;

    public Task<ImageBuildResult> AdminAsync() => BuildOnceAsync("admin", () => Options("admin", ImageType.Admin, AdminToml()));

    /// <summary>The installer's view of QEMU's user network: the guest is 10.0.2.15, the HTTP server is forwarded to 10.0.2.100:80.</summary>
    public const string PxeServerIp = "10.0.2.100";

    public string PxeToml(string rootfsName = "rootfs.img") => Toml("1.0.0") + $"""

        [pxe_config]
        rootfs_name = "{rootfsName}"
        disk = "/dev/vda"
        server_ip = "{PxeServerIp}"
        dhcp = false
        local_ip = "10.0.2.15"
        netmask = "255.255.255.0"
        net_name = "eth0"
        route_ip = "10.0.2.2"
        """;

    public Task<ImageBuildResult> PxeAsync() => BuildOnceAsync("pxe", () => Options("pxe", ImageType.Pxe, PxeToml()));

    public async Task<ImageBuildResult> BuildOnceAsync(string name, Func<ImageBuildOptions> options)
    {
        await _gate.WaitAsync();
        try
        {
            if (_built.TryGetValue(name, out var done)) return done;
            var result = await new KubeOSImageBuilder().BuildAsync(options());
            _built[name] = result;
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(RunDirectory, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
