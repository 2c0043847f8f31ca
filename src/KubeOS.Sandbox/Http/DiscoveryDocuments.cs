using System.Text.Json.Nodes;
using KubeOS.Sandbox.Resources;

namespace KubeOS.Sandbox.Http;

/// <summary>
/// The legacy (unaggregated) discovery documents: /version, /api, /apis, /apis/{group}, /api/v1 and
/// /apis/{group}/{version}. Clients that ask for the aggregated form get these with a plain application/json
/// content type, which is how kube-apiserver tells them to fall back.
/// </summary>
public static class DiscoveryDocuments
{
    public const string KubernetesVersion = "v1.32.0";

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = KubernetesVersion,
        ["gitCommit"] = "kubeos-sandbox",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2024-12-11T00:00:00Z",
        ["goVersion"] = "go1.23.3",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
        {
            ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress,
        }),
    };

    private static JsonObject GroupVersion(string group, string version) => new()
    {
        ["groupVersion"] = $"{group}/{version}", ["version"] = version,
    };

    private static JsonObject Group(string name, IReadOnlyList<string> versions) => new()
    {
        ["name"] = name,
        ["versions"] = new JsonArray(versions.Select(v => (JsonNode)GroupVersion(name, v)).ToArray()),
        ["preferredVersion"] = GroupVersion(name, versions[0]),
    };

    public static JsonObject GroupList(ResourceCatalog catalog) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(catalog.Groups().Select(g => (JsonNode)Group(g.Group, g.Versions)).ToArray()),
    };

    public static JsonObject? ApiGroup(ResourceCatalog catalog, string group)
    {
        var found = catalog.Groups().FirstOrDefault(g => g.Group == group);
        if (found.Group is null) return null;
        var doc = Group(found.Group, found.Versions);
        doc["kind"] = "APIGroup";
        doc["apiVersion"] = "v1";
        return doc;
    }

    public static JsonObject ResourceList(ResourceCatalog catalog, string group, string version)
    {
        var resources = new List<JsonObject>();
        foreach (var t in catalog.All.Where(t => t.Group == group && t.Version == version))
        {
            var main = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = new JsonArray(ResourceType.AllVerbs.Select(v => (JsonNode)v).ToArray()),
            };
            if (t.ShortNames.Count > 0) main["shortNames"] = new JsonArray(t.ShortNames.Select(s => (JsonNode)s).ToArray());
            if (t.Categories.Count > 0) main["categories"] = new JsonArray(t.Categories.Select(s => (JsonNode)s).ToArray());
            resources.Add(main);
            if (t.HasStatus)
                resources.Add(Sub(t, "status", t.Kind, null, null, ["get", "patch", "update"]));
            if (t.ExtraSubresources.Contains("eviction"))
                resources.Add(Sub(t, "eviction", "Eviction", "policy", "v1", ["create"]));
            if (t.ExtraSubresources.Contains("binding"))
                resources.Add(Sub(t, "binding", "Binding", null, null, ["create"]));
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = new JsonArray(resources.OrderBy(r => r["name"]!.ToString(), StringComparer.Ordinal)
                .Select(r => (JsonNode)r).ToArray()),
        };
    }

    private static JsonObject Sub(ResourceType t, string sub, string kind, string? group, string? version, string[] verbs)
    {
        var r = new JsonObject
        {
            ["name"] = $"{t.Plural}/{sub}",
            ["singularName"] = "",
            ["namespaced"] = t.Namespaced,
        };
        if (group is not null) r["group"] = group;
        if (version is not null) r["version"] = version;
        r["kind"] = kind;
        r["verbs"] = new JsonArray(verbs.Select(v => (JsonNode)v).ToArray());
        return r;
    }
}
