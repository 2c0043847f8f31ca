using System.Management.Automation;
using k8s;
using k8s.Models;
using KubeOS.PowerShell.Infrastructure;

namespace KubeOS.PowerShell.Installation;

/// <summary>
/// Install-KubeOSOperator: creates or updates the KubeOS deployment from the manifests inside the module — the CRDs,
/// the namespace, one ServiceAccount and least-privilege role per component, the os-operator Deployment and the
/// os-proxy DaemonSet. Objects that already hold what the manifest says are left alone, so running it again is safe.
/// </summary>
[Cmdlet(VerbsLifecycle.Install, "KubeOSOperator", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KubeOSResourceChange))]
public sealed class InstallKubeOSOperatorCommand : DeploymentCmdlet
{
    private static readonly TimeSpan EstablishTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Registry and path for both images; the image names (os-operator, os-proxy) stay.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Registry { get; set; }

    /// <summary>Tag for both images.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Alias("Version")]
    public string? Tag { get; set; }

    /// <summary>The whole operator image reference; wins over -Registry and -Tag for the operator.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OperatorImage { get; set; }

    /// <summary>The whole proxy image reference; wins over -Registry and -Tag for the proxy.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProxyImage { get; set; }

    protected override void ProcessRecord()
    {
        ValidateNamespace();
        ValidateImages();
        var settings = new DeploymentSettings
        {
            Namespace = Namespace, Registry = Registry, Tag = Tag, OperatorImage = OperatorImage, ProxyImage = ProxyImage,
        };
        var objects = settings.Objects();
        var definitionsWritten = new List<V1CustomResourceDefinition>();
        foreach (var desired in objects)
        {
            if (desired is not V1CustomResourceDefinition && definitionsWritten.Count > 0)
            {
                WaitEstablished(definitionsWritten);
                definitionsWritten.Clear();
            }
            if (Apply(desired) is KubeOSResourceAction.Created or KubeOSResourceAction.Updated && desired is V1CustomResourceDefinition crd)
            {
                definitionsWritten.Add(crd);
            }
        }
        WaitEstablished(definitionsWritten);
    }

    private KubeOSResourceAction? Apply(IKubernetesObject<V1ObjectMeta> desired)
    {
        var kind = ResourceKinds.For(desired);
        var (ok, live) = Read(desired);
        if (!ok)
        {
            return null;
        }
        var target = Describe(desired);
        KubeOSResourceAction action;
        if (live is null)
        {
            if (!ShouldProcess(target, "Create"))
            {
                return null;
            }
            action = KubeOSResourceAction.Created;
            ok = Call($"create the {target}", desired, (client, ct) => kind.Create(client, desired, ct));
        }
        // A namespace that exists is used as it is: it may hold other things and is not the install's to change.
        else if (desired is V1Namespace || ObjectContainment.Contains(live, desired))
        {
            action = KubeOSResourceAction.Unchanged;
        }
        else
        {
            if (!ShouldProcess(target, "Update"))
            {
                return null;
            }
            action = KubeOSResourceAction.Updated;
            KeepForeignMetadata(desired, live);
            ok = Call($"replace the {target}", desired, (client, ct) => kind.Replace(client, desired, ct));
        }
        if (!ok)
        {
            return null;
        }
        WriteObject(Change(desired, action));
        return action;
    }

    // A replace writes the whole object: labels and annotations others added (kubectl, policy tools) are carried over.
    private static void KeepForeignMetadata(IKubernetesObject<V1ObjectMeta> desired, IKubernetesObject<V1ObjectMeta> live)
    {
        desired.Metadata.ResourceVersion = live.Metadata.ResourceVersion;
        foreach (var (key, value) in live.Metadata.Labels ?? new Dictionary<string, string>())
        {
            desired.Metadata.Labels.TryAdd(key, value);
        }
        if (live.Metadata.Annotations is { Count: > 0 } annotations)
        {
            desired.Metadata.Annotations ??= new Dictionary<string, string>();
            foreach (var (key, value) in annotations)
            {
                desired.Metadata.Annotations.TryAdd(key, value);
            }
        }
    }

    // The operator and the proxies fail until the API serves OS and OSInstance, so the install waits for that.
    private void WaitEstablished(IReadOnlyList<V1CustomResourceDefinition> definitions)
    {
        foreach (var crd in definitions)
        {
            var deadline = DateTime.UtcNow + EstablishTimeout;
            var established = false;
            while (!established && DateTime.UtcNow < deadline)
            {
                V1CustomResourceDefinition? live = null;
                if (!Call($"read the CustomResourceDefinition {crd.Metadata.Name}", crd, async (client, ct) =>
                        live = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name, cancellationToken: ct).ConfigureAwait(false)))
                {
                    break;
                }
                established = live?.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true;
                if (!established)
                {
                    Await(ct => Task.Delay(TimeSpan.FromMilliseconds(200), ct));
                }
            }
            if (!established)
            {
                WriteError(ErrorRecords.Create(InstallErrorIds.CustomResourceDefinitionNotEstablished, ErrorCategory.OperationTimeout,
                    Describe(crd), $"The CustomResourceDefinition {crd.Metadata.Name} was not Established within {EstablishTimeout.TotalSeconds:0} s on {Cluster.Server}.",
                    $"Check the API server's log and `kubectl get crd {crd.Metadata.Name} -o yaml`; run Install-KubeOSOperator again once it is served."));
            }
        }
    }

    private void ValidateImages()
    {
        var problems = new List<(string Parameter, string Value, string? Problem)>
        {
            ("Registry", Registry ?? "", Registry is null ? null : ImageReference.RegistryProblem(Registry)),
            ("Tag", Tag ?? "", Tag is null ? null : ImageReference.TagProblem(Tag)),
            ("OperatorImage", OperatorImage ?? "", OperatorImage is null ? null : ImageReference.ImageProblem(nameof(OperatorImage), OperatorImage)),
            ("ProxyImage", ProxyImage ?? "", ProxyImage is null ? null : ImageReference.ImageProblem(nameof(ProxyImage), ProxyImage)),
        };
        foreach (var (parameter, value, problem) in problems.Where(p => p.Problem is not null))
        {
            ThrowTerminatingError(ErrorRecords.Create(InstallErrorIds.InvalidImageReference, ErrorCategory.InvalidArgument, value, problem!,
                $"Correct -{parameter}; Get-Help Install-KubeOSOperator -Parameter {parameter} shows the expected form."));
        }
    }
}
