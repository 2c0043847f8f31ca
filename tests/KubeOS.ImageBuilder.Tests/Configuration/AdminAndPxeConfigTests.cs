using KubeOS.ImageBuilder.Configuration;

namespace KubeOS.ImageBuilder.Tests.Configuration;

/// <summary>[admin_container] and [pxe_config]: KubeOS's keys, the checks KubeOS documents, and named errors.</summary>
public sealed class AdminAndPxeConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kbimg-admin-pxe-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string FromRepo = """
        [from_repo]
        version = "1.0.0"
        agent_path = "os-agent"
        root_passwd = "$6$x$y"
        """;

    private const string StaticPxe = """
        [pxe_config]
        rootfs_name = "kubeos.img"
        disk = "/dev/sda"
        server_ip = "192.168.1.50"
        local_ip = "192.168.1.100"
        netmask = "255.255.255.0"
        net_name = "eth0"
        route_ip = "192.168.1.1"
        """;

    private ImageConfigException Fails(string toml) => Assert.Throws<ImageConfigException>(() => KbimgTomlReader.Parse(toml, _dir));

    [Fact]
    public void Admin_container_reads_KubeOS_keys_and_the_additions()
    {
        File.WriteAllText(Path.Combine(_dir, "hostshell"), "#!/bin/sh\n");
        var config = KbimgTomlReader.Parse("""
            [admin_container]
            img_name = "registry.example:5000/kubeos/admin:2.1"
            hostshell = "hostshell"
            packages = ["gdb"]
            ssh_port = 2222
            """, _dir);
        var admin = config.AdminContainer!;
        Assert.Equal("registry.example:5000/kubeos/admin:2.1", admin.ImageName);
        Assert.Equal("hostshell", admin.HostShellPath);
        Assert.Equal(["gdb"], admin.Packages);
        Assert.Equal(2222, admin.SshPort);
        Assert.Null(config.FromRepo);
        Assert.Empty(ImageConfigValidator.Validate(config, ImageType.Admin, out var layout));
        Assert.Null(layout);
    }

    [Fact]
    public void Admin_image_needs_its_table_and_a_usable_name_and_hostshell()
    {
        var missing = ImageConfigValidator.Validate(KbimgTomlReader.Parse(FromRepo, _dir), ImageType.Admin, out _);
        Assert.Equal("admin_container", Assert.Single(missing).Key);

        var bad = ImageConfigValidator.Validate(KbimgTomlReader.Parse("""
            [admin_container]
            img_name = "Kubeos/Admin:1"
            hostshell = "nope"
            """, _dir), ImageType.Admin, out _);
        Assert.Contains(bad, e => e.Key == "admin_container.img_name");
        Assert.Contains(bad, e => e.Key == "admin_container.hostshell" && e.Problem.Contains(Path.Combine(_dir, "nope")));
    }

    [Fact]
    public void Admin_container_rejects_unknown_keys_empty_names_and_bad_ports()
    {
        var ex = Fails("""
            [admin_container]
            img_name = ""
            ssh_port = 70000
            sshd_port = 22
            """);
        Assert.Contains(ex.Errors, e => e.Key == "admin_container.img_name" && e.Problem == "is empty.");
        Assert.Contains(ex.Errors, e => e.Key == "admin_container.ssh_port" && e.Problem.Contains("outside 1..65535"));
        Assert.Contains(ex.Errors, e => e.Key == "admin_container.sshd_port" && e.Fix.Contains("ssh_port"));
    }

    [Fact]
    public void Pxe_config_with_a_static_address_is_valid_and_gives_the_vm_layout()
    {
        File.WriteAllText(Path.Combine(_dir, "os-agent"), "#!/bin/sh\n");
        var config = KbimgTomlReader.Parse(FromRepo + "\n" + StaticPxe + "\n[disk_partition]\nroot = 1024\n", _dir);
        var pxe = config.PxeConfig!;
        Assert.Equal(("kubeos.img", "/dev/sda", "192.168.1.50", false), (pxe.RootfsName, pxe.Disk, pxe.ServerIp, pxe.Dhcp));
        Assert.Equal(("192.168.1.100", "255.255.255.0", "eth0", "192.168.1.1"), (pxe.LocalIp, pxe.Netmask, pxe.NetName, pxe.RouteIp));

        Assert.Empty(ImageConfigValidator.Validate(config, ImageType.Pxe, out var layout));
        Assert.Equal(1024, layout![2].SizeMiB);
        Assert.Equal(layout[2].StartMiB + 1024, layout[3].StartMiB);
        // The smallest disk the installer accepts: everything before PERSIST, KubeOS's PERSIST minimum, the backup GPT.
        Assert.Equal(layout[4].StartMiB + DiskPartitionSection.MinimumPersistMiB + 1, layout.TotalMiB);
    }

    [Fact]
    public void Dhcp_forbids_the_static_keys_and_static_needs_them()
    {
        var dhcp = Fails(StaticPxe + "\ndhcp = true\n");
        Assert.Contains(dhcp.Errors, e => e.Key == "pxe_config.local_ip" && e.Problem.Contains("dhcp = true"));
        Assert.Contains(dhcp.Errors, e => e.Key == "pxe_config.net_name");
        Assert.DoesNotContain(dhcp.Errors, e => e.Key == "pxe_config.route_ip");

        var bare = Fails("[pxe_config]\nrootfs_name = \"r.img\"\ndisk = \"/dev/vda\"\nserver_ip = \"10.0.0.1\"\n");
        Assert.Equal(["pxe_config.local_ip", "pxe_config.net_name", "pxe_config.netmask", "pxe_config.route_ip"],
            bare.Errors.Select(e => e.Key).Order());
        Assert.All(bare.Errors, e => Assert.Contains("dhcp = true", e.Fix));

        var ok = KbimgTomlReader.Parse("[pxe_config]\nrootfs_name = \"r.img\"\ndisk = \"/dev/vda\"\nserver_ip = \"10.0.0.1\"\ndhcp = true\n", _dir);
        Assert.True(ok.PxeConfig!.Dhcp);
    }

    [Theory]
    [InlineData("server_ip", "\"192.168.1\"", "pxe_config.server_ip")]
    [InlineData("server_ip", "\"fe80::1\"", "pxe_config.server_ip")]
    [InlineData("netmask", "\"255.0.255.0\"", "pxe_config.netmask")]
    [InlineData("route_ip", "\"300.1.1.1\"", "pxe_config.route_ip")]
    [InlineData("disk", "\"sda\"", "pxe_config.disk")]
    [InlineData("disk", "\"/dev/sda; reboot\"", "pxe_config.disk")]
    [InlineData("rootfs_name", "\"../etc/passwd\"", "pxe_config.rootfs_name")]
    [InlineData("net_name", "\"eth0 up\"", "pxe_config.net_name")]
    public void Bad_pxe_values_name_the_key(string key, string value, string expected)
    {
        var lines = StaticPxe.Split('\n').Select(l => l.StartsWith(key + " ", StringComparison.Ordinal) ? $"{key} = {value}" : l);
        var ex = Fails(string.Join('\n', lines));
        var error = Assert.Single(ex.Errors);
        Assert.Equal(expected, error.Key);
        Assert.NotEmpty(error.Fix);
    }

    [Fact]
    public void Pxe_images_need_pxe_config_and_refuse_dm_verity()
    {
        File.WriteAllText(Path.Combine(_dir, "os-agent"), "#!/bin/sh\n");
        var errors = ImageConfigValidator.Validate(KbimgTomlReader.Parse(FromRepo + "\n[dm_verity]\n", _dir), ImageType.Pxe, out _);
        Assert.Contains(errors, e => e.Key == "pxe_config" && e.Fix.Contains("server_ip"));
        Assert.Contains(errors, e => e.Key == "dm_verity" && e.Fix.Contains("remove [dm_verity]"));
    }

    [Theory]
    [InlineData("pxe-img", ImageType.Pxe)]
    [InlineData("pxe", ImageType.Pxe)]
    [InlineData("admin-container", ImageType.Admin)]
    [InlineData("admin-img", ImageType.Admin)]
    [InlineData("ADMIN", ImageType.Admin)]
    public void Image_type_names_include_KubeOS_names(string name, ImageType expected)
    {
        Assert.True(ImageTypeNames.TryParse(name, out var type));
        Assert.Equal(expected, type);
        Assert.Contains(name.ToLowerInvariant(), ImageTypeNames.All);
    }
}
