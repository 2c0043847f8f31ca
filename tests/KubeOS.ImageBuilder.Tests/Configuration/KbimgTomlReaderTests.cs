using KubeOS.ImageBuilder.Configuration;

namespace KubeOS.ImageBuilder.Tests.Configuration;

public sealed class KbimgTomlReaderTests
{
    private const string Full = """
        [from_repo]
        agent_path = "/opt/os-agent"
        legacy_bios = true
        repo_path = "/etc/apt/sources.list"
        root_passwd = "$6$salt$hash"
        rpmlist = ["openssh-server", "containerd"]
        upgrade_img = "kubeos/os:1.0.2"
        version = "1.0.2"
        suite = "bookworm"
        mirror = "http://deb.debian.org/debian"

        [[users]]
        name = "ops"
        passwd = "secret"
        primary_group = "ops"
        groups = ["adm", "sudo"]

        [[copy_files]]
        dst = "/etc/resolv.conf"
        src = "files/resolv.conf"

        [[copy_files]]
        create_dir = true
        dst = "/etc/kubeos"
        src = "files/extra"

        [grub]
        passwd = "grubpass"
        cmdline = ["rd.emergency=poweroff"]
        timeout = 1

        [systemd_service]
        name = ["containerd", "ssh"]

        [chroot_script]
        path = "setup.sh"
        rm = true

        [disk_partition]
        root = 640
        img_size = 8
        boot = 100

        [persist_mkdir]
        name = ["data", "logs"]

        [dm_verity]
        hash = 16
        """;

    [Fact]
    public void Full_KubeOS_style_file_maps_every_key()
    {
        var config = KbimgTomlReader.Parse(Full, "/base");
        var repo = config.FromRepo!;
        Assert.Equal("1.0.2", repo.Version);
        Assert.Equal("/opt/os-agent", repo.AgentPath);
        Assert.Equal("$6$salt$hash", repo.RootPasswordHash);
        Assert.Equal(["openssh-server", "containerd"], repo.Packages);
        Assert.Equal("kubeos/os:1.0.2", repo.UpgradeImage);
        Assert.True(repo.LegacyBios);
        Assert.Equal("/etc/apt/sources.list", repo.RepoPath);
        var user = Assert.Single(config.Users);
        Assert.Equal(("ops", "secret", "ops"), (user.Name, user.Password, user.PrimaryGroup));
        Assert.Equal(["adm", "sudo"], user.Groups);
        Assert.Equal(2, config.CopyFiles.Count);
        Assert.True(config.CopyFiles[1].CreateDirectory);
        Assert.Equal("/base/files/resolv.conf", config.ResolvePath(config.CopyFiles[0].Source));
        Assert.Equal("grubpass", config.Grub.Password);
        Assert.Equal(["rd.emergency=poweroff"], config.Grub.ExtraKernelArguments);
        Assert.Equal(1, config.Grub.TimeoutSeconds);
        Assert.Equal(["containerd", "ssh"], config.SystemdServices);
        Assert.Equal(new ChrootScriptSection("setup.sh", true), config.ChrootScript);
        Assert.Equal((640, 8, 100), (config.DiskPartition.RootMiB, config.DiskPartition.ImageSizeGiB, config.DiskPartition.BootMiB));
        Assert.Equal(["data", "logs"], config.PersistDirectories);
        Assert.Equal(16, config.DmVerity!.HashMiB);
    }

    [Fact]
    public void Defaults_follow_KubeOS()
    {
        var config = KbimgTomlReader.Parse("""
            [from_repo]
            version = "1"
            agent_path = "a"
            root_passwd = "$6$x"
            """, "/");
        Assert.Equal(2560, config.DiskPartition.RootMiB);
        Assert.Equal(20, config.DiskPartition.ImageSizeGiB);
        Assert.Equal(60, config.DiskPartition.BootMiB);
        Assert.False(config.FromRepo!.LegacyBios);
        Assert.Null(config.DmVerity);
        Assert.Equal("bookworm", config.FromRepo.Suite);
    }

