using k8s;
using k8s.Models;

namespace KubeOS.PowerShell.Installation;

/// <summary>Read, create, replace and delete of one kind of the KubeOS deployment, through KubernetesClient's typed calls.</summary>
public sealed class ResourceKind
{
    public required string Kind { get; init; }

    public required bool Namespaced { get; init; }

    public required Func<IKubernetes, IKubernetesObject<V1ObjectMeta>, CancellationToken, Task<IKubernetesObject<V1ObjectMeta>>> Read { get; init; }
    public required Func<IKubernetes, IKubernetesObject<V1ObjectMeta>, CancellationToken, Task> Create { get; init; }
    public required Func<IKubernetes, IKubernetesObject<V1ObjectMeta>, CancellationToken, Task> Replace { get; init; }
    public required Func<IKubernetes, IKubernetesObject<V1ObjectMeta>, CancellationToken, Task> Delete { get; init; }
}

/// <summary>The kinds the deployment manifests may hold; anything else in them is a packaging error.</summary>
public static class ResourceKinds
{
    // Workloads go away in the background, as kubectl delete does; their ReplicaSets and pods follow.
    private static readonly V1DeleteOptions Background = new() { PropagationPolicy = "Background" };

    private static readonly IReadOnlyDictionary<Type, ResourceKind> ByType = new Dictionary<Type, ResourceKind>
    {
        [typeof(V1CustomResourceDefinition)] = Cluster<V1CustomResourceDefinition>("CustomResourceDefinition",
            (c, n, ct) => c.ApiextensionsV1.ReadCustomResourceDefinitionAsync(n, cancellationToken: ct),
            (c, o, ct) => c.ApiextensionsV1.CreateCustomResourceDefinitionAsync(o, cancellationToken: ct),
            (c, o, ct) => c.ApiextensionsV1.ReplaceCustomResourceDefinitionAsync(o, o.Metadata.Name, cancellationToken: ct),
            (c, n, ct) => c.ApiextensionsV1.DeleteCustomResourceDefinitionAsync(n, cancellationToken: ct)),
        [typeof(V1Namespace)] = Cluster<V1Namespace>("Namespace",
            (c, n, ct) => c.CoreV1.ReadNamespaceAsync(n, cancellationToken: ct),
            (c, o, ct) => c.CoreV1.CreateNamespaceAsync(o, cancellationToken: ct),
            (c, o, ct) => c.CoreV1.ReplaceNamespaceAsync(o, o.Metadata.Name, cancellationToken: ct),
            (c, n, ct) => c.CoreV1.DeleteNamespaceAsync(n, cancellationToken: ct)),
        [typeof(V1ServiceAccount)] = Namespaced<V1ServiceAccount>("ServiceAccount",
            (c, n, ns, ct) => c.CoreV1.ReadNamespacedServiceAccountAsync(n, ns, cancellationToken: ct),
            (c, o, ns, ct) => c.CoreV1.CreateNamespacedServiceAccountAsync(o, ns, cancellationToken: ct),
            (c, o, ns, ct) => c.CoreV1.ReplaceNamespacedServiceAccountAsync(o, o.Metadata.Name, ns, cancellationToken: ct),
            (c, n, ns, ct) => c.CoreV1.DeleteNamespacedServiceAccountAsync(n, ns, cancellationToken: ct)),
        [typeof(V1ClusterRole)] = Cluster<V1ClusterRole>("ClusterRole",
            (c, n, ct) => c.RbacAuthorizationV1.ReadClusterRoleAsync(n, cancellationToken: ct),
            (c, o, ct) => c.RbacAuthorizationV1.CreateClusterRoleAsync(o, cancellationToken: ct),
            (c, o, ct) => c.RbacAuthorizationV1.ReplaceClusterRoleAsync(o, o.Metadata.Name, cancellationToken: ct),
            (c, n, ct) => c.RbacAuthorizationV1.DeleteClusterRoleAsync(n, cancellationToken: ct)),
        [typeof(V1ClusterRoleBinding)] = Cluster<V1ClusterRoleBinding>("ClusterRoleBinding",
            (c, n, ct) => c.RbacAuthorizationV1.ReadClusterRoleBindingAsync(n, cancellationToken: ct),
            (c, o, ct) => c.RbacAuthorizationV1.CreateClusterRoleBindingAsync(o, cancellationToken: ct),
            (c, o, ct) => c.RbacAuthorizationV1.ReplaceClusterRoleBindingAsync(o, o.Metadata.Name, cancellationToken: ct),
            (c, n, ct) => c.RbacAuthorizationV1.DeleteClusterRoleBindingAsync(n, cancellationToken: ct)),
        [typeof(V1Role)] = Namespaced<V1Role>("Role",
            (c, n, ns, ct) => c.RbacAuthorizationV1.ReadNamespacedRoleAsync(n, ns, cancellationToken: ct),
            (c, o, ns, ct) => c.RbacAuthorizationV1.CreateNamespacedRoleAsync(o, ns, cancellationToken: ct),
            (c, o, ns, ct) => c.RbacAuthorizationV1.ReplaceNamespacedRoleAsync(o, o.Metadata.Name, ns, cancellationToken: ct),
            (c, n, ns, ct) => c.RbacAuthorizationV1.DeleteNamespacedRoleAsync(n, ns, cancellationToken: ct)),
        [typeof(V1RoleBinding)] = Namespaced<V1RoleBinding>("RoleBinding",
            (c, n, ns, ct) => c.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(n, ns, cancellationToken: ct),
            (c, o, ns, ct) => c.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(o, ns, cancellationToken: ct),
            (c, o, ns, ct) => c.RbacAuthorizationV1.ReplaceNamespacedRoleBindingAsync(o, o.Metadata.Name, ns, cancellationToken: ct),
            (c, n, ns, ct) => c.RbacAuthorizationV1.DeleteNamespacedRoleBindingAsync(n, ns, cancellationToken: ct)),
        [typeof(V1Deployment)] = Namespaced<V1Deployment>("Deployment",
            (c, n, ns, ct) => c.AppsV1.ReadNamespacedDeploymentAsync(n, ns, cancellationToken: ct),
            (c, o, ns, ct) => c.AppsV1.CreateNamespacedDeploymentAsync(o, ns, cancellationToken: ct),
            (c, o, ns, ct) => c.AppsV1.ReplaceNamespacedDeploymentAsync(o, o.Metadata.Name, ns, cancellationToken: ct),
            (c, n, ns, ct) => c.AppsV1.DeleteNamespacedDeploymentAsync(n, ns, Background, cancellationToken: ct)),
        [typeof(V1DaemonSet)] = Namespaced<V1DaemonSet>("DaemonSet",
            (c, n, ns, ct) => c.AppsV1.ReadNamespacedDaemonSetAsync(n, ns, cancellationToken: ct),
            (c, o, ns, ct) => c.AppsV1.CreateNamespacedDaemonSetAsync(o, ns, cancellationToken: ct),
            (c, o, ns, ct) => c.AppsV1.ReplaceNamespacedDaemonSetAsync(o, o.Metadata.Name, ns, cancellationToken: ct),
            (c, n, ns, ct) => c.AppsV1.DeleteNamespacedDaemonSetAsync(n, ns, Background, cancellationToken: ct)),
    };

