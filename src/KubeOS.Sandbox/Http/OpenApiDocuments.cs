using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KubeOS.Sandbox.Resources;

namespace KubeOS.Sandbox.Http;

/// <summary>
/// A minimal OpenAPI v3 discovery: the /openapi/v3 index and one document per group/version listing each resource's
/// paths with their operations, the x-kubernetes-group-version-kind extension and the path-level query parameters
/// (fieldValidation among them). kubectl reads exactly this to learn that the server validates fields itself.
/// The PATCH request bodies deliberately do not advertise strategic merge patch: the documents carry no type
/// schemas, so kubectl computes strategic patches for built-in kinds from its compiled-in types instead.
/// </summary>
public static class OpenApiDocuments
{
    public static JsonObject Index(ResourceCatalog catalog)
    {
        var paths = new JsonObject();
        foreach (var (key, _) in GroupVersions(catalog))
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash(Document(catalog, key)!)}" };
        return new JsonObject { ["paths"] = paths };
    }

    private static IEnumerable<(string Key, ResourceType First)> GroupVersions(ResourceCatalog catalog) =>
        catalog.All.GroupBy(t => t.Group.Length == 0 ? $"api/{t.Version}" : $"apis/{t.Group}/{t.Version}")
            .Select(g => (g.Key, g.First()));

    private static string Hash(JsonObject doc) =>
        Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(doc.ToJsonString())));

    public static JsonObject? Document(ResourceCatalog catalog, string key)
    {
        var types = catalog.All.Where(t => (t.Group.Length == 0 ? $"api/{t.Version}" : $"apis/{t.Group}/{t.Version}") == key).ToList();
        if (types.Count == 0) return null;
        var paths = new JsonObject();
        foreach (var t in types)
        {
            var prefix = t.Group.Length == 0 ? $"/api/{t.Version}" : $"/apis/{t.Group}/{t.Version}";
            var collection = t.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{t.Plural}" : $"{prefix}/{t.Plural}";
            var gvk = new JsonObject { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = t.Kind };
            var scope = t.Namespaced ? "Namespaced" : "";
            var opId = OperationSuffix(t);
            paths[collection] = new JsonObject
            {
                ["parameters"] = Parameters(t.Namespaced, false, ["pretty"]),
                ["get"] = Operation($"list{scope}{opId}", "list", gvk),
                ["post"] = Operation($"create{scope}{opId}", "post", gvk),
                ["delete"] = Operation($"deletecollection{scope}{opId}", "deletecollection", gvk),
            };
            paths[$"{collection}/{{name}}"] = new JsonObject
            {
                ["parameters"] = Parameters(t.Namespaced, true, ["dryRun", "fieldManager", "fieldValidation", "pretty"]),
                ["get"] = Operation($"read{scope}{opId}", "get", gvk),
                ["put"] = Operation($"replace{scope}{opId}", "put", gvk),
                ["patch"] = PatchOperation($"patch{scope}{opId}", gvk),
                ["delete"] = Operation($"delete{scope}{opId}", "delete", gvk),
            };
            if (t.HasStatus)
            {
                paths[$"{collection}/{{name}}/status"] = new JsonObject
                {
                    ["parameters"] = Parameters(t.Namespaced, true, ["dryRun", "fieldManager", "fieldValidation", "pretty"]),
                    ["get"] = Operation($"read{scope}{opId}Status", "get", gvk),
                    ["put"] = Operation($"replace{scope}{opId}Status", "put", gvk),
                    ["patch"] = PatchOperation($"patch{scope}{opId}Status", gvk),
                };
            }
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = DiscoveryDocuments.KubernetesVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static string OperationSuffix(ResourceType t)
    {
        var group = t.Group.Length == 0 ? "Core" : string.Concat(t.Group.Split('.')[0].Select((c, i) => i == 0 ? char.ToUpperInvariant(c) : c));
        var version = char.ToUpperInvariant(t.Version[0]) + t.Version[1..];
        return group + version + t.Kind;
    }

    private static JsonArray Parameters(bool namespaced, bool named, string[] query)
    {
        var list = new JsonArray();
        foreach (var q in query)
            list.Add(new JsonObject
            {
                ["name"] = q, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
            });
        if (named) list.Add(PathParameter("name"));
        if (namespaced) list.Add(PathParameter("namespace"));
        return list;
    }

    private static JsonObject PathParameter(string name) => new()
    {
        ["name"] = name, ["in"] = "path", ["required"] = true,
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    private static JsonObject Operation(string id, string action, JsonObject gvk) => new()
    {
        ["operationId"] = id,
        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
        ["x-kubernetes-action"] = action,
        ["x-kubernetes-group-version-kind"] = gvk.DeepClone(),
    };

    private static JsonObject PatchOperation(string id, JsonObject gvk)
    {
        var op = Operation(id, "patch", gvk);
        op["requestBody"] = new JsonObject
        {
            ["content"] = new JsonObject
            {
                ["application/json-patch+json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
                ["application/merge-patch+json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
            },
            ["required"] = true,
        };
        return op;
    }
}
