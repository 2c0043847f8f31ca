using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace KubeOS.Sandbox.Tests;

/// <summary>Custom resources are admitted through their CRD version's structural schema.</summary>
public sealed class CustomResourceSchemaTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private IKubernetes Client => sandbox.Client;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> CreateCrdAsync()
    {
        var plural = "sized" + Guid.NewGuid().ToString("N")[..6];
        var schema = new V1JSONSchemaProps
        {
            Type = "object",
            Properties = new Dictionary<string, V1JSONSchemaProps>
            {
                ["spec"] = new()
                {
                    Type = "object",
                    Properties = new Dictionary<string, V1JSONSchemaProps>
                    {
                        ["size"] = new() { Type = "integer", Minimum = 1 },
                        ["mode"] = new() { Type = "string", DefaultProperty = "auto" },
                    },
                },
            },
        };
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = $"{plural}.schema.example.com" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = "schema.example.com", Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Plural = plural, Kind = "Sized" + plural[5..] },
                Versions = [new V1CustomResourceDefinitionVersion { Name = "v1", Served = true, Storage = true, Schema = new V1CustomResourceValidation { OpenAPIV3Schema = schema } }],
            },
        }, cancellationToken: Ct);
        return plural;
    }

    private static JsonObject Sized(string plural, string name, JsonObject spec) => new()
    {
        ["apiVersion"] = "schema.example.com/v1", ["kind"] = "Sized" + plural[5..],
        ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec,
    };

    [Fact]
    public async Task Custom_resource_is_pruned_and_defaulted_by_its_schema()
    {
        var plural = await CreateCrdAsync();
        var ns = await sandbox.NewNamespaceAsync();
        var created = JsonNode.Parse(JsonSerializer.Serialize(await Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            Sized(plural, "s", new JsonObject { ["size"] = 2, ["unknown"] = "dropped" }), "schema.example.com", "v1", ns, plural, cancellationToken: Ct)))!;
        Assert.Equal(2, created["spec"]!["size"]!.GetValue<int>());
        Assert.Equal("auto", created["spec"]!["mode"]!.ToString());
        Assert.Null(created["spec"]!["unknown"]);
    }

    [Fact]
    public async Task Custom_resource_violating_its_schema_returns_422_with_field_causes()
    {
        var plural = await CreateCrdAsync();
        var ns = await sandbox.NewNamespaceAsync();
        var (code, status) = await Api.FailureOf(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            Sized(plural, "s", new JsonObject { ["size"] = 0 }), "schema.example.com", "v1", ns, plural, cancellationToken: Ct));
        Assert.Equal(422, code);
        Assert.Equal("Invalid", status.Reason);
        Assert.StartsWith($"Sized{plural[5..]}.schema.example.com \"s\" is invalid: spec.size: ", status.Message);
        var cause = Assert.Single(status.Details.Causes);
        Assert.Equal("spec.size", cause.Field);
    }
}
