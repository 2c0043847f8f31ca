using System.Management.Automation;
using KubeOS.PowerShell.Cluster;
using KubeOS.PowerShell.Infrastructure;

namespace KubeOS.PowerShell.AdminContainer;

/// <summary>
/// What Enter-KubeOSAdminContainer and Invoke-KubeOSAdminCommand share: where the admin pod goes and how the client
/// logs in. Both deploy a pod per node, connect over SSH with the host key pinned, and remove the pod afterwards.
/// </summary>
public abstract class AdminContainerCmdlet : ClusterCmdlet
{
    private AdminPodClient? _pods;

    /// <summary>The admin container image: sshd, nsenter and the debugging tools (kbimg's admin-container image).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Image { get; set; } = AdminPodManifests.DefaultImage;

    /// <summary>Namespace of the admin pod; it must allow privileged pods.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Namespace { get; set; } = AdminPodManifests.DefaultNamespace;

    /// <summary>The port sshd listens on in the node's network namespace (not 22, which the node may use).</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = AdminPodManifests.DefaultPort;

    /// <summary>Connect here instead of the node's InternalIP (a NAT address, or a local port forwarded to the node).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Address { get; set; }

    /// <summary>Seconds to wait for the pod to be Ready and sshd to answer.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int Timeout { get; set; } = 120;

    /// <summary>The private key to log in with; without it a key pair is generated for the session and kept in memory.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeyPath { get; set; }

    /// <summary>The public key installed in the container; defaults to KeyPath.pub, else the public half of KeyPath.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PublicKeyPath { get; set; }

    /// <summary>Deploy also to a node that is not a KubeOS node.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected AdminPodClient Pods => _pods ??= new AdminPodClient(Cluster);

    protected AdminSessionOptions Options => new(Namespace, Image, Port, Address, TimeSpan.FromSeconds(Timeout), Force.IsPresent);

    /// <summary>The caller's key, or a generated one; bad key files stop the cmdlet.</summary>
    protected LoginKey OpenLoginKey()
    {
        if (KeyPath is null)
        {
            if (PublicKeyPath is not null)
            {
                ThrowTerminatingError(ErrorRecords.Create(CmdletErrorIds.ParameterConflict, ErrorCategory.InvalidArgument, PublicKeyPath,
                    "-PublicKeyPath needs -KeyPath: the client must hold the private key of the public key it installs.",
                    "Add -KeyPath <private key>, or leave both out to use a key pair generated for the session."));
            }
            return LoginKey.Generate();
        }
        try
        {
            return LoginKey.Load(Resolve(KeyPath), PublicKeyPath is null ? null : Resolve(PublicKeyPath));
        }
        catch (AdminContainerException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, KeyPath));
            throw; // not reached
        }
    }

    private string Resolve(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
}
