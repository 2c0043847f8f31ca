using System.Management.Automation;
using System.Text.Json;
using k8s;
using k8s.Models;
using KubeOS.Api;

namespace KubeOS.PowerShell.Installation;

/// <summary>
/// Uninstall-KubeOSOperator: deletes what Install-KubeOSOperator creates, in reverse order. The CRDs stay unless
/// -IncludeCustomResourceDefinitions is given, because deleting a CRD deletes every OS and OSInstance object with it.
/// A namespace is deleted only when Install-KubeOSOperator created it.
/// </summary>
[Cmdlet(VerbsLifecycle.Uninstall, "KubeOSOperator", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(KubeOSResourceChange))]
public sealed class UninstallKubeOSOperatorCommand : DeploymentCmdlet
{
    /// <summary>Also delete the OS and OSInstance CRDs, and with them every OS and OSInstance object of the cluster.</summary>
    [Parameter]
    public SwitchParameter IncludeCustomResourceDefinitions { get; set; }

    /// <summary>Skips the extra question before the CRDs are deleted (the per-object confirmation still applies).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        ValidateNamespace();
        var objects = new DeploymentSettings { Namespace = Namespace }.Objects(IncludeCustomResourceDefinitions).Reverse().ToList();
        if (IncludeCustomResourceDefinitions && !Force && !IsWhatIf && !ShouldContinue(
                $"Deleting the KubeOS CustomResourceDefinitions also deletes every OS and OSInstance object in the cluster ({CountUserObjects()}). Continue?",
                "Delete the KubeOS CRDs"))
        {
            WriteVerbose("Nothing was deleted: the deletion of the CRDs was declined.");
            return;
        }
        foreach (var desired in objects)
        {
            Remove(desired);
        }
    }

    private void Remove(IKubernetesObject<V1ObjectMeta> desired)
    {
        var (ok, live) = Read(desired);
        if (!ok)
        {
            return;
        }
        var target = Describe(desired);
        if (live is null)
        {
            WriteObject(Change(desired, KubeOSResourceAction.NotFound));
            return;
        }
        if (desired is V1Namespace && !DeploymentSettings.IsManaged(live))
        {
            WriteVerbose($"Keeping the {target}: Install-KubeOSOperator did not create it (no label {DeploymentSettings.ManagedByLabel}={DeploymentSettings.ManagedByValue}).");
            WriteObject(Change(desired, KubeOSResourceAction.Kept));
            return;
        }
        if (!ShouldProcess(target, "Delete"))
        {
            return;
        }
        if (Call($"delete the {target}", desired, (client, ct) => ResourceKinds.For(desired).Delete(client, desired, ct)))
        {
            WriteObject(Change(desired, KubeOSResourceAction.Deleted));
        }
    }

    private string CountUserObjects()
    {
        // Resolved here, on the pipeline thread: the session's sandbox is only known there.
        var client = Cluster.Client;
        var counts = new List<string>();
        foreach (var (plural, kind) in new[] { (WellKnown.OSPlural, "OS"), (WellKnown.OSInstancePlural, "OSInstance") })
        {
            var count = 0;
            var listed = Await(async ct =>
            {
                try
                {
                    var body = await client.CustomObjects.ListClusterCustomObjectAsync(WellKnown.Group, WellKnown.Version, plural, cancellationToken: ct).ConfigureAwait(false);
                    count = body is JsonElement e && e.TryGetProperty("items", out var items) ? items.GetArrayLength() : 0;
                    return true;
                }
                catch (Exception ex) when (ex is k8s.Autorest.HttpOperationException or HttpRequestException)
                {
                    return false;
                }
            });
            counts.Add(listed ? $"{count} {kind}" : $"{kind}: unknown");
        }
        return string.Join(", ", counts) + " now";
    }
}