    public static ResourceKind For(object resource) =>
        ByType.TryGetValue(resource.GetType(), out var kind)
            ? kind
            : throw new InvalidDataException($"The module's deployment manifests hold a {resource.GetType().Name}, which Install-KubeOSOperator does not apply.");

    private static ResourceKind Cluster<T>(string kind,
        Func<IKubernetes, string, CancellationToken, Task<T>> read,
        Func<IKubernetes, T, CancellationToken, Task<T>> create,
        Func<IKubernetes, T, CancellationToken, Task<T>> replace,
        Func<IKubernetes, string, CancellationToken, Task> delete)
        where T : IKubernetesObject<V1ObjectMeta> => new()
    {
        Kind = kind, Namespaced = false,
        Read = async (c, o, ct) => await read(c, o.Metadata.Name, ct).ConfigureAwait(false),
        Create = (c, o, ct) => create(c, (T)o, ct),
        Replace = (c, o, ct) => replace(c, (T)o, ct),
        Delete = (c, o, ct) => delete(c, o.Metadata.Name, ct),
    };

    private static ResourceKind Namespaced<T>(string kind,
        Func<IKubernetes, string, string, CancellationToken, Task<T>> read,
        Func<IKubernetes, T, string, CancellationToken, Task<T>> create,
        Func<IKubernetes, T, string, CancellationToken, Task<T>> replace,
        Func<IKubernetes, string, string, CancellationToken, Task> delete)
        where T : IKubernetesObject<V1ObjectMeta> => new()
    {
        Kind = kind, Namespaced = true,
        Read = async (c, o, ct) => await read(c, o.Metadata.Name, o.Metadata.NamespaceProperty, ct).ConfigureAwait(false),
        Create = (c, o, ct) => create(c, (T)o, o.Metadata.NamespaceProperty, ct),
        Replace = (c, o, ct) => replace(c, (T)o, o.Metadata.NamespaceProperty, ct),
        Delete = (c, o, ct) => delete(c, o.Metadata.Name, o.Metadata.NamespaceProperty, ct),
    };
}
