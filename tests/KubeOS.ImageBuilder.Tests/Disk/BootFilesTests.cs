using KubeOS.ImageBuilder.Configuration;
using KubeOS.ImageBuilder.Disk;

namespace KubeOS.ImageBuilder.Tests.Disk;

public sealed class BootFilesTests
{
    [Fact]
    public void Grub_config_has_A_and_B_entries_on_partitions_2_and_3()
    {
        var cfg = BootFiles.RenderGrubConfig(new GrubSection { TimeoutSeconds = 2 }, null, null);
        Assert.Contains("menuentry 'A' --unrestricted --id 'KubeOS-A'", cfg);
        Assert.Contains("menuentry 'B' --unrestricted --id 'KubeOS-B'", cfg);
        Assert.Contains("set root=(${bootdisk},gpt2)", cfg);
        Assert.Contains("set root=(${bootdisk},gpt3)", cfg);
        Assert.Contains("linux /boot/vmlinuz root=PARTLABEL=ROOT-A ro ", cfg);
        Assert.Contains("linux /boot/vmlinuz root=PARTLABEL=ROOT-B ro ", cfg);
        Assert.Contains("initrd /boot/initramfs.img", cfg);
        Assert.Contains("set timeout=2", cfg);
        Assert.DoesNotContain("@", cfg);
    }

    [Fact]
    public void Grub_config_boots_next_entry_once_then_falls_back_to_saved_entry()
    {
        var cfg = BootFiles.RenderGrubConfig(new GrubSection(), null, null);
        var next = cfg.IndexOf("set default=\"${next_entry}\"", StringComparison.Ordinal);
        var clear = cfg.IndexOf("save_env -f $prefix/grubenv next_entry", StringComparison.Ordinal);
        var saved = cfg.IndexOf("set default=\"${saved_entry}\"", StringComparison.Ordinal);
        Assert.True(next > 0 && clear > next && saved > clear);
        Assert.Contains("load_env -f $prefix/grubenv", cfg);
    }

    [Fact]
    public void Extra_arguments_go_on_both_entries()
    {
        var cfg = BootFiles.RenderGrubConfig(new GrubSection { ExtraKernelArguments = ["rd.emergency=poweroff", "quiet"] }, null, null);
        Assert.Equal(2, cfg.Split("rd.emergency=poweroff quiet").Length - 1);
    }

    [Fact]
    public void Verity_command_line_names_data_hash_and_root_hash()
    {
        var line = BootFiles.KernelCommandLine('A', "abc123", []);
        Assert.Contains("root=/dev/mapper/root", line);
        Assert.Contains("systemd.verity_root_data=PARTLABEL=ROOT-A", line);
        Assert.Contains("systemd.verity_root_hash=PARTLABEL=HASH-A", line);
        Assert.Contains("roothash=abc123", line);
        Assert.Contains(" ro ", line);
    }
}
