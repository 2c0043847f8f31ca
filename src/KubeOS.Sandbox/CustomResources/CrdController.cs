using System.Text.Json;
using System.Text.Json.Nodes;
using KubeOS.Sandbox.Errors;
using KubeOS.Sandbox.Resources;
using KubeOS.Sandbox.Storage;

namespace KubeOS.Sandbox.CustomResources;

/// <summary>
/// Serves custom resources from CustomResourceDefinitions: validates a CRD, marks it NamesAccepted and Established,
/// and (re)registers its served versions in the catalog within the same commit, so the resources (and their
/// discovery) exist as soon as the create returns. Deleting the CRD removes the resources and every instance.
/// </summary>
public sealed class CrdController : KindStrategy
{
    private readonly ResourceService _service;

    public CrdController(ResourceService service)
    {
        _service = service;
        service.AddStrategy(BuiltinResources.CustomResourceDefinitions, this);
        service.Store.Committed += OnCommitted;
    }

    private void OnCommitted(StoreEvent e)
    {
        if (e.Resource.Key != BuiltinResources.CustomResourceDefinitions.Key) return;
        var spec = e.Object["spec"] as JsonObject;
        var group = spec?["group"]?.ToString() ?? "";
        var plural = spec?["names"]?["plural"]?.ToString() ?? "";
        if (e.Type == "DELETED")
        {
            var existing = _service.Catalog.FindAnyVersion(group, plural);
            _service.Catalog.ReplaceCustom(group, plural, []);
            if (existing is { IsCustom: true }) _service.Store.RemoveAll(existing);
            return;
        }
        _service.Catalog.ReplaceCustom(group, plural, ServedTypes(e.Object));
    }

    public static IEnumerable<ResourceType> ServedTypes(JsonObject crd)
    {
        var spec = crd["spec"]!.AsObject();
        var names = spec["names"]!.AsObject();
        var kind = names["kind"]!.ToString();
        foreach (var v in (spec["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (v["served"]?.GetValue<bool>() != true) continue;
            var hasStatus = v["subresources"]?["status"] is not null;
            JsonElement? schema = v["schema"]?["openAPIV3Schema"] is JsonObject s
                ? JsonDocument.Parse(s.ToJsonString()).RootElement.Clone()
                : null;
            yield return new ResourceType
            {
                Group = spec["group"]!.ToString(),
                Version = v["name"]!.ToString(),
                Plural = names["plural"]!.ToString(),
                Singular = names["singular"]?.ToString() is { Length: > 0 } singular ? singular : kind.ToLowerInvariant(),
                Kind = kind,
                Namespaced = spec["scope"]?.ToString() == "Namespaced",
                ShortNames = (names["shortNames"] as JsonArray)?.Select(n => n!.ToString()).ToList() ?? [],
                Categories = (names["categories"] as JsonArray)?.Select(n => n!.ToString()).ToList() ?? [],
                HasStatus = hasStatus,
                TracksGeneration = true,
                ResetStatusOnCreate = hasStatus,
                AllowUnconditionalUpdate = false,
                SupportsStrategicMerge = false,
                IsCustom = true,
                Printer = new CrdPrinter(v["additionalPrinterColumns"] as JsonArray),
                Admission = CustomResourceAdmissionFactory.For(schema),
            };
        }
    }

    public override void PrepareForCreate(JsonObject obj)
    {
        var spec = obj["spec"] as JsonObject;
        var now = _service.Now();
        var storage = (spec?["versions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(v => v["storage"]?.GetValue<bool>() == true)?["name"]?.ToString();
        obj["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now)),
            ["acceptedNames"] = AcceptedNames(spec),
            ["storedVersions"] = storage is null ? new JsonArray() : new JsonArray(storage),
        };
        Default(spec);
    }

    public override void PrepareForUpdate(JsonObject obj, JsonObject old)
    {
        Default(obj["spec"] as JsonObject);
        if (obj["status"] is JsonObject status) status["acceptedNames"] = AcceptedNames(obj["spec"] as JsonObject);
    }

    private static void Default(JsonObject? spec)
    {
        if (spec is null) return;
        if (spec["names"] is JsonObject names)
        {
            names["singular"] ??= names["kind"]?.ToString().ToLowerInvariant();
            names["listKind"] ??= names["kind"] + "List";
        }
        spec["conversion"] ??= new JsonObject { ["strategy"] = "None" };
    }

    private static JsonObject AcceptedNames(JsonObject? spec) =>
        spec?["names"]?.DeepClone() as JsonObject ?? new JsonObject();

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type, ["status"] = "True", ["lastTransitionTime"] = now, ["reason"] = reason, ["message"] = message,
    };

    public override IEnumerable<StatusCause> Validate(JsonObject obj, JsonObject? old)
    {
        var spec = obj["spec"] as JsonObject;
        var group = spec?["group"]?.ToString();
        var names = spec?["names"] as JsonObject;
        var plural = names?["plural"]?.ToString();
        var name = obj["metadata"]?["name"]?.ToString();
        if (string.IsNullOrEmpty(group)) yield return Required("spec.group", "");
        else if (!group.Contains('.'))
            yield return InvalidValue("spec.group", group, "should be a domain with at least one dot");
        if (string.IsNullOrEmpty(plural)) yield return Required("spec.names.plural", "");
        if (string.IsNullOrEmpty(names?["kind"]?.ToString())) yield return Required("spec.names.kind", "");
        if (!string.IsNullOrEmpty(group) && !string.IsNullOrEmpty(plural) && name != $"{plural}.{group}")
            yield return InvalidValue("metadata.name", name, "must be spec.names.plural+\".\"+spec.group");
        var scope = spec?["scope"]?.ToString();
        if (scope is not ("Namespaced" or "Cluster"))
            yield return NotSupported("spec.scope", spec?["scope"], ["Cluster", "Namespaced"]);
        var versions = (spec?["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (versions.Count == 0) yield return Required("spec.versions", "must have exactly one version marked as storage version");
        else if (versions.Count(v => v["storage"]?.GetValue<bool>() == true) != 1)
            yield return InvalidValue("spec.versions", spec!["versions"], "must have exactly one version marked as storage version")
                with { Message = "Invalid value: []apiextensions.CustomResourceDefinitionVersion{...}: must have exactly one version marked as storage version" };
        for (var i = 0; i < versions.Count; i++)
        {
            if (versions[i]["schema"]?["openAPIV3Schema"] is not JsonObject schema) continue;
            string? error = null;
            try { CustomResourceAdmissionFactory.For(JsonDocument.Parse(schema.ToJsonString()).RootElement.Clone()); }
            catch (ArgumentException e) { error = e.Message; }
            if (error is not null)
                yield return new StatusCause("FieldValueInvalid", $"Invalid value: \"object\": {error}",
                    $"spec.versions[{i}].schema.openAPIV3Schema");
        }
        if (old is not null)
        {
            if (old["spec"]?["group"]?.ToString() != group)
                yield return InvalidValue("spec.group", group, "field is immutable");
            if (old["spec"]?["scope"]?.ToString() != scope)
                yield return InvalidValue("spec.scope", scope, "field is immutable");
        }
    }
}
