using System.Net;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace KubeOS.Sandbox.Tests;

/// <summary>Create, read, update and delete as kube-apiserver does them, with its Status errors.</summary>
public sealed class ObjectLifecycleTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private IKubernetes Client => sandbox.Client;

    [Fact]
    public async Task Create_sets_uid_creationTimestamp_and_resourceVersion()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("a"), ns);
        Assert.True(Guid.TryParse(created.Metadata.Uid, out _));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.True(long.Parse(created.Metadata.ResourceVersion) > 0);
        Assert.Equal(ns, created.Metadata.NamespaceProperty);
        Assert.Null(created.Metadata.Generation);
    }

    [Fact]
    public async Task Resource_versions_increase_across_all_resources()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var first = await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("a"), ns);
        var second = await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" } }, ns);
        Assert.True(long.Parse(second.Metadata.ResourceVersion) > long.Parse(first.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Secret_stringData_is_folded_into_data_and_never_stored()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "keys" },
            Data = new Dictionary<string, byte[]> { ["kept"] = "old"u8.ToArray(), ["overridden"] = "old"u8.ToArray() },
            StringData = new Dictionary<string, string> { ["overridden"] = "new", ["added"] = "ssh-ed25519 AAAA" },
        }, ns);
        Assert.Null(created.StringData);
        var read = await Client.CoreV1.ReadNamespacedSecretAsync("keys", ns);
        Assert.Null(read.StringData);
        Assert.Equal(["added", "kept", "overridden"], read.Data.Keys.Order());
        Assert.Equal("old", System.Text.Encoding.UTF8.GetString(read.Data["kept"]));
        Assert.Equal("new", System.Text.Encoding.UTF8.GetString(read.Data["overridden"]));
        Assert.Equal("ssh-ed25519 AAAA", System.Text.Encoding.UTF8.GetString(read.Data["added"]));

        read.StringData = new Dictionary<string, string> { ["kept"] = "replaced" };
        var updated = await Client.CoreV1.ReplaceNamespacedSecretAsync(read, "keys", ns);
        Assert.Null(updated.StringData);
        Assert.Equal("replaced", System.Text.Encoding.UTF8.GetString(updated.Data["kept"]));
    }

    [Fact]
    public async Task Create_with_generateName_appends_five_characters()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "cm-" } }, ns);
        Assert.Matches("^cm-[bcdfghjklmnpqrstvwxz2456789]{5}$", created.Metadata.Name);
    }

    [Fact]
    public async Task Create_of_an_existing_name_returns_409_AlreadyExists()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("dup"), ns);
        var (code, status) = await Api.FailureOf(() => Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("dup"), ns));
        Assert.Equal(409, code);
        Assert.Equal("AlreadyExists", status.Reason);
        Assert.Equal("configmaps \"dup\" already exists", status.Message);
        Assert.Equal("Failure", status.Status);
        Assert.Equal(409, status.Code);
        Assert.Equal("dup", status.Details.Name);
        Assert.Equal("configmaps", status.Details.Kind);
    }

    [Fact]
    public async Task Get_of_a_missing_object_returns_404_NotFound_naming_group_and_resource()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var (code, status) = await Api.FailureOf(() => Client.AppsV1.ReadNamespacedDeploymentAsync("nope", ns));
        Assert.Equal(404, code);
        Assert.Equal("NotFound", status.Reason);
        Assert.Equal("deployments.apps \"nope\" not found", status.Message);
        Assert.Equal("apps", status.Details.Group);
        Assert.Equal("deployments", status.Details.Kind);
        Assert.Equal("Status", status.Kind);
        Assert.Equal("v1", status.ApiVersion);
    }

    [Fact]
    public async Task Create_in_a_missing_namespace_returns_404_for_the_namespace()
    {
        var (code, status) = await Api.FailureOf(() => Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("a"), "no-such-ns"));
        Assert.Equal(404, code);
        Assert.Equal("namespaces \"no-such-ns\" not found", status.Message);
    }

    [Fact]
    public async Task Create_without_a_name_returns_422_Invalid_with_a_field_cause()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var (code, status) = await Api.FailureOf(() =>
            Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta() }, ns));
        Assert.Equal(422, code);
        Assert.Equal("Invalid", status.Reason);
        Assert.Equal("ConfigMap \"\" is invalid: metadata.name: Required value: name or generateName is required", status.Message);
        var cause = Assert.Single(status.Details.Causes);
        Assert.Equal("FieldValueRequired", cause.Reason);
        Assert.Equal("metadata.name", cause.Field);
    }

    [Fact]
    public async Task Create_with_an_invalid_name_returns_422_with_the_RFC_1123_message()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var (code, status) = await Api.FailureOf(() => Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("Bad_Name"), ns));
        Assert.Equal(422, code);
        Assert.StartsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain", status.Message);
    }

    [Fact]
    public async Task Update_with_stale_resourceVersion_returns_409_Conflict()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var original = await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("c"), ns);
        var fresh = await Client.CoreV1.ReadNamespacedConfigMapAsync("c", ns);
        fresh.Data["k"] = "v2";
        await Client.CoreV1.ReplaceNamespacedConfigMapAsync(fresh, "c", ns);

        original.Data["k"] = "stale";
        var (code, status) = await Api.FailureOf(() => Client.CoreV1.ReplaceNamespacedConfigMapAsync(original, "c", ns));
        Assert.Equal(409, code);
        Assert.Equal("Conflict", status.Reason);
        Assert.Equal("Operation cannot be fulfilled on configmaps \"c\": the object has been modified; please apply your changes to the latest version and try again", status.Message);
        Assert.Equal("v2", (await Client.CoreV1.ReadNamespacedConfigMapAsync("c", ns)).Data["k"]);
    }

    [Fact]
    public async Task Patch_carrying_a_stale_resourceVersion_returns_409_Conflict()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("c"), ns);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"k\":\"2\"}}", V1Patch.PatchType.MergePatch), "c", ns);
        var stale = $"{{\"metadata\":{{\"resourceVersion\":\"{created.Metadata.ResourceVersion}\"}},\"data\":{{\"k\":\"3\"}}}}";
        var (code, status) = await Api.FailureOf(() =>
            Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(stale, V1Patch.PatchType.MergePatch), "c", ns));
        Assert.Equal(409, code);
        Assert.Equal("Conflict", status.Reason);
    }

    [Fact]
    public async Task Update_without_resourceVersion_is_unconditional_for_built_in_kinds()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("c"), ns);
        var replaced = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(Api.ConfigMap("c", data: new Dictionary<string, string> { ["k"] = "x" }), "c", ns);
        Assert.Equal("x", replaced.Data["k"]);
    }

    [Fact]
    public async Task Update_that_changes_nothing_keeps_the_resourceVersion()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("c"), ns);
        var same = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", ns);
        Assert.Equal(created.Metadata.ResourceVersion, same.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Update_with_a_different_name_in_the_body_returns_400_BadRequest()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("c"), ns);
        var (code, status) = await Api.FailureOf(() => Client.CoreV1.ReplaceNamespacedConfigMapAsync(Api.ConfigMap("other"), "c", ns));
        Assert.Equal(400, code);
        Assert.Equal("BadRequest", status.Reason);
        Assert.Equal("the name of the object (other) does not match the name on the URL (c)", status.Message);
    }

    [Fact]
    public async Task Generation_starts_at_1_and_bumps_on_spec_changes_only()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var pdb = await Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = "b" },
            Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 1, Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "x" } } },
        }, ns);
        Assert.Equal(1, pdb.Metadata.Generation);

        pdb = await Client.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(
            new V1Patch("{\"metadata\":{\"labels\":{\"team\":\"a\"}}}", V1Patch.PatchType.MergePatch), "b", ns);
        Assert.Equal(1, pdb.Metadata.Generation);

        pdb = await Client.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(
            new V1Patch("{\"spec\":{\"minAvailable\":2}}", V1Patch.PatchType.MergePatch), "b", ns);
        Assert.Equal(2, pdb.Metadata.Generation);
        // The disruption controller observes the new generation after the update is written.
        var observed = await Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("b", ns);
        Assert.Equal(2, observed.Status.ObservedGeneration);
    }

    [Fact]
    public async Task Main_resource_update_ignores_status_and_status_update_ignores_spec()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var created = await Client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("rs", 2), ns);
        Assert.Null(created.Status);

        created.Status = new V1ReplicaSetStatus { Replicas = 5 };
        created.Spec.Replicas = 3;
        var updated = await Client.AppsV1.ReplaceNamespacedReplicaSetAsync(created, "rs", ns);
        Assert.Equal(3, updated.Spec.Replicas);
        Assert.Null(updated.Status);
        Assert.Equal(2, updated.Metadata.Generation);

        updated.Spec.Replicas = 10;
        updated.Status = new V1ReplicaSetStatus { Replicas = 3, ObservedGeneration = 2 };
        var statusUpdated = await Client.AppsV1.ReplaceNamespacedReplicaSetStatusAsync(updated, "rs", ns);
        Assert.Equal(3, statusUpdated.Spec.Replicas);
        Assert.Equal(3, statusUpdated.Status.Replicas);
        Assert.Equal(2, statusUpdated.Metadata.Generation);
    }

    public static V1ReplicaSet ReplicaSet(string name, int replicas) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "registry.example/app:1" }] },
            },
        },
    };

    [Fact]
    public async Task Delete_of_an_object_with_finalizers_sets_deletionTimestamp_until_the_last_finalizer_goes()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var cm = Api.ConfigMap("f");
        cm.Metadata.Finalizers = ["example.com/a", "example.com/b"];
        await Client.CoreV1.CreateNamespacedConfigMapAsync(cm, ns);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("f", ns);
        var marked = await Client.CoreV1.ReadNamespacedConfigMapAsync("f", ns);
        Assert.NotNull(marked.Metadata.DeletionTimestamp);

        await Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("[{\"op\":\"remove\",\"path\":\"/metadata/finalizers/0\"}]", V1Patch.PatchType.JsonPatch), "f", ns);
        Assert.Single((await Client.CoreV1.ReadNamespacedConfigMapAsync("f", ns)).Metadata.Finalizers);

        await Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch), "f", ns);
        var (code, _) = await Api.FailureOf(() => Client.CoreV1.ReadNamespacedConfigMapAsync("f", ns));
        Assert.Equal(404, code);
    }

    [Fact]
    public async Task Delete_of_a_pod_returns_the_pod_and_delete_of_a_configmap_returns_a_success_Status()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedPodAsync(Api.Pod("p"), ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("c"), ns);
        using var http = sandbox.RawHttp();

        var pod = JsonDocument.Parse(await (await http.DeleteAsync($"/api/v1/namespaces/{ns}/pods/p")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Pod", pod.GetProperty("kind").GetString());

        var response = await http.DeleteAsync($"/api/v1/namespaces/{ns}/configmaps/c");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Status", status.GetProperty("kind").GetString());
        Assert.Equal("Success", status.GetProperty("status").GetString());
        Assert.Equal("c", status.GetProperty("details").GetProperty("name").GetString());
        Assert.Equal("configmaps", status.GetProperty("details").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Deleting_a_namespace_removes_everything_in_it()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("c"), ns);
        await Client.CoreV1.DeleteNamespaceAsync(ns);
        Assert.Equal(404, (await Api.FailureOf(() => Client.CoreV1.ReadNamespaceAsync(ns))).Code);
        Assert.Equal(404, (await Api.FailureOf(() => Client.CoreV1.ReadNamespacedConfigMapAsync("c", ns))).Code);
    }

    [Fact]
    public async Task Deleting_an_owner_deletes_its_dependents()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var rs = await Client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("owner", 1), ns);
        var pod = Api.Pod("dependent");
        pod.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "owner", Uid = rs.Metadata.Uid, Controller = true }];
        await Client.CoreV1.CreateNamespacedPodAsync(pod, ns);
        await Client.AppsV1.DeleteNamespacedReplicaSetAsync("owner", ns);
        Assert.Equal(404, (await Api.FailureOf(() => Client.CoreV1.ReadNamespacedPodAsync("dependent", ns))).Code);
    }

    [Fact]
    public async Task A_dependent_created_after_its_owner_was_deleted_is_collected_and_one_with_a_live_owner_is_kept()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var live = await Client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("live", 1), ns);
        var gone = await Client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("gone", 1), ns);
        await Client.AppsV1.DeleteNamespacedReplicaSetAsync("gone", ns);

        // A controller that read "gone" just before it was deleted creates its pod afterwards.
        var late = Api.Pod("late");
        late.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "gone", Uid = gone.Metadata.Uid, Controller = true }];
        var answered = await Client.CoreV1.CreateNamespacedPodAsync(late, ns);
        Assert.Equal("late", answered.Metadata.Name);
        Assert.Equal(404, (await Api.FailureOf(() => Client.CoreV1.ReadNamespacedPodAsync("late", ns))).Code);

        var kept = Api.Pod("kept");
        kept.Metadata.OwnerReferences =
        [
            new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "gone", Uid = gone.Metadata.Uid },
            new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "live", Uid = live.Metadata.Uid },
        ];
        await Client.CoreV1.CreateNamespacedPodAsync(kept, ns);
        Assert.Equal("kept", (await Client.CoreV1.ReadNamespacedPodAsync("kept", ns)).Metadata.Name);
    }

    [Fact]
    public async Task Requests_with_dryRun_All_answer_as_if_written_but_write_nothing()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var preview = await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("dry"), ns, dryRun: "All");
        Assert.Equal("dry", preview.Metadata.Name);
        Assert.Null(preview.Metadata.ResourceVersion);
        Assert.Equal(404, (await Api.FailureOf(() => Client.CoreV1.ReadNamespacedConfigMapAsync("dry", ns))).Code);

        var real = await Client.CoreV1.CreateNamespacedConfigMapAsync(Api.ConfigMap("dry"), ns);
        var patched = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"k\":\"preview\"}}", V1Patch.PatchType.MergePatch), "dry", ns, dryRun: "All");
        Assert.Equal("preview", patched.Data["k"]);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("dry", ns, dryRun: "All");
        var stored = await Client.CoreV1.ReadNamespacedConfigMapAsync("dry", ns);
        Assert.Equal("v", stored.Data["k"]);
        Assert.Equal(real.Metadata.ResourceVersion, stored.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task A_request_without_a_bearer_token_gets_401_Unauthorized()
    {
        using var http = sandbox.RawHttp(authenticated: false);
        var response = await http.GetAsync("/api/v1/namespaces");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Unauthorized", status.GetProperty("reason").GetString());
        Assert.Equal(401, status.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task The_serving_certificate_chains_to_the_sandbox_CA_for_localhost_too()
    {
        Assert.True(sandbox.Server.CaCertificate.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension>().Single().CertificateAuthority);
        using var http = sandbox.RawHttp();
        http.BaseAddress = new Uri($"https://localhost:{sandbox.Server.Endpoint.Port}");
        var version = JsonDocument.Parse(await http.GetStringAsync("/version")).RootElement;
        Assert.Equal("v1.32.0", version.GetProperty("gitVersion").GetString());
        Assert.Equal("127.0.0.1", sandbox.Server.Endpoint.Host);
    }

    [Fact]
    public async Task The_initial_namespaces_exist_and_are_Active()
    {
        var list = await Client.CoreV1.ListNamespaceAsync();
        foreach (var name in new[] { "default", "kube-system", "upgrade-system" })
        {
            var ns = Assert.Single(list.Items, n => n.Metadata.Name == name);
            Assert.Equal("Active", ns.Status.Phase);
            Assert.Equal(name, ns.Metadata.Labels["kubernetes.io/metadata.name"]);
        }
    }

    [Fact]
    public async Task The_kubeconfig_selects_the_kubeos_sandbox_context()
    {
        var text = await File.ReadAllTextAsync(sandbox.Server.KubeconfigPath);
        Assert.Contains("current-context: kubeos-sandbox", text);
        Assert.Contains("certificate-authority-data: ", text);
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(sandbox.Server.KubeconfigPath);
        Assert.Equal(sandbox.Server.Token, config.AccessToken);
        Assert.Equal("default", config.Namespace);
    }
}
