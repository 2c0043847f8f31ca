using System.Reflection;
using k8s;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Operator.Hosting;
using Xunit;

namespace KubeOS.Operator.Tests.Operator;

/// <summary>module/deploy/operator: the manifests load as Kubernetes objects, an API server accepts them, and they match the operator's defaults.</summary>
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
        var proxies = await sandbox.Client.AppsV1.ReadNamespacedDaemonSetAsync("upgrade-proxy", "upgrade-system");
        Assert.Equal("upgrade-proxy", proxies.Spec.Template.Spec.ServiceAccountName);
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

        var role = objects.OfType<V1ClusterRole>().Single(r => r.Metadata.Name == "upgrade-operator");
        string[] Verbs(string group, string resource) => VerbsOf(role, group, resource);
        static string[] VerbsOf(V1ClusterRole role, string group, string resource) =>
            role.Rules.Where(r => r.ApiGroups.Contains(group) && r.Resources.Contains(resource)).SelectMany(r => r.Verbs).Order().ToArray();
        Assert.Equal(["get", "list", "watch"], Verbs(WellKnown.Group, WellKnown.OSPlural));
        Assert.Equal(["get", "patch", "update"], Verbs(WellKnown.Group, WellKnown.OSPlural + "/status"));
        Assert.Equal(["delete", "get", "list", "patch", "update", "watch"], Verbs(WellKnown.Group, WellKnown.OSInstancePlural));
        Assert.Equal(["get", "list", "patch", "watch"], Verbs("", "nodes"));
        Assert.Empty(Verbs("", "pods"));
        Assert.DoesNotContain(role.Rules, r => r.Verbs.Contains("*") || r.Resources.Contains("*"));

        var lease = objects.OfType<V1Role>().Single();
        var defaults = new OperatorOptions();
        Assert.Equal(defaults.LeaseName, lease.Rules.Single(r => r.ResourceNames is not null).ResourceNames.Single());
        // Each binding grants its role to its own component's ServiceAccount only.
        Assert.All(objects.OfType<V1RoleBinding>().SelectMany(b => b.Subjects),
            s => Assert.Equal(("upgrade-operator", "upgrade-system"), (s.Name, s.NamespaceProperty)));
        Assert.All(objects.OfType<V1ClusterRoleBinding>(),
            b => Assert.Equal((b.RoleRef.Name, "upgrade-system"), (b.Subjects.Single().Name, b.Subjects.Single().NamespaceProperty)));

        // The proxy may evict pods and cordon its node, but not delete pods or touch OS objects beyond reading them.
        var proxyRole = objects.OfType<V1ClusterRole>().Single(r => r.Metadata.Name == "upgrade-proxy");
        Assert.Equal(["create"], VerbsOf(proxyRole, "", "pods/eviction"));
        Assert.Equal(["get", "list"], VerbsOf(proxyRole, "", "pods"));
        Assert.Equal(["get", "patch"], VerbsOf(proxyRole, "", "nodes"));
        Assert.Equal(["get"], VerbsOf(proxyRole, WellKnown.Group, WellKnown.OSPlural));
        Assert.DoesNotContain(proxyRole.Rules, r => r.Verbs.Contains("*") || r.Resources.Contains("*") || r.Verbs.Contains("delete"));
        var daemonSet = objects.OfType<V1DaemonSet>().Single();
        Assert.Equal("upgrade-proxy", daemonSet.Spec.Template.Spec.ServiceAccountName);
        Assert.Contains(daemonSet.Spec.Template.Spec.Containers.Single().Env, e => e.Name == "NODE_NAME" && e.ValueFrom?.FieldRef?.FieldPath == "spec.nodeName");
    }
}
