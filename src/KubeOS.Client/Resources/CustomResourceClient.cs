using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;

namespace KubeOS.Client.Resources;

/// <summary>
/// Get, list, create and merge-patch of one namespaced custom resource through the generic custom-objects API, with
/// the bodies read and written by <see cref="ManifestSerializer"/> so they keep KubeOS's exact field names.
/// </summary>
public sealed class CustomResourceClient<T>(IKubernetes client, string group, string version, string plural, string server)
    where T : KubeObject
{
    public async Task<T?> GetAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var body = await client.CustomObjects.GetNamespacedCustomObjectAsync(group, version, @namespace, plural, name,
                cancellationToken).ConfigureAwait(false);
            return Bind(body);
        }
        catch (Exception ex) when (ClusterApiException.Wrap(ex, Describe("get", @namespace, name), server) is ClusterApiException wrapped)
        {
            return wrapped.IsNotFound ? null : throw wrapped;
        }
    }

    public async Task<IReadOnlyList<T>> ListAsync(string @namespace, string? labelSelector = null, CancellationToken cancellationToken = default)
    {
        object body;
        try
        {
            body = await client.CustomObjects.ListNamespacedCustomObjectAsync(group, version, @namespace, plural,
                labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ClusterApiException.Wrap(ex, Describe("list", @namespace, null), server) is ClusterApiException wrapped)
        {
            throw wrapped;
        }
        var list = ToNode(body) as JsonObject;
        return (list?["items"] as JsonArray ?? []).Where(i => i is not null).Select(i => ManifestSerializer.Bind<T>(i!)).ToList();
    }

    public async Task<T> CreateAsync(T resource, CancellationToken cancellationToken = default)
    {
        var @namespace = resource.Metadata?.Namespace ?? "default";
        try
        {
            var body = await client.CustomObjects.CreateNamespacedCustomObjectAsync(AsBody(resource), group, version, @namespace, plural,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return Bind(body)!;
        }
        catch (Exception ex) when (ClusterApiException.Wrap(ex, Describe("create", @namespace, resource.Metadata?.Name), server) is ClusterApiException wrapped)
        {
            throw wrapped;
        }
    }

    /// <summary>Applies a JSON merge patch (RFC 7386): fields present replace, <c>null</c> removes.</summary>
    public async Task<T> PatchAsync(string @namespace, string name, JsonNode mergePatch, CancellationToken cancellationToken = default)
    {
        try
        {
            var patch = new V1Patch(mergePatch.ToJsonString(), V1Patch.PatchType.MergePatch);
            var body = await client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, group, version, @namespace, plural, name,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return Bind(body)!;
        }
        catch (Exception ex) when (ClusterApiException.Wrap(ex, Describe("patch", @namespace, name), server) is ClusterApiException wrapped)
        {
            throw wrapped;
        }
    }

    private string Describe(string verb, string @namespace, string? name) =>
        name is null ? $"{verb} {plural}.{group} in namespace {@namespace}" : $"{verb} {plural}.{group} {@namespace}/{name}";

    // KubernetesClient serializes the body with System.Text.Json; a JsonElement goes out exactly as written.
    private static JsonElement AsBody(T resource) =>
        JsonDocument.Parse(ManifestSerializer.ToJson(resource, indented: false)).RootElement.Clone();

    private static T? Bind(object body) => ToNode(body) is { } node ? ManifestSerializer.Bind<T>(node) : null;

    private static JsonNode? ToNode(object body) => body switch
    {
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        JsonNode node => node,
        string text => JsonNode.Parse(text),
        _ => JsonNode.Parse(KubernetesJson.Serialize(body)),
    };
}
