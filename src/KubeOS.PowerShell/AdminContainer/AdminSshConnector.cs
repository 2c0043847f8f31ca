using System.Management.Automation;
using System.Net.Sockets;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace KubeOS.PowerShell.AdminContainer;

/// <summary>
/// Opens the SSH connection to the admin container. The host key is pinned: only the key the module generated and put
/// into the session's Secret is accepted, so a different sshd on that address (or anyone in between) is refused.
/// </summary>
public static class AdminSshConnector
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(300);

    /// <summary>Connects as root; refused connections are retried until <paramref name="timeout"/> (sshd may still be starting).</summary>
    public static async Task<SshClient> ConnectAsync(string node, string address, int port, LoginKey login, SessionKey hostKey,
        TimeSpan timeout, Action<string> verbose, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var info = new ConnectionInfo(address, port, "root", new PrivateKeyAuthenticationMethod("root", login.PrivateKey))
            {
                Timeout = timeout < TimeSpan.FromSeconds(30) ? timeout : TimeSpan.FromSeconds(30),
            };
            var client = new SshClient(info);
            string? offered = null;
            client.HostKeyReceived += (_, e) =>
            {
                e.CanTrust = e.HostKey.AsSpan().SequenceEqual(hostKey.PublicKeyBlob);
                if (!e.CanTrust) offered = $"{e.HostKeyName} {SessionKey.FingerprintOf(e.HostKey)}";
            };
            try
            {
                await client.ConnectAsync(ct).ConfigureAwait(false);
                verbose($"Connected to {address}:{port} as root with {login.Description}; host key {hostKey.Fingerprint} matches the one the module generated.");
                return client;
            }
            catch (Exception ex) when (offered is not null && ex is SshException)
            {
                client.Dispose();
                throw new AdminContainerException(
                    $"The SSH server at {address}:{port} for node '{node}' presented the host key {offered}, not {SessionKey.Algorithm} {hostKey.Fingerprint} that the module generated for this session. The connection was refused.",
                    AdminContainerErrorIds.SshHostKeyMismatch, ErrorCategory.SecurityError, ex)
                {
                    RecommendedAction = "Something other than this session's admin container answers on that address and port: check -Address and -Port, and who listens there on the node.",
                };
            }
            catch (SshAuthenticationException ex)
            {
                client.Dispose();
                throw new AdminContainerException(
                    $"The admin container on node '{node}' ({address}:{port}) refused {login.Description}: {ex.Message}",
                    AdminContainerErrorIds.SshAuthenticationFailed, ErrorCategory.AuthenticationError, ex)
                {
                    RecommendedAction = "Check that -PublicKeyPath belongs to -KeyPath, or leave both out to use a key generated for the session.",
                };
            }
            catch (Exception ex) when (ex is SocketException or SshConnectionException or SshOperationTimeoutException or ProxyException)
            {
                client.Dispose();
                if (DateTime.UtcNow + RetryInterval >= deadline)
                {
                    throw new AdminContainerException(
                        $"Cannot reach the admin container on node '{node}' at {address}:{port}: {ex.Message}",
                        AdminContainerErrorIds.SshConnectionFailed, ErrorCategory.ConnectionError, ex)
                    {
                        RecommendedAction = "Check that this machine can reach the node's address (or pass -Address) and that no firewall blocks -Port on the node.",
                    };
                }
                await Task.Delay(RetryInterval, ct).ConfigureAwait(false);
            }
        }
    }
}
