using System.Management.Automation;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using KubeOS.Client;
using KubeOS.PowerShell.Cluster;
using KubeOS.PowerShell.Infrastructure;

namespace KubeOS.PowerShell.Installation;

/// <summary>
/// What Install-KubeOSOperator and Uninstall-KubeOSOperator share: -Namespace, and one API call at a time with its
/// failure turned into an error record. An unreachable cluster stops the cmdlet; a refused call on one object is a
/// non-terminating error and the cmdlet goes on with the next object.
/// </summary>
public abstract partial class DeploymentCmdlet : ClusterCmdlet
{
    /// <summary>The namespace of the operator, the proxies, their ServiceAccounts and the leader-election Role.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Namespace { get; set; } = DeployManifests.DefaultNamespace;

    protected void ValidateNamespace()
    {
        if (!NamespacePattern().IsMatch(Namespace))
        {
            ThrowTerminatingError(ErrorRecords.Create(InstallErrorIds.InvalidNamespace, ErrorCategory.InvalidArgument, Namespace,
                $"-Namespace '{Namespace}' is not a Kubernetes namespace name.",
                "Use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit, for example upgrade-system."));
        }
    }

    protected static string Describe(IKubernetesObject<V1ObjectMeta> o) => Change(o, KubeOSResourceAction.Unchanged).ToString();

    protected static KubeOSResourceChange Change(IKubernetesObject<V1ObjectMeta> o, KubeOSResourceAction action) => new()
    {
        Kind = ResourceKinds.For(o).Kind,
        Name = o.Metadata.Name,
        Namespace = ResourceKinds.For(o).Namespaced ? o.Metadata.NamespaceProperty : null,
        Action = action,
        ApiVersion = o.ApiVersion,
    };

    /// <summary>The object as the cluster has it; null when it does not exist, or when reading it failed (error written).</summary>
    protected (bool Ok, IKubernetesObject<V1ObjectMeta>? Live) Read(IKubernetesObject<V1ObjectMeta> desired)
    {
        IKubernetesObject<V1ObjectMeta>? live = null;
        var ok = Call($"read the {Describe(desired)}", desired, async (client, ct) =>
        {
            try
            {
                live = await ResourceKinds.For(desired).Read(client, desired, ct).ConfigureAwait(false);
            }
            catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                live = null;
            }
        });
        return (ok, live);
    }

    /// <summary>Runs one API call; false when it failed (the error is written, or thrown when the cluster is unreachable).</summary>
    protected bool Call(string operation, IKubernetesObject<V1ObjectMeta> target, Func<IKubernetes, CancellationToken, Task> call)
    {
        var cluster = Cluster;
        try
        {
            Await(ct => call(cluster.Client, ct));
            return true;
        }
        catch (Exception ex) when (ClusterApiException.Wrap(ex, operation, cluster.Server) is ClusterApiException api)
        {
            var record = ToErrorRecord(api, Describe(target));
            if (api.StatusCode is null)
            {
                ThrowTerminatingError(record);
            }
            WriteError(record);
            return false;
        }
    }

    /// <summary>True under -WhatIf (or $WhatIfPreference), when extra prompts must not be shown.</summary>
    protected bool IsWhatIf =>
        (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value) && value is SwitchParameter { IsPresent: true })
        || LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex NamespacePattern();
}
