using System.Management.Automation;
using System.Management.Automation.Runspaces;
using KubeOS.Client.Configuration;
using KubeOS.PowerShell.Sandbox;

namespace KubeOS.PowerShell.Cluster;

/// <summary>Chooses the kubeconfig and context for a cluster cmdlet or a completer, in the documented order.</summary>
public static class ClusterResolver
{
    /// <summary>For a running cmdlet: -Kubeconfig is resolved against PowerShell's current location.</summary>
    public static ClusterTarget Resolve(PSCmdlet cmdlet, string? kubeconfig, string? context)
    {
        var path = string.IsNullOrEmpty(kubeconfig) ? null : cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(kubeconfig);
        return Resolve(path, context, SandboxRegistry.ForCurrentRunspace());
    }

    /// <summary>For completers, which have no cmdlet: relative paths are resolved against the runspace's location.</summary>
    public static ClusterTarget? TryResolveForCompletion(string? kubeconfig, string? context)
    {
        try
        {
            var path = kubeconfig;
            if (!string.IsNullOrEmpty(path) && !Path.IsPathRooted(path))
            {
                var location = Runspace.DefaultRunspace?.SessionStateProxy.Path.CurrentFileSystemLocation.ProviderPath;
                path = Path.GetFullPath(path, location ?? Environment.CurrentDirectory);
            }
            return Resolve(path, context, SandboxRegistry.ForCurrentRunspace());
        }
        catch (Exception ex) when (ex is ClusterConfigurationException or PSInvalidOperationException or IOException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The kubeconfig source alone (for context completion, which needs no context).</summary>
    public static KubeconfigSource? SourceForCompletion(string? kubeconfig) =>
        KubeconfigSource.FromEnvironment(kubeconfig, SandboxRegistry.ForCurrentRunspace()?.Current?.Info.KubeconfigPath);

    private static ClusterTarget Resolve(string? kubeconfig, string? context, SandboxRegistry? registry)
    {
        var source = KubeconfigSource.FromEnvironment(kubeconfig, registry?.Current?.Info.KubeconfigPath)
            ?? throw new ClusterConfigurationException(ClusterConfigurationError.NoneConfigured,
                "No cluster is configured: there is no -Kubeconfig, no sandbox in this session, no KUBECONFIG variable and no ~/.kube/config.",
                "Start a sandbox with Start-KubeOSSandbox, pass -Kubeconfig <path>, or set $env:KUBECONFIG.");
        return KubeconfigLoader.Load(source, context);
    }
}
