using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KubeOS.VmEndToEnd.Tests.Support;

/// <summary>A host service the guest reaches at <see cref="GuestVm.HostAddress"/>:<paramref name="GuestPort"/>.</summary>
public sealed record GuestForward(int GuestPort, int HostPort);

/// <summary>
/// A guest left running under QEMU (TCG unless KVM works here), rebooting when it wants to (no -no-reboot: upgrades and panics reboot it).
/// Restricted user networking: the guest reaches nothing but the host services named by guestfwd rules, each
/// connection handed to 127.0.0.1 by socat; the host reaches the guest's sshd through one hostfwd port.
/// </summary>
public sealed class GuestVm : IAsyncDisposable
{
    /// <summary>The address host services appear at inside the guest.</summary>
    public const string HostAddress = "10.0.2.100";

    private readonly Process _process;

    private GuestVm(Process process, string serialLog, int sshPort)
    {
        _process = process;
        SerialLog = serialLog;
        SshPort = sshPort;
    }

    public string SerialLog { get; }
    public int SshPort { get; }
    public bool HasExited => _process.HasExited;

    public enum Firmware { Bios, Uefi }

    public static GuestVm Start(string disk, string workDirectory, Firmware firmware, IEnumerable<GuestForward> forwards, bool kvm = false)
    {
        var name = $"guest-{firmware}-{DateTime.UtcNow:HHmmss}".ToLowerInvariant();
        var serial = Path.Combine(workDirectory, name + ".log");
        var sshPort = FreePort();
        var nic = $"user,restrict=on,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:{sshPort}-:22";
        foreach (var f in forwards)
            nic += $",guestfwd=tcp:{HostAddress}:{f.GuestPort}-cmd:socat - TCP:127.0.0.1:{f.HostPort}";
        // NativeAOT code needs x86-64-v2 (qemu64 is v1); Westmere adds AES-NI for the guest's TLS. Not "max": with its
        // 5-level paging, TCG faults on the iretq .NET uses to restore a thread context, which kills the process.
        var args = new List<string>
        {
            // No default floppy, CD-ROM or VGA: probing the empty floppy drive stalls every scan of the block devices.
            "-nodefaults", "-accel", kvm ? "kvm" : "tcg", "-cpu", kvm ? "host" : "Westmere", "-smp", "2", "-m", "1536", "-display", "none", "-nic", nic,
            "-serial", "file:" + serial, "-drive", $"file={disk},format=qcow2,if=virtio",
        };
        if (firmware == Firmware.Uefi)
        {
            var vars = Path.Combine(workDirectory, name + "-vars.fd");
            File.Copy("/usr/share/OVMF/OVMF_VARS_4M.fd", vars, overwrite: true);
            args.AddRange(["-machine", "q35",
                "-drive", "if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd",
                "-drive", $"if=pflash,format=raw,file={vars}"]);
        }
        else
        {
            args.AddRange(["-machine", "pc"]);
        }
        var info = new ProcessStartInfo("qemu-system-x86_64") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) File.AppendAllText(serial + ".qemu", e.Data + "\n"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new GuestVm(process, serial, sshPort);
    }

    /// <summary>The serial console so far (boot messages, panics, GRUB).</summary>
    public string Console() => File.Exists(SerialLog) ? ReadShared(SerialLog) : "";

    public string ConsoleTail(int chars = 4000)
    {
        var log = Console();
        return log.Length > chars ? log[^chars..] : log;
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
