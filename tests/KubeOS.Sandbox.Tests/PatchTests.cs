using k8s;
using k8s.Models;

namespace KubeOS.Sandbox.Tests;

/// <summary>The three patch formats kubectl and controllers send.</summary>
public sealed class PatchTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private IKubernetes Client => sandbox.Client;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<V1Node> NewNodeAsync()
    {
        var node = new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "patch-" + Guid.NewGuid().ToString("N")[..8] },
            Spec = new V1NodeSpec { Taints = [new V1Taint { Key = "a", Effect = "NoSchedule" }] },
            Status = new V1NodeStatus
            {
                Conditions =
                [
                    new V1NodeCondition { Type = "Ready", Status = "True", Reason = "KubeletReady" },
                    new V1NodeCondition { Type = "MemoryPressure", Status = "False" },
                ],
            },
        };
        return await Client.CoreV1.CreateNodeAsync(node, cancellationToken: Ct);
    }

    [Fact]
    public async Task Strategic_merge_patch_cordons_a_node_as_kubectl_does()
    {
        var node = await NewNodeAsync();
        var patched = await Client.CoreV1.PatchNodeAsync(new V1Patch("{\"spec\":{\"unschedulable\":true}}", V1Patch.PatchType.StrategicMergePatch), node.Metadata.Name, cancellationToken: Ct);
        Assert.True(patched.Spec.Unschedulable);
        Assert.Equal("a", Assert.Single(patched.Spec.Taints).Key);
        Assert.True(long.Parse(patched.Metadata.ResourceVersion) > long.Parse(node.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Strategic_merge_patch_on_status_merges_conditions_by_type()
    {
        var node = await NewNodeAsync();
        var patch = "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"KubeletNotReady\"}]}}";
        var patched = await Client.CoreV1.PatchNodeStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), node.Metadata.Name, cancellationToken: Ct);
        Assert.Equal(2, patched.Status.Conditions.Count);
        var ready = Assert.Single(patched.Status.Conditions, c => c.Type == "Ready");
        Assert.Equal("False", ready.Status);
        Assert.Equal("KubeletNotReady", ready.Reason);
    }

    [Fact]
    public async Task Strategic_merge_patch_replaces_taints_which_have_no_merge_strategy()
    {
        var node = await NewNodeAsync();
        var patched = await Client.CoreV1.PatchNodeAsync(new V1Patch("{\"spec\":{\"taints\":[{\"key\":\"b\",\"effect\":\"NoExecute\"}]}}", V1Patch.PatchType.StrategicMergePatch), node.Metadata.Name, cancellationToken: Ct);
        Assert.Equal("b", Assert.Single(patched.Spec.Taints).Key);
    }

    [Fact]
    public async Task Patch_of_the_main_resource_ignores_status_for_kinds_with_a_status_subresource()
    {
        var node = await NewNodeAsync();
        var patched = await Client.CoreV1.PatchNodeAsync(new V1Patch("{\"status\":{\"conditions\":null},\"metadata\":{\"labels\":{\"x\":\"y\"}}}", V1Patch.PatchType.MergePatch), node.Metadata.Name, cancellationToken: Ct);
        Assert.Equal(2, patched.Status.Conditions.Count);
        Assert.Equal("y", patched.Metadata.Labels["x"]);
    }

    [Fact]
    public async Task Json_patch_applies_operations_in_order_and_a_failed_test_changes_nothing()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("j", data: new Dictionary<string, string> { ["a"] = "1" }), ns, cancellationToken: Ct);
        var patched = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(
            "[{\"op\":\"add\",\"path\":\"/data/b\",\"value\":\"2\"},{\"op\":\"replace\",\"path\":\"/data/a\",\"value\":\"3\"}]",
            V1Patch.PatchType.JsonPatch), "j", ns, cancellationToken: Ct);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "3", ["b"] = "2" }, patched.Data);

        var (code, _) = await Api.FailureOf(() => Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(
            "[{\"op\":\"replace\",\"path\":\"/data/a\",\"value\":\"9\"},{\"op\":\"test\",\"path\":\"/data/b\",\"value\":\"nope\"}]",
            V1Patch.PatchType.JsonPatch), "j", ns, cancellationToken: Ct));
        Assert.Equal(422, code);
        Assert.Equal("3", (await Client.CoreV1.ReadNamespacedConfigMapAsync("j", ns, cancellationToken: Ct)).Data["a"]);
    }

    [Fact]
    public async Task Merge_patch_with_null_removes_a_key()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("m", data: new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }), ns, cancellationToken: Ct);
        var patched = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"a\":null}}", V1Patch.PatchType.MergePatch), "m", ns, cancellationToken: Ct);
        Assert.Equal(new Dictionary<string, string> { ["b"] = "2" }, patched.Data);
    }

    [Fact]
    public async Task Strategic_merge_patch_of_pod_containers_merges_by_name()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var pod = Api.Pod("p");
        pod.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "registry.example/sidecar:1" });
        await Client.CoreV1.CreateNamespacedPodAsync(pod, ns, cancellationToken: Ct);
        var patched = await Client.CoreV1.PatchNamespacedPodAsync(new V1Patch(
            "{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"registry.example/sidecar:2\"}]}}", V1Patch.PatchType.StrategicMergePatch), "p", ns, cancellationToken: Ct);
        Assert.Equal(["app", "sidecar"], patched.Spec.Containers.Select(c => c.Name));
        Assert.Equal("registry.example/sidecar:2", patched.Spec.Containers[1].Image);
        Assert.Equal("registry.example/app:1", patched.Spec.Containers[0].Image);
    }

    [Fact]
    public async Task Apply_patch_creates_a_missing_object_and_merges_into_an_existing_one()
    {
        var ns = await sandbox.NewNamespaceAsync();
        const string first = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ssa\"},\"data\":{\"a\":\"1\"}}";
        var created = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(first, V1Patch.PatchType.ApplyPatch), "ssa", ns, fieldManager: "tests", cancellationToken: Ct);
        Assert.Equal("1", created.Data["a"]);
        const string second = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ssa\"},\"data\":{\"a\":\"2\"}}";
        var updated = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(second, V1Patch.PatchType.ApplyPatch), "ssa", ns, fieldManager: "tests", cancellationToken: Ct);
        Assert.Equal("2", updated.Data["a"]);
        Assert.Equal(created.Metadata.Uid, updated.Metadata.Uid);
    }

    [Fact]
    public async Task Apply_patch_without_a_fieldManager_returns_422()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var (code, status) = await Api.FailureOf(() => Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("{\"metadata\":{\"name\":\"x\"}}", V1Patch.PatchType.ApplyPatch), "x", ns, cancellationToken: Ct));
        Assert.Equal(422, code);
        Assert.Contains("fieldManager: Required value: is required for apply patch", status.Message);
    }
}
