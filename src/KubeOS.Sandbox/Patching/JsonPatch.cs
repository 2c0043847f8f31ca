using System.Text.Json.Nodes;
using KubeOS.Sandbox.Errors;

namespace KubeOS.Sandbox.Patching;

/// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy, test) with RFC 6901 pointers.</summary>
public static class JsonPatch
{
    public static JsonNode Apply(JsonNode target, JsonNode? patch)
    {
        if (patch is not JsonArray ops)
            throw ApiError.BadRequest("the json patch must be an array of operations");
        var doc = target.DeepClone();
        foreach (var opNode in ops)
        {
            if (opNode is not JsonObject op) throw ApiError.BadRequest("each json patch operation must be an object");
            var name = op["op"]?.ToString() ?? throw ApiError.BadRequest("json patch operation is missing \"op\"");
            var path = op["path"]?.ToString() ?? throw ApiError.BadRequest($"json patch {name} operation is missing \"path\"");
            switch (name)
            {
                case "add": doc = Add(doc, path, Value(op, name)); break;
                case "remove": doc = Remove(doc, path, out _); break;
                case "replace":
                    doc = Remove(doc, path, out _);
                    doc = Add(doc, path, Value(op, name));
                    break;
                case "move":
                {
                    var from = op["from"]?.ToString() ?? throw ApiError.BadRequest("json patch move operation is missing \"from\"");
                    doc = Remove(doc, from, out var moved);
                    doc = Add(doc, path, moved);
                    break;
                }
                case "copy":
                {
                    var from = op["from"]?.ToString() ?? throw ApiError.BadRequest("json patch copy operation is missing \"from\"");
                    doc = Add(doc, path, Get(doc, from)?.DeepClone());
                    break;
                }
                case "test":
                    if (!JsonNode.DeepEquals(Get(doc, path), Value(op, name)))
                        throw new ApiError(422, "Invalid", $"testing value {path} failed: test failed");
                    break;
                default: throw ApiError.BadRequest($"Unexpected kind: {name}");
            }
        }
        return doc;
    }

    private static JsonNode? Value(JsonObject op, string name) =>
        op.TryGetPropertyValue("value", out var v) ? v?.DeepClone()
            : throw ApiError.BadRequest($"json patch {name} operation is missing \"value\"");

    private static List<string> Split(string pointer)
    {
        if (pointer.Length == 0) return [];
        if (!pointer.StartsWith('/')) throw ApiError.BadRequest($"json patch path \"{pointer}\" must start with /");
        return pointer[1..].Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToList();
    }

    private static JsonNode? Get(JsonNode doc, string pointer)
    {
        JsonNode? node = doc;
        foreach (var part in Split(pointer))
        {
            node = node switch
            {
                JsonObject o => o.TryGetPropertyValue(part, out var v) ? v : throw Missing(pointer),
                JsonArray a when int.TryParse(part, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw Missing(pointer),
            };
        }
        return node;
    }

    private static ApiError Missing(string pointer) =>
        new(422, "Invalid", $"the server rejected our request due to an error in our request: doc is missing path: \"{pointer}\": missing value");

    private static JsonNode Add(JsonNode doc, string pointer, JsonNode? value)
    {
        var parts = Split(pointer);
        if (parts.Count == 0) return value ?? throw ApiError.BadRequest("cannot replace the whole document with null");
        var parent = Get(doc, ParentPointer(parts));
        var last = parts[^1];
        switch (parent)
        {
            case JsonObject o: o[last] = value; break;
            case JsonArray a:
                if (last == "-") a.Add(value);
                else if (int.TryParse(last, out var i) && i >= 0 && i <= a.Count) a.Insert(i, value);
                else throw Missing(pointer);
                break;
            default: throw Missing(pointer);
        }
        return doc;
    }

    private static JsonNode Remove(JsonNode doc, string pointer, out JsonNode? removed)
    {
        var parts = Split(pointer);
        if (parts.Count == 0) throw ApiError.BadRequest("cannot remove the whole document");
        var parent = Get(doc, ParentPointer(parts));
        var last = parts[^1];
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(last, out var v):
                o.Remove(last);
                removed = v;
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                removed = a[i];
                a.RemoveAt(i);
                break;
            default: throw Missing(pointer);
        }
        return doc;
    }

    private static string ParentPointer(List<string> parts) =>
        parts.Count == 1 ? "" : "/" + string.Join('/', parts.Take(parts.Count - 1).Select(Escape));

    private static string Escape(string s) => s.Replace("~", "~0").Replace("/", "~1");
}
