using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace KubeOS.Sandbox.Tests;

/// <summary>CustomResourceDefinitions: creating one starts serving its resources with kube-apiserver's CR rules.</summary>
public sealed class CustomResourceTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private IKubernetes Client => sandbox.Client;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> CreateCrdAsync(bool statusSubresource = true)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var plural = $"gadgets{suffix}";
        var group = "test.example.com";
        var version = new V1CustomResourceDefinitionVersion
        {
            Name = "v1", Served = true, Storage = true,
            Schema = new V1CustomResourceValidation { OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true } },
            Subresources = statusSubresource ? new V1CustomResourceSubresources { Status = new object() } : null,
            AdditionalPrinterColumns = [new V1CustomResourceColumnDefinition { Name = "Size", Type = "integer", JsonPath = ".spec.size" }],
        };
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = $"{plural}.{group}" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = group, Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Plural = plural, Kind = $"Gadget{suffix}", ShortNames = [$"gd{suffix}"] },
                Versions = [version],
            },
        }, cancellationToken: Ct);
        return plural;
    }

    private static object Gadget(string plural, string name, int size) => new Dictionary<string, object>
    {
        ["apiVersion"] = "test.example.com/v1",
        ["kind"] = "Gadget" + plural["gadgets".Length..],
        ["metadata"] = new Dictionary<string, object> { ["name"] = name },
        ["spec"] = new Dictionary<string, object> { ["size"] = size },
    };

    private static JsonObject Json(object o) => JsonNode.Parse(JsonSerializer.Serialize(o))!.AsObject();

    [Fact]
    public async Task Creating_a_CRD_starts_serving_its_resource_and_discovery_lists_it()
    {
        var plural = await CreateCrdAsync();
        var crd = await Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync($"{plural}.test.example.com", cancellationToken: Ct);
        Assert.Contains(crd.Status.Conditions, c => c.Type == "Established" && c.Status == "True");

        using var http = sandbox.RawHttp();
        var discovery = JsonNode.Parse(await http.GetStringAsync("/apis/test.example.com/v1", Ct))!;
        var resource = discovery["resources"]!.AsArray().Single(r => r!["name"]!.ToString() == plural)!;
        Assert.Equal($"gd{plural["gadgets".Length..]}", resource["shortNames"]![0]!.ToString());
        Assert.True(resource["namespaced"]!.GetValue<bool>());
        Assert.Contains(discovery["resources"]!.AsArray(), r => r!["name"]!.ToString() == $"{plural}/status");

        var ns = await sandbox.NewNamespaceAsync();
        var created = Json(await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Gadget(plural, "g1", 3), "test.example.com", "v1", ns, plural, cancellationToken: Ct));
        Assert.Equal(1, created["metadata"]!["generation"]!.GetValue<int>());
    }

    [Fact]
    public async Task Custom_resource_status_subresource_separates_spec_and_status()
    {
        var plural = await CreateCrdAsync();
        var ns = await sandbox.NewNamespaceAsync();
        var withStatus = Json(Gadget(plural, "g", 1));
        withStatus["status"] = new JsonObject { ["phase"] = "ignored-on-create" };
        var created = Json(await Client.CustomObjects.CreateNamespacedCustomObjectAsync(withStatus, "test.example.com", "v1", ns, plural, cancellationToken: Ct));
        Assert.Null(created["status"]);

        created["status"] = new JsonObject { ["phase"] = "Ready", ["observedGeneration"] = 1 };
        created["spec"]!["size"] = 99;
        var statusUpdated = Json(await Client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(created, "test.example.com", "v1", ns, plural, "g", cancellationToken: Ct));
        Assert.Equal("Ready", statusUpdated["status"]!["phase"]!.ToString());
        Assert.Equal(1, statusUpdated["spec"]!["size"]!.GetValue<int>());
        Assert.Equal(1, statusUpdated["metadata"]!["generation"]!.GetValue<int>());

        statusUpdated["spec"]!["size"] = 5;
        statusUpdated["status"]!["phase"] = "ignored-on-main-resource";
        var specUpdated = Json(await Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(statusUpdated, "test.example.com", "v1", ns, plural, "g", cancellationToken: Ct));
        Assert.Equal(5, specUpdated["spec"]!["size"]!.GetValue<int>());
        Assert.Equal("Ready", specUpdated["status"]!["phase"]!.ToString());
        Assert.Equal(2, specUpdated["metadata"]!["generation"]!.GetValue<int>());
    }

    [Fact]
    public async Task Custom_resource_update_without_resourceVersion_returns_422()
    {
        var plural = await CreateCrdAsync();
        var ns = await sandbox.NewNamespaceAsync();
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Gadget(plural, "g", 1), "test.example.com", "v1", ns, plural, cancellationToken: Ct);
        var (code, status) = await Api.FailureOf(() => Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(Gadget(plural, "g", 2), "test.example.com", "v1", ns, plural, "g", cancellationToken: Ct));
        Assert.Equal(422, code);
        Assert.Contains("metadata.resourceVersion: Invalid value: 0x0: must be specified for an update", status.Message);
    }

    [Fact]
    public async Task Strategic_merge_patch_of_a_custom_resource_returns_415()
    {
        var plural = await CreateCrdAsync();
        var ns = await sandbox.NewNamespaceAsync();
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Gadget(plural, "g", 1), "test.example.com", "v1", ns, plural, cancellationToken: Ct);
        var (code, _) = await Api.FailureOf(() => Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("{\"spec\":{\"size\":2}}", V1Patch.PatchType.StrategicMergePatch), "test.example.com", "v1", ns, plural, "g", cancellationToken: Ct));
        Assert.Equal(415, code);
    }

    [Fact]
    public async Task Table_output_of_a_custom_resource_uses_its_printer_columns()
    {
        var plural = await CreateCrdAsync();
        var ns = await sandbox.NewNamespaceAsync();
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Gadget(plural, "g", 7), "test.example.com", "v1", ns, plural, cancellationToken: Ct);
        using var http = sandbox.RawHttp();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/apis/test.example.com/v1/namespaces/{ns}/{plural}");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json;as=Table;v=v1;g=meta.k8s.io"));
        var table = JsonNode.Parse(await (await http.SendAsync(request, Ct)).Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("Table", table["kind"]!.ToString());
        Assert.Equal(["Name", "Size"], table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString()));
        var row = Assert.Single(table["rows"]!.AsArray())!;
        Assert.Equal("g", row["cells"]![0]!.ToString());
        Assert.Equal(7, row["cells"]![1]!.GetValue<int>());
        Assert.Equal("PartialObjectMetadata", row["object"]!["kind"]!.ToString());
    }

    [Fact]
    public async Task Deleting_the_CRD_stops_serving_the_resource()
    {
        var plural = await CreateCrdAsync();
        var ns = await sandbox.NewNamespaceAsync();
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Gadget(plural, "g", 1), "test.example.com", "v1", ns, plural, cancellationToken: Ct);
        await Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync($"{plural}.test.example.com", cancellationToken: Ct);
        var (code, _) = await Api.FailureOf(() => Client.CustomObjects.GetNamespacedCustomObjectAsync("test.example.com", "v1", ns, plural, "g", cancellationToken: Ct));
        Assert.Equal(404, code);
    }
}
