using k8s;
using k8s.Models;

namespace KubeOS.Sandbox.Tests;

/// <summary>kubectl v1.32 against the sandbox: what an administrator runs during a KubeOS rollout.</summary>
public sealed class KubectlTests(SimulatedClusterFixture cluster) : IClassFixture<SimulatedClusterFixture>
{
    private Kubectl Kubectl => cluster.Kubectl;
    private IKubernetes Client => cluster.Client;

    private const string Crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: upgrades.kubectl.example.com
        spec:
          group: kubectl.example.com
          names: {plural: upgrades, singular: upgrade, kind: Upgrade, shortNames: [upg]}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            additionalPrinterColumns:
            - {name: Version, type: string, jsonPath: .spec.osversion}
            - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """;

    private static string Cr(string version) => $"""
        apiVersion: kubectl.example.com/v1
        kind: Upgrade
        metadata: {"{"}name: fleet, namespace: default{"}"}
        spec: {"{"}osversion: "KubeOS {version}"{"}"}
        """;

    private async Task EnsureCrdAsync()
    {
        (await Kubectl.RunAsync("apply -f -", stdin: Crd)).Succeeded();
    }

    [Fact]
    public async Task Get_nodes_wide_shows_each_simulated_node_with_its_KubeOS_image()
    {
        var result = (await Kubectl.RunAsync("get nodes -o wide")).Succeeded();
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME", lines[0]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^node-0\s+Ready\s+control-plane\s+\S+\s+v1\.32\.0\s+10\.0\.0\.1\s+<none>\s+KubeOS v1\s"));
        Assert.Equal(4, lines.Count(l => l.StartsWith("node-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Get_pods_all_namespaces_lists_the_running_workload_and_daemonset_pods()
    {
        await SimulatedClusterFixture.EventuallyAsync(async () =>
            (await Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "status.phase=Running")).Items.Count >= 7, "seeded pods run");
        var result = (await Kubectl.RunAsync("get pods -A")).Succeeded();
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE", lines[0]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^default\s+workload-0-\w{5}\s+1/1\s+Running\s+0\s"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^kube-system\s+node-monitor-\w{5}\s+1/1\s+Running\s+0\s"));
    }

    [Fact]
    public async Task Apply_of_a_CRD_and_a_CR_then_get_prints_the_printer_columns()
    {
        await EnsureCrdAsync();
        var created = (await Kubectl.RunAsync("apply -f -", stdin: Cr("v1"))).Succeeded();
        Assert.Matches("upgrade.kubectl.example.com/fleet (created|configured|unchanged)", created.Stdout);
        var changed = (await Kubectl.RunAsync("apply -f -", stdin: Cr("v2"))).Succeeded();
        Assert.Contains("upgrade.kubectl.example.com/fleet configured", changed.Stdout);

        var get = (await Kubectl.RunAsync("get upg")).Succeeded();
        var lines = get.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+VERSION\s+AGE$", lines[0]);
        Assert.Matches(@"^fleet\s+KubeOS v2\s+\d+s$", lines[1]);
    }

    [Fact]
    public async Task Get_cr_watch_sees_a_change()
    {
        await EnsureCrdAsync();
        (await Kubectl.RunAsync("apply -f -", stdin: Cr("w1"))).Succeeded();
        using var watch = Kubectl.Start("get upgrades.kubectl.example.com fleet -w");
        var output = new System.Text.StringBuilder();
        var reader = Task.Run(async () =>
        {
            string? line;
            while ((line = await watch.StandardOutput.ReadLineAsync()) is not null)
                lock (output) output.AppendLine(line);
        });
        try
        {
            await SimulatedClusterFixture.EventuallyAsync(() => Task.FromResult(Snapshot().Contains("KubeOS w1")), "the watch lists the object");
            (await Kubectl.RunAsync(["patch", "upgrades.kubectl.example.com", "fleet", "--type", "merge", "-p", "{\"spec\":{\"osversion\":\"KubeOS w2\"}}"])).Succeeded();
            await SimulatedClusterFixture.EventuallyAsync(() => Task.FromResult(Snapshot().Contains("KubeOS w2")), "the watch shows the change");
        }
        finally
        {
            watch.Kill();
            await watch.WaitForExitAsync();
            await reader;
        }
        string Snapshot() { lock (output) return output.ToString(); }
    }

    [Fact]
    public async Task Cordon_marks_the_node_SchedulingDisabled_and_uncordon_clears_it()
    {
        (await Kubectl.RunAsync("cordon node-3")).Succeeded();
        try
        {
            Assert.True((await Client.CoreV1.ReadNodeAsync("node-3")).Spec.Unschedulable);
            var get = (await Kubectl.RunAsync("get node node-3")).Succeeded();
            Assert.Contains("Ready,SchedulingDisabled", get.Stdout);
        }
        finally
        {
            (await Kubectl.RunAsync("uncordon node-3")).Succeeded();
        }
        Assert.NotEqual(true, (await Client.CoreV1.ReadNodeAsync("node-3")).Spec.Unschedulable);
    }

    [Fact]
    public async Task Drain_is_blocked_by_a_PodDisruptionBudget_until_the_budget_allows_it()
    {
        var ns = await cluster.NewNamespaceAsync("drain");
        await Client.AppsV1.CreateNamespacedReplicaSetAsync(ObjectLifecycleTests.ReplicaSet("guarded", 2), ns);
        await Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = "guarded" },
            Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 2, Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "guarded" } } },
        }, ns);
        V1Pod? victim = null;
        await SimulatedClusterFixture.EventuallyAsync(async () =>
        {
            var pods = await Client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "status.phase=Running");
            victim = pods.Items.FirstOrDefault();
            return pods.Items.Count == 2;
        }, "both guarded pods run");
        var node = victim!.Spec.NodeName;

        try
        {
            var blocked = await Kubectl.RunAsync($"drain {node} --ignore-daemonsets --timeout=2s");
            Assert.NotEqual(0, blocked.ExitCode);
            Assert.Contains("Cannot evict pod as it would violate the pod's disruption budget.", blocked.Stderr);
            Assert.Contains("global timeout reached: 2s", blocked.Stderr);
            Assert.True((await Client.CoreV1.ReadNodeAsync(node)).Spec.Unschedulable);

            await Client.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(
                new V1Patch("{\"spec\":{\"minAvailable\":1}}", V1Patch.PatchType.MergePatch), "guarded", ns);
            var drained = (await Kubectl.RunAsync($"drain {node} --ignore-daemonsets --timeout=60s", TimeSpan.FromSeconds(90))).Succeeded();
            Assert.Contains($"node/{node} drained", drained.Stdout);
            Assert.Contains("Warning: ignoring DaemonSet-managed Pods: kube-system/node-monitor-", drained.Stderr);

            var left = await Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={node}");
            Assert.All(left.Items, p => Assert.Equal("DaemonSet", p.Metadata.OwnerReferences.Single().Kind));
            await SimulatedClusterFixture.EventuallyAsync(async () =>
            {
                var pods = await Client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "status.phase=Running");
                return pods.Items.Count == 2 && pods.Items.All(p => p.Spec.NodeName != node);
            }, "the evicted pod is replaced on another node");
        }
        finally
        {
            (await Kubectl.RunAsync($"uncordon {node}")).Succeeded();
        }
    }

    [Fact]
    public async Task Create_namespace_configmap_and_secret_through_kubectls_protobuf_bodies()
    {
        var ns = "created-" + Guid.NewGuid().ToString("N")[..6];
        (await Kubectl.RunAsync($"create namespace {ns}")).Succeeded();
        (await Kubectl.RunAsync($"create configmap settings -n {ns} --from-literal=mode=fast --from-literal=level=3")).Succeeded();
        (await Kubectl.RunAsync($"create secret generic creds -n {ns} --from-literal=password=s3cret")).Succeeded();

        Assert.Equal("Active", (await Client.CoreV1.ReadNamespaceAsync(ns)).Status.Phase);
        var cm = await Client.CoreV1.ReadNamespacedConfigMapAsync("settings", ns);
        Assert.Equal(new Dictionary<string, string> { ["mode"] = "fast", ["level"] = "3" }, cm.Data);
        var secret = await Client.CoreV1.ReadNamespacedSecretAsync("creds", ns);
        Assert.Equal("Opaque", secret.Type);
        Assert.Equal("s3cret", System.Text.Encoding.UTF8.GetString(secret.Data["password"]));

        var dryDelete = (await Kubectl.RunAsync($"delete configmap settings -n {ns} --dry-run=server")).Succeeded();
        Assert.Contains("(server dry run)", dryDelete.Stdout);
        Assert.NotNull(await Client.CoreV1.ReadNamespacedConfigMapAsync("settings", ns));
    }

    private static string RepoRoot => typeof(KubectlTests).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!;

    private static string OsManifest(string name, int maxUnavailable) => $"""
        apiVersion: upgrade.openeuler.org/v1alpha1
        kind: OS
        metadata: {"{"}name: {name}, namespace: default{"}"}
        spec:
          opstype: upgrade
          osversion: KubeOS 1.0.2
          imagetype: disk
          imageurl: https://images.example.internal/kubeos/1.0.2/update.img
          checksum: 9c2b4f2a3e1d0c8b7a6f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a09
          flagSafe: false
          mtls: false
          maxunavailable: {maxUnavailable}
          containerimage: ""
          evictpodforce: false
        """;

    [Fact]
    public async Task The_KubeOS_CRDs_apply_and_serve_OS_objects_validated_by_their_schema()
    {
        var crds = Path.Combine(RepoRoot, "module", "deploy", "crds");
        (await Kubectl.RunAsync(["apply", "-f", crds])).Succeeded();

        var applied = (await Kubectl.RunAsync("apply -f -", stdin: OsManifest("fleet-upgrade", 2))).Succeeded();
        Assert.Contains("os.upgrade.openeuler.org/fleet-upgrade created", applied.Stdout);
        var get = (await Kubectl.RunAsync("get os fleet-upgrade -o jsonpath={.spec.maxunavailable}")).Succeeded();
        Assert.Equal("2", get.Stdout);

        var refused = await Kubectl.RunAsync("apply -f -", stdin: OsManifest("fleet-invalid", 0));
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("spec.maxunavailable", refused.Stderr);
        Assert.Contains("is invalid", refused.Stderr);
    }

    private const string RbacManifests = """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: upgrade-operator, namespace: upgrade-system}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: upgrade-operator}
        rules:
        - apiGroups: [upgrade.openeuler.org]
          resources: [os, osinstances]
          verbs: [get, list, watch, update, patch]
        - apiGroups: [""]
          resources: [nodes]
          verbs: [get, list, watch, patch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: upgrade-operator}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: upgrade-operator}
        subjects:
        - {kind: ServiceAccount, name: upgrade-operator, namespace: upgrade-system}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: leader-election, namespace: upgrade-system}
        rules:
        - apiGroups: [coordination.k8s.io]
          resources: [leases]
          verbs: [get, create, update]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: leader-election, namespace: upgrade-system}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: leader-election}
        subjects:
        - {kind: ServiceAccount, name: upgrade-operator, namespace: upgrade-system}
        """;

    [Fact]
    public async Task RBAC_install_manifests_apply_and_are_stored()
    {
        var applied = (await Kubectl.RunAsync("apply -f -", stdin: RbacManifests)).Succeeded();
        Assert.Contains("clusterrole.rbac.authorization.k8s.io/upgrade-operator", applied.Stdout);
        Assert.Contains("rolebinding.rbac.authorization.k8s.io/leader-election", applied.Stdout);
        var role = await Client.RbacAuthorizationV1.ReadClusterRoleAsync("upgrade-operator");
        Assert.Equal(["os", "osinstances"], role.Rules[0].Resources);
        var binding = await Client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync("leader-election", "upgrade-system");
        Assert.Equal("upgrade-operator", binding.Subjects.Single().Name);
        var again = (await Kubectl.RunAsync("apply -f -", stdin: RbacManifests)).Succeeded();
        Assert.Contains("clusterrole.rbac.authorization.k8s.io/upgrade-operator unchanged", again.Stdout);
    }
}
