using System.Text.Json.Nodes;

namespace KubeOS.Sandbox.Schema;

/// <summary>
/// Drops fields a structural schema does not declare, as kube-apiserver does when it decodes a custom resource:
/// apiVersion, kind and metadata of the resource root (and of embedded resources) are kept; subtrees marked
/// x-kubernetes-preserve-unknown-fields keep unknown fields but still prune inside the fields they declare.
/// </summary>
internal static class Pruner
{
    private static readonly HashSet<string> RootFields = ["apiVersion", "kind", "metadata"];

    public static void Prune(JsonNode? node, SchemaNode? schema, string path, bool isResourceRoot, List<string> pruned)
    {
        if (schema is null) return;
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var childPath = path.Length == 0 ? key : SchemaPaths.Child(path, key);
                    if (isResourceRoot && RootFields.Contains(key))
                    {
                        // metadata is ObjectMeta, governed by the API server's own rules, not the CRD schema
                        if (key != "metadata" && schema.Properties?.TryGetValue(key, out var rootChild) == true)
                            Prune(obj[key], rootChild, childPath, false, pruned);
                        continue;
                    }
                    if (schema.Properties?.TryGetValue(key, out var child) == true)
                        Prune(obj[key], child, childPath, child.EmbeddedResource, pruned);
                    else if (schema.AdditionalProperties is { } additional)
                        Prune(obj[key], additional, SchemaPaths.Key(path, key), additional.EmbeddedResource, pruned);
                    else if (!schema.PreserveUnknownFields)
                    {
                        obj.Remove(key);
                        pruned.Add(childPath);
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                    Prune(array[i], schema.Items, SchemaPaths.Index(path, i), schema.Items?.EmbeddedResource ?? false, pruned);
                break;
        }
    }
}
