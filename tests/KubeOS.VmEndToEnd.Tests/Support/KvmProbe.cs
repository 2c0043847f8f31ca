using KubeOS.ImageBuilder.Tests.Support;

namespace KubeOS.VmEndToEnd.Tests.Support;

/// <summary>
/// Whether KVM can run this guest here. /dev/kvm may exist and still fail 64-bit guests (a kernel hangs after the
/// BIOS), so the probe boots the image's own kernel under KVM with no root: a working KVM reaches the kernel's "no
/// root" panic within seconds; anything else means TCG.
/// </summary>
public static class KvmProbe
{
    public static async Task<(bool Usable, string Why)> ProbeAsync(string rootImage, string workDirectory)
    {
        if (!File.Exists("/dev/kvm")) return (false, "no /dev/kvm");
        var kernel = Path.Combine(workDirectory, "probe-vmlinuz");
        await HostProcess.CheckedAsync("debugfs", "-R", $"dump /boot/vmlinuz {kernel}", rootImage);
        var log = Path.Combine(workDirectory, "probe-kvm.log");
        var (code, output) = await HostProcess.RunAsync("timeout", "20", "qemu-system-x86_64", "-accel", "kvm", "-machine", "pc",
            "-cpu", "host", "-m", "512", "-display", "none", "-no-reboot", "-nic", "none", "-serial", $"file:{log}",
            "-kernel", kernel, "-append", "console=ttyS0 panic=-1");
        var console = File.Exists(log) ? await File.ReadAllTextAsync(log) : "";
        return console.Contains("Kernel panic", StringComparison.Ordinal)
            ? (true, "KVM boots the guest kernel")
            : (false, $"KVM did not boot the guest kernel (exit {code}{(code == 124 ? ", hung" : "")}): {output.Trim()}");
    }
}
