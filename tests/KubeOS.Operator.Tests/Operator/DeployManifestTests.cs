using System.Reflection;
using k8s;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Operator.Hosting;
using Xunit;

namespace KubeOS.Operator.Tests.Operator;

/// <summary>
/// module/deploy/operator: the manifests load as Kubernetes objects, an API server accepts them, they match the
/// operator's and the proxy's defaults, and each component's role grants exactly the calls its code makes.
/// </summary>
public sealed class DeployManifestTests(OperatorSandbox sandbox) : IClassFixture<OperatorSandbox>
{
    private static readonly string Folder = Path.Combine(
        typeof(DeployManifestTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!,
        "module", "deploy", "operator");

    private static List<object> Load() =>
        Directory.GetFiles(Folder, "*.yaml").Order(StringComparer.Ordinal)
            .SelectMany(f => KubernetesYaml.LoadAllFromString(File.ReadAllText(f))).ToList();

    [Fact]
    public async Task The_manifests_are_accepted_by_an_api_server()
    {
        var objects = Load();
        foreach (var o in objects)
        {
            switch (o)
            {
                case V1Namespace ns:
                    try { await sandbox.Client.CoreV1.CreateNamespaceAsync(ns); }
                    catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict) { }
                    break;
                case V1ServiceAccount sa: await sandbox.Client.CoreV1.CreateNamespacedServiceAccountAsync(sa, sa.Metadata.NamespaceProperty); break;
                case V1ClusterRole cr: await sandbox.Client.RbacAuthorizationV1.CreateClusterRoleAsync(cr); break;
                case V1ClusterRoleBinding crb: await sandbox.Client.RbacAuthorizationV1.CreateClusterRoleBindingAsync(crb); break;
                case V1Role r: await sandbox.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(r, r.Metadata.NamespaceProperty); break;
                case V1RoleBinding rb: await sandbox.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(rb, rb.Metadata.NamespaceProperty); break;
                case V1Deployment d: await sandbox.Client.AppsV1.CreateNamespacedDeploymentAsync(d, d.Metadata.NamespaceProperty); break;
                case V1DaemonSet ds: await sandbox.Client.AppsV1.CreateNamespacedDaemonSetAsync(ds, ds.Metadata.NamespaceProperty); break;
                default: throw new Xunit.Sdk.XunitException($"unexpected object {o.GetType().Name} in {Folder}");
            }
        }
        var deployment = await sandbox.Client.AppsV1.ReadNamespacedDeploymentAsync("upgrade-operator", "upgrade-system");
        Assert.Equal("upgrade-operator", deployment.Spec.Template.Spec.ServiceAccountName);
        var daemonSet = await sandbox.Client.AppsV1.ReadNamespacedDaemonSetAsync("upgrade-proxy", "upgrade-system");
        Assert.Equal("upgrade-proxy", daemonSet.Spec.Template.Spec.ServiceAccountName);
    }

    [Fact]
    public void The_deployment_runs_as_KubeOS_does_and_the_roles_grant_what_the_operator_calls_and_no_more()
    {
        var objects = Load();
        var deployment = objects.OfType<V1Deployment>().Single();
        Assert.Equal(("upgrade-operator", "upgrade-system"), (deployment.Metadata.Name, deployment.Metadata.NamespaceProperty));
        Assert.Equal(6552, deployment.Spec.Template.Spec.SecurityContext.RunAsUser);
        var container = deployment.Spec.Template.Spec.Containers.Single();
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Contains(container.VolumeMounts, m => m.MountPath == "/etc/localtime");
        Assert.Contains(container.Env, e => e.Name == "POD_NAMESPACE" && e.ValueFrom?.FieldRef?.FieldPath == "metadata.namespace");

        var role = ClusterRole(objects, "upgrade-operator");
        Assert.Equal(["list", "watch"], Verbs(role, WellKnown.Group, WellKnown.OSPlural));
        Assert.Equal(["patch"], Verbs(role, WellKnown.Group, WellKnown.OSPlural + "/status"));
        Assert.Equal(["delete", "list", "update", "watch"], Verbs(role, WellKnown.Group, WellKnown.OSInstancePlural));
        Assert.Equal(["list", "patch", "watch"], Verbs(role, "", "nodes"));
        Assert.Equal(["create"], Verbs(role, "", "events"));
        Assert.Empty(Verbs(role, "", "pods"));
        Assert.DoesNotContain(role.Rules, r => r.Verbs.Contains("*") || r.Resources.Contains("*"));

        var lease = objects.OfType<V1Role>().Single(r => r.Metadata.Name == "upgrade-operator-leader-election");
        var defaults = new OperatorOptions();
        Assert.Equal(defaults.LeaseName, lease.Rules.Single(r => r.ResourceNames is not null).ResourceNames.Single());
        Assert.Equal(defaults.EffectiveLeaseNamespace(), lease.Metadata.NamespaceProperty);
        Assert.Equal(("upgrade-operator", "upgrade-system"), BoundAccount(objects, "Role", lease.Metadata.Name));
        Assert.Equal(("upgrade-operator", "upgrade-system"), BoundAccount(objects, "ClusterRole", "upgrade-operator"));
    }

