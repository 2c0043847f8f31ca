using k8s;
using k8s.Models;

namespace KubeOS.Sandbox.Tests;

/// <summary>The Eviction API and PodDisruptionBudget status, as kube-apiserver and the disruption controller behave.</summary>
public sealed class EvictionTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private IKubernetes Client => sandbox.Client;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A ReplicaSet-owned group of Running, Ready pods labelled app=name.</summary>
    private async Task SeedReadyPodsAsync(string ns, string app, int count)
    {
        var rs = await Client.AppsV1.CreateNamespacedReplicaSetAsync(ObjectLifecycleTests.ReplicaSet(app, count), ns, cancellationToken: Ct);
        for (var i = 0; i < count; i++)
        {
            var pod = Api.Pod($"{app}-{i}", "node-a", new Dictionary<string, string> { ["app"] = app });
            pod.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = app, Uid = rs.Metadata.Uid, Controller = true }];
            var created = await Client.CoreV1.CreateNamespacedPodAsync(pod, ns, cancellationToken: Ct);
            await Api.MakeReadyAsync(Client, created);
        }
    }

    private Task<V1PodDisruptionBudget> CreatePdbAsync(string ns, string name, string app, IntOrString? minAvailable = null, IntOrString? maxUnavailable = null) =>
        Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodDisruptionBudgetSpec
            {
                MinAvailable = minAvailable, MaxUnavailable = maxUnavailable,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
            },
        }, ns, cancellationToken: Ct);

    private Task Evict(string ns, string pod) =>
        Client.CoreV1.CreateNamespacedPodEvictionAsync(new V1Eviction { Metadata = new V1ObjectMeta { Name = pod, NamespaceProperty = ns } }, pod, ns, cancellationToken: Ct);

    [Fact]
    public async Task PDB_status_counts_ready_pods_against_an_integer_minAvailable()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await SeedReadyPodsAsync(ns, "web", 3);
        await CreatePdbAsync(ns, "web", "web", minAvailable: 2);
        var pdb = await Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("web", ns, cancellationToken: Ct);
        Assert.Equal(3, pdb.Status.CurrentHealthy);
        Assert.Equal(2, pdb.Status.DesiredHealthy);
        Assert.Equal(3, pdb.Status.ExpectedPods);
        Assert.Equal(1, pdb.Status.DisruptionsAllowed);
        var condition = Assert.Single(pdb.Status.Conditions);
        Assert.Equal(("DisruptionAllowed", "True", "SufficientPods"), (condition.Type, condition.Status, condition.Reason));
    }

    [Fact]
    public async Task PDB_status_scales_a_percentage_maxUnavailable_by_the_controller_replicas()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await SeedReadyPodsAsync(ns, "api", 4);
        await CreatePdbAsync(ns, "api", "api", maxUnavailable: "30%");
        var pdb = await Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("api", ns, cancellationToken: Ct);
        // ceil(30% of 4) = 2 may be unavailable, so 2 must stay healthy.
        Assert.Equal(2, pdb.Status.DesiredHealthy);
        Assert.Equal(4, pdb.Status.ExpectedPods);
        Assert.Equal(2, pdb.Status.DisruptionsAllowed);
    }

    [Fact]
    public async Task Eviction_blocked_by_a_PDB_returns_429_TooManyRequests_with_a_DisruptionBudget_cause()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await SeedReadyPodsAsync(ns, "db", 2);
        await CreatePdbAsync(ns, "db", "db", minAvailable: 2);

        var (code, status) = await Api.FailureOf(() => Evict(ns, "db-0"));
        Assert.Equal(429, code);
        Assert.Equal("TooManyRequests", status.Reason);
        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", status.Message);
        var cause = Assert.Single(status.Details.Causes);
        Assert.Equal("DisruptionBudget", cause.Reason);
        Assert.Equal("The disruption budget db needs 2 healthy pods and has 2 currently", cause.Message);
        Assert.NotNull(await Client.CoreV1.ReadNamespacedPodAsync("db-0", ns, cancellationToken: Ct));
    }

    [Fact]
    public async Task Successful_eviction_deletes_the_pod_and_decrements_disruptionsAllowed()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await SeedReadyPodsAsync(ns, "web", 3);
        await CreatePdbAsync(ns, "web", "web", minAvailable: 1);
        Assert.Equal(2, (await Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("web", ns, cancellationToken: Ct)).Status.DisruptionsAllowed);

        await Evict(ns, "web-0");
        Assert.Equal(404, (await Api.FailureOf(() => Client.CoreV1.ReadNamespacedPodAsync("web-0", ns, cancellationToken: Ct))).Code);
        var pdb = await Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("web", ns, cancellationToken: Ct);
        Assert.Equal(1, pdb.Status.DisruptionsAllowed);
        Assert.Equal(2, pdb.Status.CurrentHealthy);

        await Evict(ns, "web-1");
        var (code, _) = await Api.FailureOf(() => Evict(ns, "web-2"));
        Assert.Equal(429, code);
    }

    [Fact]
    public async Task Eviction_of_a_pod_without_a_PDB_deletes_it()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await SeedReadyPodsAsync(ns, "free", 1);
        await Evict(ns, "free-0");
        Assert.Equal(404, (await Api.FailureOf(() => Client.CoreV1.ReadNamespacedPodAsync("free-0", ns, cancellationToken: Ct))).Code);
    }

    [Fact]
    public async Task Eviction_of_a_pod_covered_by_two_PDBs_returns_500()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await SeedReadyPodsAsync(ns, "twice", 3);
        await CreatePdbAsync(ns, "one", "twice", minAvailable: 0);
        await CreatePdbAsync(ns, "two", "twice", minAvailable: 0);
        var (code, status) = await Api.FailureOf(() => Evict(ns, "twice-0"));
        Assert.Equal(500, code);
        Assert.Equal("InternalError", status.Reason);
        Assert.Equal("Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.", status.Message);
    }

    [Fact]
    public async Task Eviction_of_a_pending_pod_ignores_the_PDB()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedPodAsync(Api.Pod("pending", null, new Dictionary<string, string> { ["app"] = "p" }), ns, cancellationToken: Ct);
        await CreatePdbAsync(ns, "p", "p", minAvailable: 5);
        await Evict(ns, "pending");
        Assert.Equal(404, (await Api.FailureOf(() => Client.CoreV1.ReadNamespacedPodAsync("pending", ns, cancellationToken: Ct))).Code);
    }

    [Fact]
    public async Task Eviction_of_a_missing_pod_returns_404()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var (code, status) = await Api.FailureOf(() => Evict(ns, "ghost"));
        Assert.Equal(404, code);
        Assert.Equal("pods \"ghost\" not found", status.Message);
    }

    [Fact]
    public async Task Eviction_of_an_unready_pod_is_allowed_while_the_budget_is_healthy()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await SeedReadyPodsAsync(ns, "mixed", 3);
        var unready = Api.Pod("mixed-unready", "node-a", new Dictionary<string, string> { ["app"] = "mixed" });
        var rs = await Client.AppsV1.ReadNamespacedReplicaSetAsync("mixed", ns, cancellationToken: Ct);
        unready.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "mixed", Uid = rs.Metadata.Uid, Controller = true }];
        var created = await Client.CoreV1.CreateNamespacedPodAsync(unready, ns, cancellationToken: Ct);
        created.Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = "False" }] };
        await Client.CoreV1.ReplaceNamespacedPodStatusAsync(created, "mixed-unready", ns, cancellationToken: Ct);
        // 3 healthy pods, 3 desired: no disruption is allowed, but the unready pod is not protected by the budget.
        await CreatePdbAsync(ns, "mixed", "mixed", minAvailable: 3);
        Assert.Equal(0, (await Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("mixed", ns, cancellationToken: Ct)).Status.DisruptionsAllowed);

        await Evict(ns, "mixed-unready");
        Assert.Equal(404, (await Api.FailureOf(() => Client.CoreV1.ReadNamespacedPodAsync("mixed-unready", ns, cancellationToken: Ct))).Code);
        Assert.Equal(429, (await Api.FailureOf(() => Evict(ns, "mixed-0"))).Code);
    }
}
