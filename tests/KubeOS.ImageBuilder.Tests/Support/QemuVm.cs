using System.Diagnostics;

namespace KubeOS.ImageBuilder.Tests.Support;

/// <summary>
/// Boots a disk under QEMU TCG (KVM cannot run these guests here) with restricted user networking, no reboot and a
/// hard time limit, and returns the serial console log.
/// </summary>
internal static class QemuVm
{
    public enum Firmware { Bios, Uefi }

    /// <param name="writeToDisk">Boot <paramref name="disk"/> itself (a test's own copy) instead of a throw-away overlay.</param>
    public static async Task<string> BootAsync(string disk, string format, Firmware firmware, string workDirectory, TimeSpan limit,
        bool writeToDisk = false)
    {
        var name = $"vm-{firmware}-{Guid.NewGuid():N}"[..20];
        var overlay = Path.Combine(workDirectory, name + ".qcow2");
        var serial = Path.Combine(workDirectory, name + ".log");
        if (!writeToDisk) await HostProcess.CheckedAsync("qemu-img", "create", "-q", "-f", "qcow2", "-b", disk, "-F", format, overlay);
        var args = new List<string>
        {
            "--kill-after=5", ((int)limit.TotalSeconds).ToString(), "qemu-system-x86_64",
            "-cpu", "qemu64", "-smp", "2", "-m", "1024", "-display", "none", "-no-reboot",
            "-nic", "user,restrict=on", "-serial", "file:" + serial,
            "-drive", writeToDisk ? $"file={disk},format={format},if=virtio" : $"file={overlay},format=qcow2,if=virtio",
        };
        if (firmware == Firmware.Uefi)
        {
            var vars = Path.Combine(workDirectory, name + "-vars.fd");
            File.Copy("/usr/share/OVMF/OVMF_VARS_4M.fd", vars);
            args.AddRange(["-machine", "q35,accel=tcg",
                "-drive", "if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd",
                "-drive", $"if=pflash,format=raw,file={vars}"]);
        }
        else
        {
            args.AddRange(["-machine", "pc,accel=tcg"]);
        }
        var (code, output) = await HostProcess.RunAsync("timeout", [.. args]);
        var log = File.Exists(serial) ? await File.ReadAllTextAsync(serial) : "";
        Assert.True(code == 0, $"QEMU exited {code} (124 = time limit): {output}\n--- serial tail ---\n{Tail(log)}");
        if (!writeToDisk) File.Delete(overlay);
        return log;
    }

    public static string Tail(string log) => log.Length > 3000 ? log[^3000..] : log;
}