    [Fact]
    public void The_proxy_runs_on_every_node_with_the_agent_socket_and_its_role_grants_only_what_the_proxy_calls()
    {
        var objects = Load();
        var daemonSet = objects.OfType<V1DaemonSet>().Single();
        Assert.Equal(("upgrade-proxy", "upgrade-system"), (daemonSet.Metadata.Name, daemonSet.Metadata.NamespaceProperty));
        var pod = daemonSet.Spec.Template.Spec;
        Assert.Equal("upgrade-proxy", pod.ServiceAccountName);
        Assert.Null(pod.Tolerations);
        var container = pod.Containers.Single();
        Assert.Contains(container.Env, e => e.Name == "NODE_NAME" && e.ValueFrom?.FieldRef?.FieldPath == "spec.nodeName");
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        // The proxy's default socket path must lie in the mounted host directory.
        var mount = container.VolumeMounts.Single();
        Assert.StartsWith(mount.MountPath + "/", KubeOS.Api.Agent.AgentMethods.DefaultSocketPath);
        Assert.Equal(mount.MountPath, pod.Volumes.Single(v => v.Name == mount.Name).HostPath.Path);

        var role = ClusterRole(objects, "upgrade-proxy");
        Assert.Equal(["get", "patch", "watch"], Verbs(role, "", "nodes"));
        Assert.Equal(["create", "get", "patch", "watch"], Verbs(role, WellKnown.Group, WellKnown.OSInstancePlural));
        Assert.Equal(["update"], Verbs(role, WellKnown.Group, WellKnown.OSInstancePlural + "/status"));
        Assert.Equal(["get"], Verbs(role, WellKnown.Group, WellKnown.OSPlural));
        Assert.Equal(["get", "list"], Verbs(role, "", "pods"));
        Assert.Equal(["create"], Verbs(role, "", "pods/eviction"));
        Assert.Equal(["list"], Verbs(role, "policy", "poddisruptionbudgets"));
        Assert.Equal(["patch"], Verbs(role, "", "nodes/status"));
        Assert.Equal(["create"], Verbs(role, "", "events"));
        Assert.Empty(Verbs(role, "", "secrets"));
        Assert.Empty(Verbs(role, WellKnown.Group, WellKnown.OSPlural + "/status"));
        Assert.DoesNotContain(role.Rules, r => r.Verbs.Contains("*") || r.Resources.Contains("*") || r.Verbs.Contains("delete"));
        Assert.Equal(("upgrade-proxy", "upgrade-system"), BoundAccount(objects, "ClusterRole", "upgrade-proxy"));
        Assert.Contains(objects.OfType<V1ServiceAccount>(), sa => sa.Metadata.Name == "upgrade-proxy" && sa.Metadata.NamespaceProperty == "upgrade-system");
    }

    [Fact]
    public void Every_namespaced_object_lives_in_the_namespace_the_manifests_create()
    {
        var objects = Load();
        var ns = objects.OfType<V1Namespace>().Single().Metadata.Name;
        Assert.All(objects.OfType<IKubernetesObject<V1ObjectMeta>>().Where(o => o is not (V1Namespace or V1ClusterRole or V1ClusterRoleBinding)),
            o => Assert.Equal(ns, o.Metadata.NamespaceProperty));
        Assert.All(objects.OfType<V1RoleBinding>().SelectMany(b => b.Subjects).Concat(objects.OfType<V1ClusterRoleBinding>().SelectMany(b => b.Subjects)),
            s => Assert.Equal(ns, s.NamespaceProperty));
    }

    private static V1ClusterRole ClusterRole(List<object> objects, string name) =>
        objects.OfType<V1ClusterRole>().Single(r => r.Metadata.Name == name);

    private static string[] Verbs(V1ClusterRole role, string group, string resource) =>
        role.Rules.Where(r => r.ApiGroups.Contains(group) && r.Resources.Contains(resource)).SelectMany(r => r.Verbs).Order().ToArray();

    private static (string, string) BoundAccount(List<object> objects, string roleKind, string roleName)
    {
        var subjects = objects.OfType<V1RoleBinding>().Where(b => b.RoleRef.Kind == roleKind && b.RoleRef.Name == roleName).SelectMany(b => b.Subjects)
            .Concat(objects.OfType<V1ClusterRoleBinding>().Where(b => b.RoleRef.Kind == roleKind && b.RoleRef.Name == roleName).SelectMany(b => b.Subjects));
        var subject = Assert.Single(subjects);
        Assert.Equal("ServiceAccount", subject.Kind);
        return (subject.Name, subject.NamespaceProperty);
    }
}
