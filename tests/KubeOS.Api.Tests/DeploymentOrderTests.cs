using KubeOS.Api.Crds;

namespace KubeOS.Api.Tests;

/// <summary>The one apply order both installers (Install-KubeOSOperator and the sandbox's) follow.</summary>
public sealed class DeploymentOrderTests
{
    [Fact]
    public void Objects_sort_by_kind_then_by_name()
    {
        (string Kind, string Name)[] objects =
        [
            ("DaemonSet", "os-proxy"), ("RoleBinding", "b"), ("ServiceAccount", "z"), ("Namespace", "upgrade-system"),
            ("ServiceAccount", "a"), ("CustomResourceDefinition", "os.upgrade.openeuler.org"), ("Deployment", "upgrade-operator"),
        ];
        Assert.Equal(
        [
            "CustomResourceDefinition/os.upgrade.openeuler.org", "Namespace/upgrade-system", "ServiceAccount/a", "ServiceAccount/z",
            "RoleBinding/b", "Deployment/upgrade-operator", "DaemonSet/os-proxy",
        ], DeploymentOrder.Sort(objects, o => o.Kind, o => o.Name).Select(o => $"{o.Kind}/{o.Name}"));
    }

    [Fact]
    public void A_kind_outside_the_deployment_is_refused_naming_the_kinds_applied()
    {
        var error = Assert.Throws<InvalidDataException>(() => DeploymentOrder.Of("ConfigMap"));
        Assert.Contains("kind \"ConfigMap\"", error.Message);
        Assert.Contains("CustomResourceDefinition, Namespace, ServiceAccount", error.Message);
    }
}
