using System.Management.Automation;
using Renci.SshNet;

namespace KubeOS.PowerShell.AdminContainer;

/// <summary>
/// One admin container on one node, from its creation to its removal: check the node, generate the host key, create the
/// pod and Secret, wait for Ready, connect with the host key pinned. Whatever fails after the pod exists removes it.
/// </summary>
public sealed class AdminSession : IAsyncDisposable
{
    private readonly AdminPodClient _pods;
    private readonly Action<string> _verbose;

    private AdminSession(AdminPodClient pods, string node, string ns, string podName, SshClient ssh, Action<string> verbose)
    {
        _pods = pods;
        Node = node;
        Namespace = ns;
        PodName = podName;
        Ssh = ssh;
        _verbose = verbose;
    }

    public string Node { get; }
    public string Namespace { get; }
    public string PodName { get; }
    public SshClient Ssh { get; }

    /// <summary>When true, disposing closes the connection but leaves the pod and Secret on the node.</summary>
    public bool Keep { get; set; }

    public static async Task<AdminSession> StartAsync(AdminPodClient pods, AdminSessionOptions options, string nodeName, LoginKey login,
        Action<string> verbose, CancellationToken ct)
    {
        var node = await pods.GetNodeAsync(nodeName, ct).ConfigureAwait(false);
        if (!node.IsKubeOS)
        {
            if (!options.Force)
            {
                throw new AdminContainerException(
                    $"Node '{nodeName}' is not a KubeOS node: it reports the OS image '{node.OSImage}' and has no OSInstance.",
                    AdminContainerErrorIds.NotKubeOSNode, ErrorCategory.InvalidOperation)
                {
                    RecommendedAction = "Pick a KubeOS node (Get-KubeOSNode shows OSVersion), or add -Force to deploy the admin container anyway.",
                };
            }
            verbose($"Node '{nodeName}' is not a KubeOS node (OS image '{node.OSImage}'); going on because of -Force.");
        }
        var address = options.Address ?? node.InternalAddress ?? throw new AdminContainerException(
            $"Node '{nodeName}' reports no InternalIP or ExternalIP address to connect to.",
            AdminContainerErrorIds.NodeAddressUnknown, ErrorCategory.ObjectNotFound)
        {
            RecommendedAction = "Pass the node's address with -Address.",
        };

        using var hostKey = SessionKey.Generate();
        // Listen on the node address the client uses; with -Address (a NAT or a tunnel in between) on every address.
        var sshdConfig = SessionFiles.SshdConfigText(options.Port, options.Address is null ? node.InternalAddress : null);
        var pod = AdminPodManifests.Pod(AdminPodManifests.NewName(nodeName), options.Namespace, nodeName, options.Image, options.Port);
        var podName = pod.Metadata.Name;
        await pods.CreateAsync(pod, created => AdminPodManifests.Secret(created, nodeName, sshdConfig, hostKey.PrivateKeyPem(), login.AuthorizedKey), ct)
            .ConfigureAwait(false);
        verbose($"Created the pod and Secret {options.Namespace}/{podName} on node '{nodeName}' (image {options.Image}, sshd on port {options.Port}, host key {hostKey.Fingerprint}).");
        try
        {
            var deadline = DateTime.UtcNow + options.Timeout;
            await pods.WaitReadyAsync(options.Namespace, podName, nodeName, options.Timeout, ct).ConfigureAwait(false);
            verbose($"The pod {options.Namespace}/{podName} is Ready; connecting to {address}:{options.Port}.");
            var remaining = deadline - DateTime.UtcNow;
            var ssh = await AdminSshConnector.ConnectAsync(nodeName, address, options.Port, login, hostKey,
                remaining > TimeSpan.FromSeconds(5) ? remaining : TimeSpan.FromSeconds(5), verbose, ct).ConfigureAwait(false);
            return new AdminSession(pods, nodeName, options.Namespace, podName, ssh, verbose);
        }
        catch
        {
            await pods.DeleteAsync(options.Namespace, podName, CancellationToken.None).ConfigureAwait(false);
            verbose($"Removed the pod and Secret {options.Namespace}/{podName}.");
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Ssh.Dispose();
        if (Keep)
        {
            _verbose($"Kept the pod {Namespace}/{PodName} on node '{Node}' (-Keep); Remove-KubeOSAdminContainer -Node '{Node}' removes it.");
            return;
        }
        await _pods.DeleteAsync(Namespace, PodName, CancellationToken.None).ConfigureAwait(false);
        _verbose($"Removed the pod and Secret {Namespace}/{PodName}.");
    }
}
