using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KubeOS.ImageBuilder.Admin;
using KubeOS.ImageBuilder.Tests.Support;

namespace KubeOS.ImageBuilder.Tests.Admin;

/// <summary>
/// Runs the image's entrypoint from an unpacked admin root the way a runtime would: a private mount namespace with
/// /dev and /proc, chroot into the root, the session files "mounted" at the default folder (0644, like a Secret
/// volume) and the port given through the environment. sshd listens on a free 127.0.0.1 port.
/// </summary>
internal sealed class AdminSshd : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    private readonly string _secret;

    private AdminSshd(Process process, string dir, string secret, int port)
    {
        _process = process;
        _dir = dir;
        _secret = secret;
        Port = port;
    }

    public int Port { get; }
    private string ClientKey => Path.Combine(_dir, "client_key");
    private string KnownHosts => Path.Combine(_dir, "known_hosts");

    public static async Task<AdminSshd> StartAsync(string root, string parent)
    {
        var dir = Path.Combine(parent, $"admin-sshd-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(dir);
        var secret = Path.Combine(root, AdminImage.DefaultSshDirectory.TrimStart('/'));
        Directory.CreateDirectory(secret);
        await HostProcess.CheckedAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(secret, "ssh_host_ed25519_key"));
        await HostProcess.CheckedAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(dir, "client_key"));
        File.Copy(Path.Combine(dir, "client_key.pub"), Path.Combine(secret, "authorized_keys"));
        // Secret volumes are readable by all; the entrypoint must cope.
        File.SetUnixFileMode(Path.Combine(secret, "ssh_host_ed25519_key"),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var port = FreePort();
        var hostKey = (await File.ReadAllTextAsync(Path.Combine(secret, "ssh_host_ed25519_key.pub"))).Trim();
        await File.WriteAllTextAsync(Path.Combine(dir, "known_hosts"), $"[127.0.0.1]:{port} {hostKey}\n");

        var psi = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--mount", "sh", "-c",
                     "mount --bind /dev \"$0/dev\" && mount -t proc proc \"$0/proc\" && exec chroot \"$0\" " + AdminImage.EntrypointPath, root })
            psi.ArgumentList.Add(a);
        psi.Environment[AdminImage.PortVariable] = port.ToString();
        psi.Environment["KUBEOS_ADMIN_LISTEN"] = "127.0.0.1";
        var process = Process.Start(psi)!;
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var sshd = new AdminSshd(process, dir, secret, port);
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited) break;
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return sshd;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        await sshd.DisposeAsync();
        lock (log) Assert.Fail("the admin entrypoint did not start sshd:\n" + log);
        return sshd;
    }

    public IEnumerable<string> ClientOptions(bool usePassword = false) =>
    [
        "-p", Port.ToString(), "-o", $"UserKnownHostsFile={KnownHosts}", "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
        "-o", "ConnectTimeout=10", .. usePassword
            ? new[] { "-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password,keyboard-interactive" }
            : new[] { "-i", ClientKey, "-o", "IdentitiesOnly=yes" },
    ];

    /// <summary>Logs in with the client key (the host key is pinned) and runs a command.</summary>
    public Task<string> SshAsync(string command) => HostProcess.CheckedAsync("ssh", [.. ClientOptions(), "root@127.0.0.1", command]);

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        try { Directory.Delete(_secret, recursive: true); } catch (IOException) { }
    }
}
