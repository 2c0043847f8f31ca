using k8s;
using k8s.Models;

namespace KubeOS.PowerShell.Installation;

/// <summary>
/// Turns the shipped manifests into the objects one install writes: the chosen namespace everywhere the manifests say
/// upgrade-system, the chosen images, and the label that marks what the module installed.
/// </summary>
public sealed class DeploymentSettings
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "KubeOS.PowerShell";

    private const string OperatorDeployment = "upgrade-operator";
    private const string ProxyDaemonSet = "upgrade-proxy";

    public string Namespace { get; init; } = DeployManifests.DefaultNamespace;
    public string? Registry { get; init; }
    public string? Tag { get; init; }
    public string? OperatorImage { get; init; }
    public string? ProxyImage { get; init; }

    /// <param name="includeDefinitions">False leaves the CRDs out (Uninstall without -IncludeCustomResourceDefinitions).</param>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects(bool includeDefinitions = true) =>
        DeployManifests.Load().Where(o => includeDefinitions || o is not V1CustomResourceDefinition).Select(Customize).ToList();

    public static bool IsManaged(IKubernetesObject<V1ObjectMeta> live) =>
        live.Metadata.Labels?.TryGetValue(ManagedByLabel, out var value) == true && value == ManagedByValue;

    private IKubernetesObject<V1ObjectMeta> Customize(IKubernetesObject<V1ObjectMeta> o)
    {
        o.Metadata.Labels ??= new Dictionary<string, string>();
        o.Metadata.Labels[ManagedByLabel] = ManagedByValue;
        switch (o)
        {
            case V1Namespace ns:
                ns.Metadata.Name = Namespace;
                break;
            case V1ClusterRoleBinding binding:
                Rebind(binding.Subjects);
                break;
            case V1RoleBinding binding:
                Rebind(binding.Subjects);
                break;
            case V1Deployment { Metadata.Name: OperatorDeployment } deployment:
                SetImages(deployment.Spec.Template.Spec, OperatorImage);
                break;
            case V1DaemonSet { Metadata.Name: ProxyDaemonSet } daemonSet:
                SetImages(daemonSet.Spec.Template.Spec, ProxyImage);
                break;
        }
        if (ResourceKinds.For(o).Namespaced)
        {
            o.Metadata.NamespaceProperty = Namespace;
        }
        return o;
    }

    private void Rebind(IList<Rbacv1Subject>? subjects)
    {
        foreach (var subject in subjects ?? [])
        {
            if (subject.Kind == "ServiceAccount" && subject.NamespaceProperty == DeployManifests.DefaultNamespace)
            {
                subject.NamespaceProperty = Namespace;
            }
        }
    }

    private void SetImages(V1PodSpec pod, string? fullImage)
    {
        foreach (var container in pod.Containers)
        {
            container.Image = fullImage ?? ImageReference.Rewrite(container.Image, Registry, Tag);
        }
    }
}
