using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;

namespace KubeOS.PowerShell.Tests.AdminContainer;

/// <summary>
/// Runs an admin pod's container the way a hostPID/hostNetwork container runs: the pod's own command and arguments, in
/// the host's PID and network namespaces but in new mount, UTS and IPC namespaces, with a private /proc and /run and the
/// Secret's files bind-mounted read-only at the pod's mount path.
/// </summary>
[SupportedOSPlatform("linux")] // namespaces, unshare and Unix file modes
public sealed class AdminContainerProcess : IDisposable
{
    private readonly Process _nsenter;
    private readonly string _secretFolder;
    private readonly StringBuilder _log = new();

    public AdminContainerProcess(HostPidNamespace host, IReadOnlyList<string> command, string secretMountPath, IReadOnlyDictionary<string, byte[]> secret)
    {
        _secretFolder = Directory.CreateTempSubdirectory("kubeos-admin-secret-").FullName;
        foreach (var (name, content) in secret)
        {
            var path = Path.Combine(_secretFolder, name);
            File.WriteAllBytes(path, content);
            File.SetUnixFileMode(path, UnixFileMode.UserRead);
        }
        // What the container runtime does before it starts the container's command.
        // /var/log too, so that sshd's login records (wtmp, lastlog) stay in the container as they would in a real one.
        const string setup = "mount -t proc proc /proc && mount -t tmpfs -o mode=0755 tmpfs /run && mount -t tmpfs -o mode=0755 tmpfs /var/log"
                             + " && mkdir -p \"$KUBEOS_SECRET_MOUNT\" && mount --bind -o ro \"$KUBEOS_SECRET_SOURCE\" \"$KUBEOS_SECRET_MOUNT\""
                             + " && exec \"$@\"";
        var start = new ProcessStartInfo("nsenter")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        foreach (var argument in (string[])["-t", host.InitPid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--pid", "--",
                     "unshare", "--mount", "--uts", "--ipc", "--propagation", "private", "/bin/sh", "-c", setup, "container"])
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var argument in command) start.ArgumentList.Add(argument);
        start.Environment["KUBEOS_SECRET_MOUNT"] = secretMountPath;
        start.Environment["KUBEOS_SECRET_SOURCE"] = _secretFolder;
        _nsenter = Process.Start(start)!;
        _nsenter.OutputDataReceived += (_, e) => Append(e.Data);
        _nsenter.ErrorDataReceived += (_, e) => Append(e.Data);
        _nsenter.BeginOutputReadLine();
        _nsenter.BeginErrorReadLine();
    }

    /// <summary>What the container printed (sshd -e logs to stderr).</summary>
    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    /// <summary>The container's main process (sshd, after the exec chain) as the runner sees it, once it started.</summary>
    public int? MainPid { get; private set; }

    /// <summary>The mnt, uts, ipc, net and pid namespaces of the main process, read once it listened.</summary>
    public IReadOnlyDictionary<string, string> MainNamespaces { get; private set; } = new Dictionary<string, string>();

    private int? FindMainPid()
    {
        try
        {
            var children = File.ReadAllText($"/proc/{_nsenter.Id}/task/{_nsenter.Id}/children").Trim();
            return children.Length == 0 ? null : int.Parse(children.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public bool WaitListening(string address, int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_nsenter.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(address, port);
                MainPid = FindMainPid();
                if (MainPid is { } pid)
                {
                    MainNamespaces = new[] { "mnt", "uts", "ipc", "net", "pid" }
                        .ToDictionary(kind => kind, kind => Run.Namespace(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), kind));
                }
                return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        return false;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    public void Dispose()
    {
        if (MainPid is { } pid)
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
            }
        }
        _nsenter.WaitForExit(TimeSpan.FromSeconds(5));
        _nsenter.Dispose();
        Directory.Delete(_secretFolder, recursive: true);
    }
}
