using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeOS.Api.Crds;

namespace KubeOS.Sandbox;

/// <summary>
/// <c>--install-kubeos</c>: applies the KubeOS CRDs and deployment manifests (namespace, RBAC, os-operator Deployment,
/// os-proxy DaemonSet) embedded in KubeOS.Api, in <see cref="DeploymentOrder"/>, as an administrator would with
/// kubectl apply. The simulated kubelets then run the operator and the proxies, so the sandbox rolls out OS objects
/// without further setup.
/// </summary>
public static class KubeOSInstaller
{
    public static async Task InstallAsync(IKubernetes client, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var documents = CustomResourceDefinitions.All.Values.Select(yaml => ("CRDs", yaml)).Concat(DeploymentManifests.All);
        var objects = documents
            .SelectMany(d => KubernetesYaml.LoadAllFromString(d.Item2).Select(o => (File: d.Item1, Object: Metadata(d.Item1, o))))
            .ToList();
        var crds = new List<V1CustomResourceDefinition>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        foreach (var (file, resource) in DeploymentOrder.Sort(objects, o => o.Object.Kind, o => o.Object.Metadata.Name))
        {
            if (resource is V1CustomResourceDefinition crd) crds.Add(crd);
            // The proxies create OSInstances as soon as they start; the resource must be served by then.
            else if (crds.Count > 0) await WaitEstablishedAsync(client, crds, deadline.Token);
            await IgnoreExisting(() => CreateAsync(client, resource, file, cancellationToken));
        }
    }

    private static IKubernetesObject<V1ObjectMeta> Metadata(string file, object resource) =>
        resource as IKubernetesObject<V1ObjectMeta>
        ?? throw new InvalidDataException($"{file}: the sandbox cannot install objects of type {resource.GetType().Name}");

    private static async Task WaitEstablishedAsync(IKubernetes client, List<V1CustomResourceDefinition> crds, CancellationToken ct)
    {
        foreach (var crd in crds)
        {
            while (!(await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name, cancellationToken: ct))
                       .Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
            }
        }
        crds.Clear();
    }

    private static Task CreateAsync(IKubernetes client, object resource, string file, CancellationToken ct) => resource switch
    {
        V1CustomResourceDefinition crd => client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: ct),
        V1Namespace ns => client.CoreV1.CreateNamespaceAsync(ns, cancellationToken: ct),
        V1ServiceAccount sa => client.CoreV1.CreateNamespacedServiceAccountAsync(sa, sa.Metadata.NamespaceProperty, cancellationToken: ct),
        V1ClusterRole role => client.RbacAuthorizationV1.CreateClusterRoleAsync(role, cancellationToken: ct),
        V1ClusterRoleBinding binding => client.RbacAuthorizationV1.CreateClusterRoleBindingAsync(binding, cancellationToken: ct),
        V1Role role => client.RbacAuthorizationV1.CreateNamespacedRoleAsync(role, role.Metadata.NamespaceProperty, cancellationToken: ct),
        V1RoleBinding binding => client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(binding, binding.Metadata.NamespaceProperty, cancellationToken: ct),
        V1Deployment deployment => client.AppsV1.CreateNamespacedDeploymentAsync(deployment, deployment.Metadata.NamespaceProperty, cancellationToken: ct),
        V1DaemonSet daemonSet => client.AppsV1.CreateNamespacedDaemonSetAsync(daemonSet, daemonSet.Metadata.NamespaceProperty, cancellationToken: ct),
        _ => throw new InvalidDataException($"{file}: the sandbox cannot install objects of type {resource.GetType().Name}"),
    };

    // A sandbox started on an existing kubeconfig may already hold the objects; what is there is kept.
    private static async Task IgnoreExisting(Func<Task> create)
    {
        try
        {
            await create();
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
        }
    }
}
