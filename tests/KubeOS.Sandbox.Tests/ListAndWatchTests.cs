using k8s;
using k8s.Models;

namespace KubeOS.Sandbox.Tests;

/// <summary>Selectors, pagination and watch as kube-apiserver serves them.</summary>
public sealed class ListAndWatchTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private IKubernetes Client => sandbox.Client;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> SeedLabelledAsync()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("a", new Dictionary<string, string> { ["tier"] = "web", ["env"] = "prod" }), ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("b", new Dictionary<string, string> { ["tier"] = "db", ["env"] = "prod" }), ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("c", new Dictionary<string, string> { ["tier"] = "cache" }), ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("d"), ns);
        return ns;
    }

    [Theory]
    [InlineData("tier=web", "a")]
    [InlineData("tier==web", "a")]
    [InlineData("tier!=web", "b,c,d")]
    [InlineData("tier in (web,db)", "a,b")]
    [InlineData("tier notin (web,db)", "c,d")]
    [InlineData("env", "a,b")]
    [InlineData("!env", "c,d")]
    [InlineData("env=prod,tier!=db", "a")]
    public async Task Label_selector_filters_the_list(string selector, string expected)
    {
        var ns = await SeedLabelledAsync();
        var list = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: selector, cancellationToken: Ct);
        Assert.Equal(expected, string.Join(',', list.Items.Select(i => i.Metadata.Name)));
    }

    [Fact]
    public async Task Field_selector_on_spec_nodeName_and_status_phase_filters_pods()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedPodAsync(Api.Pod("on-n1", "n1"), ns);
        var running = await Client.CoreV1.CreateNamespacedPodAsync(Api.Pod("running-on-n1", "n1"), ns);
        await Api.MakeReadyAsync(Client, running);
        await Client.CoreV1.CreateNamespacedPodAsync(Api.Pod("on-n2", "n2"), ns);

        var onN1 = await Client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "spec.nodeName=n1", cancellationToken: Ct);
        Assert.Equal(["on-n1", "running-on-n1"], onN1.Items.Select(p => p.Metadata.Name));
        var runningOnN1 = await Client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "spec.nodeName=n1,status.phase=Running", cancellationToken: Ct);
        Assert.Equal(["running-on-n1"], runningOnN1.Items.Select(p => p.Metadata.Name));
        var notN1 = await Client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "spec.nodeName!=n1", cancellationToken: Ct);
        Assert.Equal(["on-n2"], notN1.Items.Select(p => p.Metadata.Name));
        var byName = await Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"metadata.name=on-n2,metadata.namespace={ns}", cancellationToken: Ct);
        Assert.Equal(["on-n2"], byName.Items.Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task Field_selector_on_spec_unschedulable_filters_nodes()
    {
        var prefix = "fsu-" + Guid.NewGuid().ToString("N")[..6];
        await Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = prefix + "-a", Labels = new Dictionary<string, string> { ["set"] = prefix } } }, cancellationToken: Ct);
        await Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = prefix + "-b", Labels = new Dictionary<string, string> { ["set"] = prefix } }, Spec = new V1NodeSpec { Unschedulable = true } }, cancellationToken: Ct);
        var cordoned = await Client.CoreV1.ListNodeAsync(labelSelector: "set=" + prefix, fieldSelector: "spec.unschedulable=true", cancellationToken: Ct);
        Assert.Equal([prefix + "-b"], cordoned.Items.Select(n => n.Metadata.Name));
        var schedulable = await Client.CoreV1.ListNodeAsync(labelSelector: "set=" + prefix, fieldSelector: "spec.unschedulable=false", cancellationToken: Ct);
        Assert.Equal([prefix + "-a"], schedulable.Items.Select(n => n.Metadata.Name));
    }

    [Fact]
    public async Task Field_selector_on_an_unsupported_field_returns_400()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var (code, status) = await Api.FailureOf(() => Client.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: "data.k=v", cancellationToken: Ct));
        Assert.Equal(400, code);
        Assert.Equal("BadRequest", status.Reason);
        Assert.Equal("field label not supported: data.k", status.Message);
    }

    [Fact]
    public async Task Pagination_with_limit_and_continue_serves_a_consistent_snapshot()
    {
        var ns = await sandbox.NewNamespaceAsync();
        for (var i = 0; i < 5; i++) await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap($"cm-{i}"), ns, cancellationToken: Ct);

        var page1 = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 2, cancellationToken: Ct);
        Assert.Equal(["cm-0", "cm-1"], page1.Items.Select(i => i.Metadata.Name));
        Assert.NotNull(page1.Metadata.ContinueProperty);
        Assert.Equal(3, page1.Metadata.RemainingItemCount);

        // Changes after the first page do not show up in later pages of the same list.
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("cm-3", ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("cm-5"), ns, cancellationToken: Ct);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"k\":\"changed\"}}", V1Patch.PatchType.MergePatch), "cm-2", ns, cancellationToken: Ct);

        var page2 = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 2, continueParameter: page1.Metadata.ContinueProperty, cancellationToken: Ct);
        Assert.Equal(["cm-2", "cm-3"], page2.Items.Select(i => i.Metadata.Name));
        Assert.Equal("v", page2.Items[0].Data["k"]);
        Assert.Equal(page1.Metadata.ResourceVersion, page2.Metadata.ResourceVersion);
        var page3 = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 2, continueParameter: page2.Metadata.ContinueProperty, cancellationToken: Ct);
        Assert.Equal(["cm-4"], page3.Items.Select(i => i.Metadata.Name));
        Assert.Null(page3.Metadata.ContinueProperty);

        var fresh = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, cancellationToken: Ct);
        Assert.Equal(["cm-0", "cm-1", "cm-2", "cm-4", "cm-5"], fresh.Items.Select(i => i.Metadata.Name));
    }

    [Fact]
    public async Task Watch_from_a_resourceVersion_delivers_only_later_events_in_order()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var before = await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("before"), ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("after"), ns, cancellationToken: Ct);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"k\":\"2\"}}", V1Patch.PatchType.MergePatch), "before", ns, cancellationToken: Ct);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("after", ns, cancellationToken: Ct);

        var events = new List<(WatchEventType, string, string)>();
        var watch = Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: before.Metadata.ResourceVersion, timeoutSeconds: 1, cancellationToken: Ct);
        await foreach (var (type, cm) in watch)
            events.Add((type, cm.Metadata.Name, cm.Data?["k"] ?? ""));

        Assert.Equal(
            [(WatchEventType.Added, "after", "v"), (WatchEventType.Modified, "before", "2"), (WatchEventType.Deleted, "after", "v")],
            events);
    }

    [Fact]
    public async Task Watch_without_resourceVersion_starts_with_the_current_objects_as_ADDED()
    {
        var ns = await SeedLabelledAsync();
        var names = new List<string>();
        var watch = Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, labelSelector: "env=prod", timeoutSeconds: 1, cancellationToken: Ct);
        await foreach (var (type, cm) in watch)
        {
            Assert.Equal(WatchEventType.Added, type);
            names.Add(cm.Metadata.Name);
        }
        Assert.Equal(["a", "b"], names);
    }

    [Fact]
    public async Task Watch_with_a_label_selector_sees_an_object_leaving_the_selection_as_DELETED()
    {
        var ns = await SeedLabelledAsync();
        var list = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, cancellationToken: Ct);
        var events = new List<(WatchEventType, string)>();
        var watch = Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, labelSelector: "tier=web",
            resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 2, cancellationToken: Ct);
        var consume = Task.Run(async () =>
        {
            await foreach (var (type, cm) in watch)
                events.Add((type, cm.Metadata.Name));
        }, Ct);
        await Task.Delay(200, Ct);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}", V1Patch.PatchType.MergePatch), "c", ns, cancellationToken: Ct);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"labels\":{\"tier\":\"db\"}}}", V1Patch.PatchType.MergePatch), "a", ns, cancellationToken: Ct);
        await consume;
        Assert.Equal([(WatchEventType.Added, "c"), (WatchEventType.Deleted, "a")], events);
    }

    [Fact]
    public async Task Watch_ends_after_timeoutSeconds()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("only"), ns, cancellationToken: Ct);
        var started = DateTime.UtcNow;
        var watch = Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, timeoutSeconds: 1, cancellationToken: Ct);
        await foreach (var _ in watch) { }
        var elapsed = DateTime.UtcNow - started;
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(10));
    }
}
