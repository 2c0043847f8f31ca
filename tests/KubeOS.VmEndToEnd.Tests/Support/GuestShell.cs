using Renci.SshNet;
using Renci.SshNet.Common;

namespace KubeOS.VmEndToEnd.Tests.Support;

/// <summary>
/// Root logins to the guest over SSH, so the test reads the machine's own state (command line, mounted root, files,
/// sysctls) rather than any component's report of it. The host key seen first is pinned for every later login.
/// One connection serves the commands of a boot: a login costs the emulated guest seconds of CPU that its services
/// would otherwise get.
/// </summary>
public sealed class GuestShell(int port, string privateKeyPath) : IDisposable
{
    private byte[]? _pinnedHostKey;
    private SshClient? _client;

    /// <summary>Runs a command; throws with its output when it exits non-zero.</summary>
    public string Run(string command)
    {
        var (code, output) = TryRun(command);
        if (code != 0) throw new InvalidOperationException($"guest command '{command}' exited {code}: {output}");
        return output.Trim();
    }

    public (int ExitCode, string Output) TryRun(string command)
    {
        if (_client is not { IsConnected: true })
        {
            Dispose();
            _client = Connect(TimeSpan.FromSeconds(20));
        }
        using var cmd = _client.RunCommand(command);
        return (cmd.ExitStatus ?? -1, cmd.Result + cmd.Error);
    }

    /// <summary>Waits for sshd to answer a login (the guest is booting or rebooting); later commands use this login.</summary>
    public async Task WaitForLoginAsync(TimeSpan limit, Func<string> console)
    {
        // The connection of the boot before, if any, is gone with it.
        Dispose();
        var deadline = DateTime.UtcNow + limit;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                _client = Connect(TimeSpan.FromSeconds(10));
                return;
            }
            catch (Exception e) when (e is SshException or System.Net.Sockets.SocketException or IOException or TimeoutException)
            {
                last = e;
            }
            await Task.Delay(2000);
        }
        throw new TimeoutException($"no SSH login within {limit.TotalSeconds:0} s ({last?.Message})\n--- console ---\n{console()}");
    }

    private SshClient Connect(TimeSpan timeout)
    {
        var client = new SshClient(new ConnectionInfo("127.0.0.1", port, "root", new PrivateKeyAuthenticationMethod("root", new PrivateKeyFile(privateKeyPath)))
        {
            Timeout = timeout,
        });
        client.HostKeyReceived += (_, e) =>
        {
            _pinnedHostKey ??= e.HostKey;
            e.CanTrust = e.HostKey.AsSpan().SequenceEqual(_pinnedHostKey);
        };
        try
        {
            client.Connect();
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        _client = null;
    }
}
