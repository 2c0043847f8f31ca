using System.Text.Json.Nodes;
using KubeOS.Sandbox.Errors;

namespace KubeOS.Sandbox.Patching;

/// <summary>
/// Strategic merge patch for the built-in kinds, with the list semantics declared by the Kubernetes API types'
/// patchStrategy/patchMergeKey tags (containers by name, conditions by type, ownerReferences by uid, finalizers as a
/// set) and the directives kubectl emits ($patch, $retainKeys, $setElementOrder, $deleteFromPrimitiveList). Lists
/// without a strategy (taints, tolerations, args) are replaced, exactly as kube-apiserver replaces them.
/// </summary>
public static class StrategicMergePatch
{
    private const string SetElementOrder = "$setElementOrder/";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

    public static JsonObject Apply(JsonObject original, JsonNode? patch)
    {
        if (patch is not JsonObject p) throw ApiError.BadRequest("the strategic merge patch must be a JSON object");
        return MergeObject((JsonObject)original.DeepClone(), p, []) ?? new JsonObject();
    }

    /// <summary>The merge key of the list at <paramref name="path"/> (field names only), "" for a set of primitives.</summary>
    public static string? MergeKey(IReadOnlyList<string> path)
    {
        if (path.Count == 0) return null;
        var field = path[^1];
        var parent = path.Count > 1 ? path[^2] : "";
        return field switch
        {
            "containers" or "initContainers" or "ephemeralContainers" => "name",
            "env" when parent is "containers" or "initContainers" or "ephemeralContainers" => "name",
            "ports" when parent is "containers" or "initContainers" or "ephemeralContainers" => "containerPort",
            "volumeMounts" => "mountPath",
            "volumeDevices" => "devicePath",
            "volumes" when parent == "spec" => "name",
            "imagePullSecrets" => "name",
            "conditions" when parent == "status" => "type",
            "addresses" when parent == "status" => "type",
            "ownerReferences" when parent == "metadata" => "uid",
            "hostAliases" => "ip",
            "topologySpreadConstraints" => "topologyKey",
            "finalizers" when parent == "metadata" => "",
            _ => null,
        };
    }

    private static JsonObject? MergeObject(JsonObject original, JsonObject patch, List<string> path)
    {
        if (patch["$patch"]?.ToString() is { } directive)
        {
            switch (directive)
            {
                case "replace":
                    var replaced = (JsonObject)patch.DeepClone();
                    StripDirectives(replaced);
                    return replaced;
                case "delete": return null;
                case "merge": break;
                default: throw ApiError.BadRequest($"Unknown patch type: {directive}");
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith('$')) continue;
            if (value is null)
            {
                original.Remove(key);
                continue;
            }
            var childPath = new List<string>(path) { key };
            var existing = original[key];
            switch (value)
            {
                case JsonObject po:
                {
                    var merged = MergeObject(existing as JsonObject ?? new JsonObject(), po, childPath);
                    if (merged is null) original.Remove(key);
                    else original[key] = merged;
                    break;
                }
                case JsonArray pa:
                    original[key] = MergeList(existing as JsonArray, pa, childPath);
                    break;
                default:
                    original[key] = value.DeepClone();
                    break;
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal) && value is JsonArray remove)
            {
                var field = key[DeleteFromPrimitiveList.Length..];
                if (original[field] is JsonArray list)
                    original[field] = new JsonArray(list.Where(x => !remove.Any(r => JsonNode.DeepEquals(r, x)))
                        .Select(x => x?.DeepClone()).ToArray());
            }
        }
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(SetElementOrder, StringComparison.Ordinal) && value is JsonArray order)
            {
                var field = key[SetElementOrder.Length..];
                if (original[field] is JsonArray list)
                    original[field] = Reorder(list, order, MergeKey([.. path, field]));
            }
        }
        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.ToString()).ToHashSet();
            foreach (var key in original.Select(kv => kv.Key).ToList())
                if (!keep.Contains(key)) original.Remove(key);
        }
        return original;
    }

    private static JsonArray MergeList(JsonArray? original, JsonArray patch, List<string> path)
    {
        var mergeKey = MergeKey(path);
        if (mergeKey is null) return StripList(patch);
        if (patch.Any(e => e is JsonObject o && o["$patch"]?.ToString() == "replace"))
            return new JsonArray(patch.Where(e => !IsDirective(e)).Select(e => e?.DeepClone()).ToArray());

        var result = original is null ? new JsonArray() : (JsonArray)original.DeepClone();
        if (mergeKey.Length == 0)
        {
            foreach (var item in patch)
                if (!result.Any(r => JsonNode.DeepEquals(r, item))) result.Add(item?.DeepClone());
            return result;
        }

        foreach (var item in patch)
        {
            if (item is not JsonObject po) throw ApiError.BadRequest($"the list {string.Join('.', path)} must hold objects merged by {mergeKey}");
            var keyValue = po[mergeKey];
            if (keyValue is null)
                throw ApiError.BadRequest($"map: {po.ToJsonString()} does not contain declared merge key: {mergeKey}");
            var index = IndexOf(result, mergeKey, keyValue);
            if (po["$patch"]?.ToString() == "delete")
            {
                if (index >= 0) result.RemoveAt(index);
                continue;
            }
            if (index >= 0)
            {
                var merged = MergeObject((JsonObject)result[index]!, po, path);
                if (merged is null) result.RemoveAt(index);
                else
                {
                    result.RemoveAt(index);
                    result.Insert(index, merged.DeepClone());
                }
            }
            else
            {
                var added = (JsonObject)po.DeepClone();
                StripDirectives(added);
                result.Add(added);
            }
        }
        return result;
    }

    private static int IndexOf(JsonArray list, string mergeKey, JsonNode keyValue)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] is JsonObject o && JsonNode.DeepEquals(o[mergeKey], keyValue)) return i;
        return -1;
    }

    private static JsonArray Reorder(JsonArray list, JsonArray order, string? mergeKey)
    {
        JsonNode? KeyOf(JsonNode? n) => mergeKey is { Length: > 0 } ? (n as JsonObject)?[mergeKey] : n;
        var items = list.Select(x => x?.DeepClone()).ToList();
        var ordered = new List<JsonNode?>();
        foreach (var o in order)
        {
            var wanted = KeyOf(o);
            var match = items.FirstOrDefault(x => JsonNode.DeepEquals(KeyOf(x), wanted));
            if (match is null) continue;
            ordered.Add(match);
            items.Remove(match);
        }
        ordered.AddRange(items);
        return new JsonArray(ordered.ToArray());
    }

    private static bool IsDirective(JsonNode? e) => e is JsonObject o && o.ContainsKey("$patch");

    private static JsonArray StripList(JsonArray patch)
    {
        var copy = (JsonArray)patch.DeepClone();
        foreach (var e in copy.OfType<JsonObject>()) StripDirectives(e);
        return copy;
    }

    private static void StripDirectives(JsonObject obj)
    {
        foreach (var key in obj.Select(kv => kv.Key).Where(k => k.StartsWith('$')).ToList()) obj.Remove(key);
        foreach (var (_, v) in obj)
        {
            if (v is JsonObject o) StripDirectives(o);
            else if (v is JsonArray a) foreach (var e in a.OfType<JsonObject>()) StripDirectives(e);
        }
    }
}
