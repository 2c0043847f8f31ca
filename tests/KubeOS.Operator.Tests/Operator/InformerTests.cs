using k8s;
using k8s.Models;
using KubeOS.Operator.Cluster;
using KubeOS.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace KubeOS.Operator.Tests.Operator;

/// <summary>A sandbox that keeps only 16 events, so a watch from an old resourceVersion gets 410 Gone.</summary>
public sealed class ShortHistorySandbox : IAsyncLifetime
{
    public SandboxServer Server { get; private set; } = null!;
    public IKubernetes Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await SandboxServer.StartAsync(new SandboxOptions { EventHistory = 16 });
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.KubeconfigPath));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>The watch-fed copy: 410 falls back to a list, and the operator's own writes are waited for.</summary>
public sealed class InformerTests(ShortHistorySandbox sandbox) : IClassFixture<ShortHistorySandbox>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Informer<V1ConfigMap> Informer(string ns, Func<int, string?>? versionOverride = null)
    {
        var lists = 0;
        return new Informer<V1ConfigMap>("ConfigMap",
            async ct =>
            {
                var list = await sandbox.Client.CoreV1.ListNamespacedConfigMapAsync(ns, cancellationToken: ct);
                return (list.Items.ToList(), versionOverride?.Invoke(++lists) ?? list.Metadata.ResourceVersion);
            },
            (rv, onError, ct) => sandbox.Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: rv, allowWatchBookmarks: true,
                onError: onError, cancellationToken: ct),
            c => c.Metadata.Name, c => c.Metadata.ResourceVersion, () => { }, NullLogger.Instance);
    }

    private async Task<string> NamespaceWithConfigMaps(int count)
    {
        var ns = (await sandbox.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { GenerateName = "inf-" } })).Metadata.Name;
        for (var i = 0; i < count; i++)
            await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"cm-{i}" } }, ns);
        return ns;
    }

    [Fact]
    public async Task A_watch_answered_410_Gone_falls_back_to_a_fresh_list()
    {
        var ns = await NamespaceWithConfigMaps(40);
        // The first list claims a resourceVersion long out of the 16-event history: its watch is refused with 410.
        var informer = Informer(ns, n => n == 1 ? "1" : null);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = informer.RunAsync(stop.Token);

        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(informer.Lists >= 2), "the informer listed again after 410");
        await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "late" } }, ns);
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(informer.Items().Count == 41), "the copy has all 41 config maps");

        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Own_writes_hold_the_copy_behind_until_they_arrive_and_a_relist_settles_a_lost_one()
    {
        var ns = await NamespaceWithConfigMaps(3);
        var informer = Informer(ns);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = informer.RunAsync(stop.Token);
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(informer.CaughtUp), "the informer synced");

        var patched = await sandbox.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("{\"data\":{\"k\":\"v\"}}", V1Patch.PatchType.MergePatch), "cm-1", ns);
        informer.Wrote(patched.Metadata.ResourceVersion);
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(informer.CaughtUp), "the write came back through the watch");
        Assert.Equal("v", informer.Items().Single(c => c.Metadata.Name == "cm-1").Data["k"]);

        // A version the watch will never deliver keeps the copy behind until a relist, which includes every earlier write.
        informer.Wrote("no-such-version");
        await Task.Delay(200, Ct);
        Assert.False(informer.CaughtUp);
        var lists = informer.Lists;
        informer.RequestRelist();
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(informer.CaughtUp && informer.Lists > lists), "the relist settled the write");

        await stop.CancelAsync();
        await run;
    }
}
