using System.Runtime.Versioning;

namespace KubeOS.PowerShell.Tests.AdminContainer;

/// <summary>Leftovers as a killed session leaves them: labelled pods and Secrets, made here with kubectl.</summary>
[SupportedOSPlatform("linux")] // namespaces, unshare and Unix file modes
[Collection(AdminContainerCollection.Name)]
public sealed class RemoveKubeOSAdminContainerTests(AdminContainerFixture fixture)
{
    private static string Leftover(string kind, string name, string node) => $"""
        apiVersion: v1
        kind: {kind}
        metadata:
          name: {name}
          namespace: kube-system
          labels:
            app.kubernetes.io/name: kubeos-admin-container
            app.kubernetes.io/managed-by: KubeOS.PowerShell
          annotations:
            kubeos.io/admin-node: {node}
        {(kind == "Pod" ? $"spec:\n  nodeName: {node}\n  containers:\n    - name: admin\n      image: kubeos/admin-container:latest" : "type: Opaque")}
        ---

        """;

    [Fact]
    public void Removes_only_the_modules_objects_for_the_selected_nodes()
    {
        fixture.Kubectl.Run("apply -f -",
            Leftover("Pod", "kubeos-admin-node-1-aaaaa", "node-1") + Leftover("Secret", "kubeos-admin-node-1-aaaaa", "node-1")
            + Leftover("Pod", "kubeos-admin-node-2-bbbbb", "node-2") + Leftover("Secret", "kubeos-admin-node-2-bbbbb", "node-2")
            + "apiVersion: v1\nkind: Secret\nmetadata:\n  name: someone-elses\n  namespace: kube-system\n  labels:\n    app.kubernetes.io/name: kubeos-admin-container\n").Succeeded();
        Assert.Equal(4, fixture.Leftovers().Count);

        var first = fixture.Session.Run("Remove-KubeOSAdminContainer -Node 'NODE-1' -Verbose");
        Assert.Empty(first.Errors);
        Assert.Equal(["pod/kubeos-admin-node-2-bbbbb", "secret/kubeos-admin-node-2-bbbbb"], fixture.Leftovers().Order());
        Assert.Equal(["Removed the pod kube-system/kubeos-admin-node-1-aaaaa (node node-1).", "Removed the Secret kube-system/kubeos-admin-node-1-aaaaa (node node-1)."],
            first.Verbose.Select(v => v.Message).Where(m => m.StartsWith("Removed", StringComparison.Ordinal)));

        var rest = fixture.Session.Run("Remove-KubeOSAdminContainer");
        Assert.Empty(rest.Errors);
        Assert.Empty(fixture.Leftovers());
        Assert.Equal(0, fixture.Kubectl.Run("get secret someone-elses -n kube-system").ExitCode);
        fixture.Kubectl.Run("delete secret someone-elses -n kube-system").Succeeded();
    }
}
