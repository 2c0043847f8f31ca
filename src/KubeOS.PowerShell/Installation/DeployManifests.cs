using k8s;
using k8s.Models;
using KubeOS.Api.Crds;

namespace KubeOS.PowerShell.Installation;

/// <summary>
/// The KubeOS deployment as shipped inside the module: the CRDs (module/deploy/crds, embedded in KubeOS.Api) and the
/// operator and proxy manifests (module/deploy/operator, also embedded in KubeOS.Api), as typed objects in apply order.
/// </summary>
public static class DeployManifests
{
    /// <summary>The namespace the shipped manifests use.</summary>
    public const string DefaultNamespace = "upgrade-system";

    /// <summary>File name → YAML text of the operator and proxy manifests.</summary>
    public static IReadOnlyDictionary<string, string> OperatorFiles { get; } =
        new SortedDictionary<string, string>(DeploymentManifests.All.ToDictionary(m => m.File, m => m.Yaml), StringComparer.Ordinal);

    /// <summary>Fresh objects on every call: callers change them (namespace, images, labels).</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Load()
    {
        var yaml = CustomResourceDefinitions.All.Values.Concat(OperatorFiles.Values);
        var objects = yaml.SelectMany(text => KubernetesYaml.LoadAllFromString(text))
            .Select(o => o as IKubernetesObject<V1ObjectMeta>
                ?? throw new InvalidDataException($"The module's deployment manifests hold a {o.GetType().Name}, which has no object metadata."));
        return DeploymentOrder.Sort(objects, o => ResourceKinds.For(o).Kind, o => o.Metadata.Name).ToList();
    }
}