    [Theory]
    [InlineData("[from_repo]\nversion=\"1\"\nagent_path=\"a\"\nroot_passwd=\"$6$x\"\nrpm_list=[\"x\"]", "from_repo.rpm_list")]
    [InlineData("[from_repo]\nversion=\"1\"\nagent_path=\"a\"\nroot_passwd=\"$6$x\"\n[disk_partition]\nroot_size=5", "disk_partition.root_size")]
    [InlineData("[from_repo]\nversion=\"1\"\nagent_path=\"a\"\nroot_passwd=\"$6$x\"\n[[users]]\nname=\"u\"\npasswd=\"p\"\nshell=\"/bin/sh\"", "users[0].shell")]
    [InlineData("[from_repo]\nversion=\"1\"\nagent_path=\"a\"\nroot_passwd=\"$6$x\"\n[extra]\nx=1", "extra")]
    public void Unknown_keys_are_errors_naming_the_key(string toml, string key)
    {
        var ex = Assert.Throws<ImageConfigException>(() => KbimgTomlReader.Parse(toml, "/"));
        var error = Assert.Single(ex.Errors);
        Assert.Equal(key, error.Key);
        Assert.Contains("not a known key", error.Problem);
        Assert.Contains(key, ex.Message);
    }

    [Fact]
    public void Unknown_key_error_lists_the_allowed_keys()
    {
        var ex = Assert.Throws<ImageConfigException>(() =>
            KbimgTomlReader.Parse("[disk_partition]\nrot = 5\n[from_repo]\nversion=\"1\"\nagent_path=\"a\"\nroot_passwd=\"$6$x\"", "/"));
        Assert.Contains("img_size", ex.Errors[0].Fix);
        Assert.Contains("root", ex.Errors[0].Fix);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var ex = Assert.Throws<ImageConfigException>(() => KbimgTomlReader.Parse("""
            [from_repo]
            version = "1.0;rm"
            root_passwd = "plain"
            legacy_bios = "yes"
            rpmlist = []
            [disk_partition]
            root = "big"
            img_size = 0
            """, "/"));
        var keys = ex.Errors.Select(e => e.Key).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "from_repo.version", "from_repo.agent_path", "from_repo.root_passwd", "from_repo.legacy_bios",
            "from_repo.rpmlist", "disk_partition.root", "disk_partition.img_size",
        }, keys);
        Assert.Contains(ex.Errors, e => e.Key == "from_repo.agent_path" && e.Problem == "is missing.");
        Assert.Contains(ex.Errors, e => e.Key == "disk_partition.root" && e.Problem.Contains("a string") && e.Fix.Contains("an integer"));
        Assert.Contains(ex.Errors, e => e.Key == "from_repo.root_passwd" && e.Fix.Contains("openssl passwd -6"));
    }

    [Fact]
    public void Empty_strings_are_rejected_like_KubeOS()
    {
        var ex = Assert.Throws<ImageConfigException>(() =>
            KbimgTomlReader.Parse("[from_repo]\nversion=\"\"\nagent_path=\"a\"\nroot_passwd=\"$6$x\"", "/"));
        Assert.Contains(ex.Errors, e => e.Key == "from_repo.version" && e.Problem == "is empty.");
    }

    [Fact]
    public void Signing_keys_and_unsupported_sections_are_named()
    {
        var ex = Assert.Throws<ImageConfigException>(() => KbimgTomlReader.Parse("""
            [from_repo]
            version = "1"
            agent_path = "a"
            root_passwd = "$6$x"
            [dm_verity]
            efi_key = "k"
            [from_dockerimg]
            upgrade_img = "x"
            """, "/"));
        Assert.Contains(ex.Errors, e => e.Key == "dm_verity.efi_key" && e.Problem.Contains("unsigned"));
        Assert.Contains(ex.Errors, e => e.Key == "from_dockerimg" && e.Fix == "remove [from_dockerimg].");
        Assert.DoesNotContain(ex.Errors, e => e.Key == "from_dockerimg.upgrade_img");
    }

    [Fact]
    public void Syntax_errors_name_the_file()
    {
        var ex = Assert.Throws<ImageConfigException>(() => KbimgTomlReader.Parse("[from_repo\nversion=", "/", "/x/kbimg.toml"));
        Assert.Equal("/x/kbimg.toml", ex.Errors[0].Key);
        Assert.Contains("not valid TOML", ex.Errors[0].Problem);
    }

    [Fact]
    public void Missing_file_is_a_config_error()
    {
        var ex = Assert.Throws<ImageConfigException>(() => KbimgTomlReader.ReadFile("/nonexistent/kbimg.toml"));
        Assert.Contains("does not exist", ex.Message);
    }
}
