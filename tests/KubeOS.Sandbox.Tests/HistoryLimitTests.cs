using k8s;
using k8s.Models;

namespace KubeOS.Sandbox.Tests;

/// <summary>Behaviour at the edge of the retained event history: 410 Gone, and bookmarks.</summary>
public sealed class HistoryLimitTests(SmallHistorySandboxFixture sandbox) : IClassFixture<SmallHistorySandboxFixture>
{
    private IKubernetes Client => sandbox.Client;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task ChurnAsync(string ns, int writes)
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("churn"), ns, cancellationToken: Ct);
        for (var i = 0; i < writes; i++)
            await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch($"{{\"data\":{{\"k\":\"{i}\"}}}}", V1Patch.PatchType.MergePatch), "churn", ns, cancellationToken: Ct);
    }

    [Fact]
    public async Task Watch_from_a_compacted_resourceVersion_gets_an_ERROR_event_with_410_Expired()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var old = await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("old"), ns, cancellationToken: Ct);
        await ChurnAsync(ns, 40);

        Exception? error = null;
        var received = 0;
        var watch = Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: old.Metadata.ResourceVersion, timeoutSeconds: 2, onError: e => error = e, cancellationToken: Ct);
        await foreach (var _ in watch) received++;

        Assert.Equal(0, received);
        var status = Assert.IsType<KubernetesException>(error).Status;
        Assert.Equal(410, status.Code);
        Assert.Equal("Expired", status.Reason);
        Assert.Matches($"^too old resource version: {old.Metadata.ResourceVersion} \\(\\d+\\)$", status.Message);
    }

    [Fact]
    public async Task Continue_token_older_than_the_history_returns_410_Expired()
    {
        var ns = await sandbox.NewNamespaceAsync();
        for (var i = 0; i < 3; i++) await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap($"cm-{i}"), ns, cancellationToken: Ct);
        var page1 = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 1, cancellationToken: Ct);
        await ChurnAsync(ns, 40);
        var (code, status) = await Api.FailureOf(() =>
            Client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 1, continueParameter: page1.Metadata.ContinueProperty, cancellationToken: Ct));
        Assert.Equal(410, code);
        Assert.Equal("Expired", status.Reason);
        Assert.StartsWith("The provided continue parameter is too old to display a consistent list result.", status.Message);
    }

    [Fact]
    public async Task Watch_with_allowWatchBookmarks_receives_BOOKMARK_events_carrying_a_resourceVersion()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var list = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, cancellationToken: Ct);
        var bookmarks = new List<string>();
        var watch = Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, allowWatchBookmarks: true,
            resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 1, cancellationToken: Ct);
        await foreach (var (type, cm) in watch)
        {
            Assert.Equal(WatchEventType.Bookmark, type);
            bookmarks.Add(cm.Metadata.ResourceVersion);
        }
        Assert.NotEmpty(bookmarks);
        Assert.All(bookmarks, rv => Assert.True(long.Parse(rv) >= long.Parse(list.Metadata.ResourceVersion)));
    }

    [Fact]
    public async Task Watch_with_sendInitialEvents_ends_the_initial_state_with_an_annotated_BOOKMARK()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("a"), ns, cancellationToken: Ct);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("b"), ns, cancellationToken: Ct);
        using var http = sandbox.RawHttp();
        using var response = await http.GetAsync(
            $"/api/v1/namespaces/{ns}/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1",
            HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var lines = new List<System.Text.Json.Nodes.JsonNode>();
        for (var i = 0; i < 3; i++) lines.Add(System.Text.Json.Nodes.JsonNode.Parse((await reader.ReadLineAsync(Ct))!)!);
        Assert.Equal(["ADDED", "ADDED", "BOOKMARK"], lines.Select(l => l["type"]!.ToString()));
        Assert.Equal("true", lines[2]["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.ToString());
    }
}
