using System.Management.Automation;
using KubeOS.PowerShell.Tests.Cluster;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Installation;

/// <summary>
/// Install-KubeOSOperator through the engine against a sandbox, checked with kubectl. Each test starts from a cluster
/// without the operator and proxy objects (the sandbox itself brings the CRDs and the namespace upgrade-system).
/// </summary>
public sealed class InstallKubeOSOperatorTests(SandboxSessionFixture fixture) : IClassFixture<SandboxSessionFixture>
{
    private const string Fqid = ",KubeOS.PowerShell.Installation.InstallKubeOSOperatorCommand";
    private readonly PowerShellSession _ps = fixture.Session;

    private void RemoveDeployment(string @namespace = "upgrade-system")
    {
        var result = _ps.Run("Uninstall-KubeOSOperator -Namespace $Namespace -Confirm:$false", new() { ["Namespace"] = @namespace });
        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        // Back to the sandbox's own CRDs, which the install has not labelled yet.
        foreach (var crd in new[] { "os.upgrade.openeuler.org", "osinstances.upgrade.openeuler.org" })
        {
            fixture.Kubectl.Run($"label crd {crd} app.kubernetes.io/managed-by-").Succeeded();
        }
    }

    [Fact]
    public void Install_creates_every_object_of_the_shipped_manifests_and_kubectl_sees_them()
    {
        RemoveDeployment();

        var result = _ps.Run("Install-KubeOSOperator");

        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        var expected = DeploymentProbe.ObjectsInManifestFiles(_ps);
        Assert.Equal(expected, result.Output.Select(o => o.ToString()).Order(StringComparer.Ordinal));
        Assert.Contains("DaemonSet upgrade-system/upgrade-proxy", expected);
        Assert.Contains("ClusterRole upgrade-proxy", expected);
        Assert.Equal("KubeOS.PowerShell.KubeOSResourceChange", result.Output[0].BaseObject.GetType().FullName);

        var actions = result.Output.ToDictionary(o => o.ToString(), o => o.Properties["Action"].Value.ToString());
        // The sandbox comes with the namespace (used as it is) and the CRDs (updated: they gain the managed-by label).
        Assert.Equal("Unchanged", actions["Namespace upgrade-system"]);
        Assert.Equal("Updated", actions["CustomResourceDefinition os.upgrade.openeuler.org"]);
        Assert.All(actions.Where(a => !a.Key.StartsWith("Namespace") && !a.Key.StartsWith("CustomResourceDefinition")),
            a => Assert.Equal("Created", a.Value));
        // In apply order: definitions, then identities and roles, then workloads.
        var order = result.Output.Select(o => (string)o.Properties["Kind"].Value).ToList();
        Assert.True(order.IndexOf("CustomResourceDefinition") < order.IndexOf("ServiceAccount"));
        Assert.True(order.IndexOf("ClusterRoleBinding") < order.IndexOf("Deployment"));
        Assert.Equal("DaemonSet", order[^1]);

        Assert.Subset(DeploymentProbe.ExistingObjects(fixture.Kubectl).ToHashSet(), expected.ToHashSet());
        Assert.Equal("os-operator:latest", DeploymentProbe.Get(fixture.Kubectl, "Deployment upgrade-system/upgrade-operator", "{.spec.template.spec.containers[0].image}"));
        Assert.Equal("upgrade-proxy", DeploymentProbe.Get(fixture.Kubectl, "DaemonSet upgrade-system/upgrade-proxy", "{.spec.template.spec.serviceAccountName}"));
        Assert.Equal("KubeOS.PowerShell", DeploymentProbe.Get(fixture.Kubectl, "ClusterRole upgrade-proxy", "{.metadata.labels.app\\.kubernetes\\.io/managed-by}"));

        // The same through the API, from the engine: the proxy's role as the server stores it.
        var verbs = _ps.Run("""
            $source = [KubeOS.Client.Configuration.KubeconfigSource]::new([string[]] @($Path), 'Parameter')
            $cluster = [KubeOS.Client.KubeOSCluster]::Connect([KubeOS.Client.Configuration.KubeconfigLoader]::Load($source, $null), $null)
            $role = [k8s.RbacAuthorizationV1OperationsExtensions]::ReadClusterRole($cluster.Client.RbacAuthorizationV1, 'upgrade-proxy', $null)
            $cluster.Dispose()
            $role.Rules | Where-Object { $_.Resources -contains 'pods/eviction' } | ForEach-Object { $_.Verbs }
            """, new() { ["Path"] = fixture.Kubeconfig });
        Assert.Equal(["create"], verbs.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Installing_again_changes_nothing_and_repairs_an_edited_object_keeping_foreign_labels()
    {
        RemoveDeployment();
        Assert.Empty(_ps.Run("Install-KubeOSOperator").Errors);
        // The generation moves with every write of the spec (status writes of the sandbox's controllers do not count).
        var generation = DeploymentProbe.Get(fixture.Kubectl, "Deployment upgrade-system/upgrade-operator", "{.metadata.generation}");

        var again = _ps.Run("Install-KubeOSOperator");

        Assert.True(again.Terminating is null && again.Errors.Count == 0, again.ToString());
        Assert.All(again.Output, o => Assert.Equal("Unchanged", o.Properties["Action"].Value.ToString()));
        Assert.Equal(DeploymentProbe.ObjectsInManifestFiles(_ps).Count, again.Output.Count);
        Assert.Equal(generation, DeploymentProbe.Get(fixture.Kubectl, "Deployment upgrade-system/upgrade-operator", "{.metadata.generation}"));

        fixture.Kubectl.Run("set image deployment/upgrade-operator -n upgrade-system operator=someone/else:1").Succeeded();
        fixture.Kubectl.Run("label deployment/upgrade-operator -n upgrade-system team=platform").Succeeded();

        var repaired = _ps.Run("Install-KubeOSOperator");

        Assert.Empty(repaired.Errors);
        var updated = repaired.Output.Where(o => o.Properties["Action"].Value.ToString() != "Unchanged").Select(o => o.ToString());
        Assert.Equal(["Deployment upgrade-system/upgrade-operator"], updated);
        Assert.Equal("os-operator:latest", DeploymentProbe.Get(fixture.Kubectl, "Deployment upgrade-system/upgrade-operator", "{.spec.template.spec.containers[0].image}"));
        Assert.Equal("platform", DeploymentProbe.Get(fixture.Kubectl, "Deployment upgrade-system/upgrade-operator", "{.metadata.labels.team}"));
    }

    [Fact]
    public void Registry_and_tag_set_both_images_and_a_full_image_wins_for_its_component()
    {
        RemoveDeployment();

        var result = _ps.Run("Install-KubeOSOperator -Registry registry.example.com:5000/kubeos/ -Version 0.2.0 -ProxyImage 'mirror.example/os-proxy@sha256:" + new string('a', 64) + "'");

        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        Assert.Equal("registry.example.com:5000/kubeos/os-operator:0.2.0",
            DeploymentProbe.Get(fixture.Kubectl, "Deployment upgrade-system/upgrade-operator", "{.spec.template.spec.containers[0].image}"));
        Assert.Equal("mirror.example/os-proxy@sha256:" + new string('a', 64),
            DeploymentProbe.Get(fixture.Kubectl, "DaemonSet upgrade-system/upgrade-proxy", "{.spec.template.spec.containers[0].image}"));
    }

    [Theory]
    [InlineData("-Tag 'v1:2'", "InvalidImageReference", "-Tag 'v1:2' is not an image tag")]
    [InlineData("-Registry 'registry.example.com/kubeos:1'", "InvalidImageReference", "-Registry 'registry.example.com/kubeos:1' is not a registry path")]
    [InlineData("-OperatorImage 'Not An Image'", "InvalidImageReference", "-OperatorImage 'Not An Image' is not an image reference")]
    [InlineData("-Namespace Upgrade_System", "InvalidNamespace", "-Namespace 'Upgrade_System' is not a Kubernetes namespace name")]
    public void Bad_parameters_stop_before_anything_is_written_naming_the_parameter(string parameters, string errorId, string message)
    {
        RemoveDeployment();

        var error = _ps.Catch("Install-KubeOSOperator " + parameters);

        Assert.NotNull(error);
        Assert.Equal(errorId + Fqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(message, error.Exception.Message);
        Assert.False(DeploymentProbe.Exists(fixture.Kubectl, "Deployment upgrade-system/upgrade-operator"));
    }

    [Fact]
    public void WhatIf_lists_each_object_it_would_create_or_update_and_writes_nothing()
    {
        RemoveDeployment();
        var crdVersion = DeploymentProbe.Get(fixture.Kubectl, "CustomResourceDefinition os.upgrade.openeuler.org", "{.metadata.resourceVersion}");

        var result = _ps.Run("Install-KubeOSOperator -WhatIf");

        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        // The sandbox has the CRDs already (without the managed-by label): they would be updated, the rest created.
        var existing = DeploymentProbe.ExistingObjects(fixture.Kubectl);
        foreach (var o in DeploymentProbe.ObjectsInManifestFiles(_ps).Where(o => !o.StartsWith("Namespace ")))
        {
            var operation = o.StartsWith("CustomResourceDefinition ") ? "Update" : "Create";
            Assert.Contains($"What if: Performing the operation \"{operation}\" on target \"{o}\".", result.HostText);
            Assert.True(operation == "Update" || !existing.Contains(o), $"-WhatIf created {o}");
        }
        Assert.Equal(crdVersion, DeploymentProbe.Get(fixture.Kubectl, "CustomResourceDefinition os.upgrade.openeuler.org", "{.metadata.resourceVersion}"));
        // Only the objects that are already as wanted come out; nothing was created or updated.
        Assert.Equal(["Namespace upgrade-system"], result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Another_namespace_is_created_and_every_binding_points_into_it()
    {
        RemoveDeployment("kubeos-other");

        var result = _ps.Run("Install-KubeOSOperator -Namespace kubeos-other");

        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        Assert.Equal(DeploymentProbe.ObjectsInManifestFiles(_ps, "kubeos-other"), result.Output.Select(o => o.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal("Created", result.Output.Single(o => o.ToString() == "Namespace kubeos-other").Properties["Action"].Value.ToString());
        Assert.Equal("kubeos-other", DeploymentProbe.Get(fixture.Kubectl, "ClusterRoleBinding upgrade-proxy", "{.subjects[0].namespace}"));
        Assert.Equal("kubeos-other", DeploymentProbe.Get(fixture.Kubectl, "RoleBinding kubeos-other/upgrade-operator-leader-election", "{.subjects[0].namespace}"));
        Assert.True(DeploymentProbe.Exists(fixture.Kubectl, "DaemonSet kubeos-other/upgrade-proxy"));

        var removed = _ps.Run("Uninstall-KubeOSOperator -Namespace kubeos-other -Confirm:$false");
        Assert.Equal("Deleted", removed.Output.Single(o => o.ToString() == "Namespace kubeos-other").Properties["Action"].Value.ToString());
        Assert.False(DeploymentProbe.Exists(fixture.Kubectl, "Namespace kubeos-other"));
    }

    [Fact]
    public void Verbose_shows_each_API_call_and_the_default_view_is_a_table()
    {
        RemoveDeployment();

        var result = _ps.Run("Install-KubeOSOperator -Verbose");

        var verbose = result.Verbose.Select(v => v.Message).ToList();
        Assert.Contains(verbose, v => v.StartsWith("GET /apis/apps/v1/namespaces/upgrade-system/daemonsets/upgrade-proxy -> 404"));
        Assert.Contains(verbose, v => v.StartsWith("POST /apis/apps/v1/namespaces/upgrade-system/daemonsets -> 201"));
        Assert.Contains(verbose, v => v.StartsWith("PUT /apis/apiextensions.k8s.io/v1/customresourcedefinitions/os.upgrade.openeuler.org -> 200"));

        var text = _ps.Render("Install-KubeOSOperator");
        Assert.Matches(@"Action\s+Kind\s+Namespace\s+Name", text);
        Assert.Matches(@"Unchanged\s+DaemonSet\s+upgrade-system\s+upgrade-proxy", text);
        Assert.Matches(@"Unchanged\s+ClusterRole\s+-\s+upgrade-operator", text);
    }

    [Fact]
    public void An_unreachable_cluster_is_a_terminating_ClusterUnreachable_error()
    {
        var kubeconfig = DeploymentProbe.UnreachableKubeconfig(fixture.Kubeconfig);

        var install = _ps.Catch("Install-KubeOSOperator -Kubeconfig $Path", new() { ["Path"] = kubeconfig });
        var uninstall = _ps.Catch("Uninstall-KubeOSOperator -Kubeconfig $Path -Confirm:$false", new() { ["Path"] = kubeconfig });

        Assert.Equal("ClusterUnreachable" + Fqid, install?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, install!.CategoryInfo.Category);
        Assert.Contains("127.0.0.1:1", install.Exception.Message);
        Assert.Equal("ClusterUnreachable,KubeOS.PowerShell.Installation.UninstallKubeOSOperatorCommand", uninstall?.FullyQualifiedErrorId);
    }
}
