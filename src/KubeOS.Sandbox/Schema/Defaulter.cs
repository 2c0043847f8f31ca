using System.Text.Json.Nodes;

namespace KubeOS.Sandbox.Schema;

/// <summary>
/// Applies <c>default</c> values top-down (so defaults inside a defaulted object apply too) and then removes nulls
/// from fields that are neither nullable nor defaulted, in the order kube-apiserver's structural defaulting does.
/// </summary>
internal static class Defaulter
{
    public static void Apply(JsonNode? node, SchemaNode? schema)
    {
        if (schema is null) return;
        switch (node)
        {
            case JsonObject obj:
                if (schema.Properties is { } props)
                {
                    foreach (var (name, child) in props)
                    {
                        if (!child.HasDefault) continue;
                        var present = obj.TryGetPropertyValue(name, out var value);
                        if (!present || value is null && !child.Nullable) obj[name] = child.Default?.DeepClone();
                    }
                }
                foreach (var (key, value) in obj.ToList())
                    Apply(value, ChildSchema(schema, key));
                PruneNulls(obj, schema);
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is null && schema.Items is { HasDefault: true, Nullable: false } items)
                        array[i] = items.Default?.DeepClone();
                    Apply(array[i], schema.Items);
                }
                break;
        }
    }

    private static void PruneNulls(JsonObject obj, SchemaNode schema)
    {
        foreach (var (key, value) in obj.ToList())
        {
            if (value is not null) continue;
            var child = ChildSchema(schema, key);
            if (child is not null && !child.Nullable) obj.Remove(key);
        }
    }

    private static SchemaNode? ChildSchema(SchemaNode schema, string key) =>
        schema.Properties is { } props && props.TryGetValue(key, out var s) ? s : schema.AdditionalProperties;
}
