using System.Management.Automation;
using KubeOS.Client;
using KubeOS.Client.Configuration;

namespace KubeOS.PowerShell.Cluster;

/// <summary>
/// Base of every cmdlet that talks to a cluster. The cluster comes from -Kubeconfig and -Context, else from the
/// sandbox this session started, else from $env:KUBECONFIG, else from ~/.kube/config (see about_KubeOS).
/// </summary>
public abstract class ClusterCmdlet : PipelineCmdlet
{
    private KubeOSCluster? _cluster;

    /// <summary>Path of a kubeconfig file; relative paths are resolved against the current location.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    /// <summary>A context of the kubeconfig; the kubeconfig's current context when left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContextCompleter))]
    public string? Context { get; set; }

    /// <summary>The connection, opened on first use; every API call it makes is written to the verbose stream.</summary>
    protected KubeOSCluster Cluster
    {
        get
        {
            if (_cluster is null)
            {
                ClusterTarget target;
                try
                {
                    target = ClusterResolver.Resolve(this, Kubeconfig, Context);
                }
                catch (ClusterConfigurationException ex)
                {
                    ThrowTerminatingError(ToErrorRecord(ex, Kubeconfig ?? Context));
                    throw; // not reached: ThrowTerminatingError always throws
                }
                WriteVerbose($"Cluster {target.Server} (context '{target.Context}' from {target.Source.Describe()}).");
                _cluster = KubeOSCluster.Connect(target, PostVerbose);
            }
            return _cluster;
        }
    }

    /// <summary>Runs cluster work; a failure becomes a terminating error with a stable id.</summary>
    protected T CallCluster<T>(Func<KubeOSCluster, CancellationToken, Task<T>> work, object? target = null)
    {
        var cluster = Cluster;
        try
        {
            return Await(ct => work(cluster, ct));
        }
        catch (ClusterApiException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex, target ?? cluster.Server));
            throw; // not reached
        }
    }

    protected override void Release()
    {
        _cluster?.Dispose();
        _cluster = null;
    }
}
