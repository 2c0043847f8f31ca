using KubeOS.ImageBuilder.Rootfs;

namespace KubeOS.ImageBuilder.Tests.Rootfs;

public sealed class RootfsFilesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kbimg-rootfs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Os_release_is_written_as_KubeOS_and_the_etc_copy_removed()
    {
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        Directory.CreateDirectory(Path.Combine(_root, "usr/lib"));
        File.WriteAllText(Path.Combine(_root, "usr/lib/os-release"), "NAME=Debian\n");
        File.CreateSymbolicLink(Path.Combine(_root, "etc/os-release"), "../usr/lib/os-release");

        OsRelease.Write(_root, "2.1.0");

        var text = File.ReadAllText(Path.Combine(_root, "usr/lib/os-release"));
        Assert.Contains("PRETTY_NAME=\"KubeOS 2.1.0\"", text);
        Assert.Contains("VERSION_ID=2.1.0\n", text);
        Assert.Contains("NAME=\"KubeOS\"", text);
        Assert.False(File.Exists(Path.Combine(_root, "etc/os-release")));
        Assert.Null(new FileInfo(Path.Combine(_root, "etc/os-release")).LinkTarget);
    }

    [Fact]
    public void Persistent_sysctl_file_is_linked_where_systemd_sysctl_reads_it_and_kept_when_present()
    {
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        PersistentSysctl.Install(_root);
        Assert.Equal("../sysctl.conf", new FileInfo(Path.Combine(_root, PersistentSysctl.LinkPath)).LinkTarget);
        Assert.True(File.Exists(Path.Combine(_root, "etc/sysctl.conf")));
        Assert.Contains("After=etc.mount", File.ReadAllText(Path.Combine(_root, "usr/lib/systemd/system", PersistentSysctl.ReapplyUnit)));
        Assert.NotNull(new FileInfo(Path.Combine(_root, "etc/systemd/system/sysinit.target.wants", PersistentSysctl.ReapplyUnit)).LinkTarget);

        File.WriteAllText(Path.Combine(_root, "etc/sysctl.conf"), "vm.swappiness = 13\n");
        PersistentSysctl.Install(_root);
        Assert.Equal("vm.swappiness = 13\n", File.ReadAllText(Path.Combine(_root, "etc/sysctl.conf")));
    }

    [Fact]
    public void Var_seed_creates_dirs_and_copies_files_from_the_factory_copy()
    {
        var var = Path.Combine(_root, "var");
        Directory.CreateDirectory(Path.Combine(var, "lib/dpkg"));
        File.WriteAllText(Path.Combine(var, "lib/dpkg/status"), "x");
        var text = VarSeed.Render(var);
        Assert.Contains("d /var/lib ", text);
        Assert.Contains("d /var/lib/dpkg ", text);
        Assert.Contains("C /var/lib/dpkg/status - - - - /usr/share/factory/var/lib/dpkg/status", text);
    }

    [Fact]
    public void Root_password_hash_replaces_the_shadow_field()
    {
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        File.WriteAllText(Path.Combine(_root, "etc/shadow"), "root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n");
        RootfsCustomizer.SetRootPassword(_root, "$6$s$h");
        var lines = File.ReadAllLines(Path.Combine(_root, "etc/shadow"));
        Assert.Equal("root:$6$s$h:19000:0:99999:7:::", lines[0]);
        Assert.Equal("daemon:*:19000:0:99999:7:::", lines[1]);
    }

    [Fact]
    public void Kernel_files_get_fixed_names()
    {
        Directory.CreateDirectory(Path.Combine(_root, "boot"));
        File.WriteAllText(Path.Combine(_root, "boot/vmlinuz-6.1.0-9-amd64"), "k");
        File.WriteAllText(Path.Combine(_root, "boot/initrd.img-6.1.0-9-amd64"), "i");
        File.CreateSymbolicLink(Path.Combine(_root, "vmlinuz"), "boot/vmlinuz-6.1.0-9-amd64");
        RootfsCustomizer.RenameKernelFiles(_root);
        Assert.Equal("k", File.ReadAllText(Path.Combine(_root, "boot/vmlinuz")));
        Assert.Equal("i", File.ReadAllText(Path.Combine(_root, "boot/initramfs.img")));
        Assert.Null(new FileInfo(Path.Combine(_root, "vmlinuz")).LinkTarget);
    }

    [Fact]
    public void Cache_key_changes_with_packages_and_not_with_their_order()
    {
        var source = new DebianPackageSource();
        var a = RootfsCache.Key(source, new RootfsRequest("bookworm", "http://m", null, ["curl", "jq"]));
        var b = RootfsCache.Key(source, new RootfsRequest("bookworm", "http://m", null, ["jq", "curl"]));
        var c = RootfsCache.Key(source, new RootfsRequest("bookworm", "http://m", null, ["curl"]));
        var d = RootfsCache.Key(source, new RootfsRequest("trixie", "http://m", null, ["curl", "jq"]));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(a, d);
    }
}
