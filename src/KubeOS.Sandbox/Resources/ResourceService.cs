using System.Globalization;
using System.Text.Json.Nodes;
using KubeOS.Sandbox.Errors;
using KubeOS.Sandbox.Patching;
using KubeOS.Sandbox.Storage;

namespace KubeOS.Sandbox.Resources;

/// <summary>Options of a DELETE (query string or DeleteOptions body).</summary>
public sealed record DeleteRequest(string? PreconditionUid, string? PreconditionResourceVersion, string? PropagationPolicy);

/// <summary>Result of a DELETE: the object's last state, and whether it is gone or only marked for deletion.</summary>
public sealed record DeleteResult(JsonObject Object, bool Deleted);

/// <summary>
/// The generic registry: create, update, patch and delete with kube-apiserver's metadata rules (uid,
/// creationTimestamp, resourceVersion, generation), optimistic concurrency, the status subresource split,
/// finalizers and cascading deletion. Every operation is atomic under the store's lock.
/// </summary>
public sealed class ResourceService
{
    private readonly Dictionary<string, KindStrategy> _strategies = new();

    public ObjectStore Store { get; }
    public ResourceCatalog Catalog { get; }
    public TimeProvider Clock { get; }

    public ResourceService(ObjectStore store, ResourceCatalog catalog, TimeProvider clock)
    {
        Store = store;
        Catalog = catalog;
        Clock = clock;
    }

    public void AddStrategy(ResourceType type, KindStrategy strategy) => _strategies[type.Key] = strategy;

    private KindStrategy StrategyFor(ResourceType type) =>
        _strategies.GetValueOrDefault(type.Key) ?? DefaultStrategy;

    private static readonly KindStrategy DefaultStrategy = new();

    public string Now() => Timestamp(Clock.GetUtcNow());

    public static string Timestamp(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public JsonObject Get(ResourceType type, string? ns, string name) =>
        Store.Get(type, ns, name) ?? throw ApiError.NotFound(type.Group, type.Plural, name);

    private static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject m) return m;
        var created = new JsonObject();
        obj["metadata"] = created;
        return created;
    }

    private static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private void CheckTypeMeta(ResourceType type, JsonObject body)
    {
        var apiVersion = Str(body["apiVersion"]);
        var kind = Str(body["kind"]);
        if (kind is { Length: > 0 } && kind != type.Kind)
            throw ApiError.BadRequest($"the kind of the provided object ({kind}) does not match the expected kind ({type.Kind}) for {type.ApiErrorName}");
        if (apiVersion is { Length: > 0 } && apiVersion != type.ApiVersion)
            throw ApiError.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        body["apiVersion"] = type.ApiVersion;
        body["kind"] = type.Kind;
    }

    private void CheckNamespace(ResourceType type, string? urlNamespace, JsonObject meta)
    {
        if (type.Namespaced)
        {
            var bodyNs = Str(meta["namespace"]);
            if (bodyNs is { Length: > 0 } && bodyNs != urlNamespace)
                throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            meta["namespace"] = urlNamespace;
        }
        else meta.Remove("namespace");
    }

    /// <summary>POST: a new object with server-set metadata.</summary>
    public JsonObject Create(ResourceType type, string? ns, JsonObject body, bool dryRun = false)
    {
        var obj = (JsonObject)body.DeepClone();
        CheckTypeMeta(type, obj);
        var meta = Metadata(obj);
        CheckNamespace(type, ns, meta);
        lock (Store.Gate)
        {
            var name = Str(meta["name"]);
            if (string.IsNullOrEmpty(name))
            {
                var generateName = Str(meta["generateName"]);
                if (string.IsNullOrEmpty(generateName))
                    throw ApiError.Invalid(type.Group, type.Kind, "",
                        [KindStrategy.Required("metadata.name", "name or generateName is required")]);
                do name = ObjectNames.Generate(generateName);
                while (Store.Get(type, ns, name) is not null);
                meta["name"] = name;
            }
            if (type.Namespaced && Store.Get(BuiltinResources.Namespaces, null, ns!) is null)
                throw ApiError.NotFound("", "namespaces", ns!);

            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = Now();
            meta.Remove("resourceVersion");
            meta.Remove("deletionTimestamp");
            meta.Remove("deletionGracePeriodSeconds");
            meta.Remove("managedFields");
            meta.Remove("selfLink");
            if (type.TracksGeneration) meta["generation"] = 1;
            else meta.Remove("generation");
            if (type.ResetStatusOnCreate) obj.Remove("status");

            obj = Admit(type, obj);
            StrategyFor(type).PrepareForCreate(obj);
            var causes = ObjectNames.ValidateName(type, name).Concat(StrategyFor(type).Validate(obj, null)).ToList();
            if (causes.Count > 0) throw ApiError.Invalid(type.Group, type.Kind, name, causes);
            // A dry run goes through every step but the write (so no resourceVersion is assigned).
            if (dryRun)
            {
                if (Store.Get(type, ns, name) is not null) throw ApiError.AlreadyExists(type.Group, type.Plural, name);
                return (JsonObject)JsonNode.Parse(obj.ToJsonString())!;
            }
            var created = Store.Add(type, ns, name, obj);
            if (OwnersAllGone(created, ns))
            {
                // The garbage collector deletes a dependent whose owners no longer exist (a controller that read its
                // owner just before the owner was deleted); here it acts within the write, like the other collectors.
                FinishDeletion(type, ns, name, "Background");
            }
            return created;
        }
    }

    /// <summary>True when the object names owners and none of them exists (by kind, namespace and uid).</summary>
    private bool OwnersAllGone(JsonObject obj, string? ns)
    {
        if (obj["metadata"]?["ownerReferences"] is not JsonArray { Count: > 0 } refs) return false;
        foreach (var r in refs)
        {
            var apiVersion = Str(r?["apiVersion"]) ?? "";
            var slash = apiVersion.IndexOf('/');
            var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
            var ownerType = Catalog.All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Kind == Str(r?["kind"]));
            // An owner of a kind this server does not know cannot be checked: keep the object, as the collector would.
            if (ownerType is null) return false;
            var (_, items) = Store.Snapshot(ownerType, ownerType.Namespaced ? ns : null, null, null);
            if (items.Any(i => Str(i.Value["metadata"]?["uid"]) == Str(r?["uid"]))) return false;
        }
        return true;
    }

    private static JsonObject Admit(ResourceType type, JsonObject obj)
    {
        if (type.Admission is null) return obj;
        var result = type.Admission.Admit(obj);
        if (result.Causes.Count > 0)
            throw ApiError.Invalid(type.Group, type.Kind, Str(obj["metadata"]?["name"]) ?? "", result.Causes);
        return result.Admitted;
    }

    /// <summary>PUT on the object or on its status subresource.</summary>
    public JsonObject Update(ResourceType type, string? ns, string name, JsonObject body, string? subresource, bool dryRun = false)
    {
        var obj = (JsonObject)body.DeepClone();
        CheckTypeMeta(type, obj);
        var meta = Metadata(obj);
        var bodyName = Str(meta["name"]);
        if (bodyName != name)
            throw ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        CheckNamespace(type, ns, meta);
        lock (Store.Gate)
        {
            var current = Get(type, ns, name);
            var rv = Str(meta["resourceVersion"]);
            if (string.IsNullOrEmpty(rv))
            {
                if (!type.AllowUnconditionalUpdate)
                    throw ApiError.Invalid(type.Group, type.Kind, name,
                        [KindStrategy.InvalidValue("metadata.resourceVersion", JsonValue.Create("0x0"), "must be specified for an update")
                            with { Message = "Invalid value: 0x0: must be specified for an update" }]);
            }
            else if (rv != Str(current["metadata"]!["resourceVersion"]))
                throw ApiError.StaleResourceVersion(type.Group, type.Plural, name);
            return Commit(type, ns, name, current, obj, subresource, dryRun);
        }
    }

    /// <summary>PATCH: applies the patch to the current object, then updates as PUT would.</summary>
    public JsonObject Patch(ResourceType type, string? ns, string name, string contentType, JsonNode? patch, string? subresource, bool dryRun = false)
    {
        lock (Store.Gate)
        {
            if (contentType == ApplyPatchContentType) return Apply(type, ns, name, patch, subresource, dryRun);
            var current = Get(type, ns, name);
            JsonNode? patched = contentType switch
            {
                "application/merge-patch+json" => JsonMergePatch.Apply(current, patch),
                "application/json-patch+json" => JsonPatch.Apply(current, patch),
                "application/strategic-merge-patch+json" when type.SupportsStrategicMerge =>
                    StrategicMergePatch.Apply(current, patch),
                _ => throw ApiError.UnsupportedMediaType(contentType),
            };
            if (patched is not JsonObject obj) throw ApiError.BadRequest("the patch must leave a JSON object");
            var meta = Metadata(obj);
            if (Str(meta["name"]) != name)
                throw ApiError.BadRequest($"the name of the object ({Str(meta["name"])}) does not match the name on the URL ({name})");
            var rv = Str(meta["resourceVersion"]);
            if (rv is { Length: > 0 } && rv != Str(current["metadata"]!["resourceVersion"]))
                throw ApiError.StaleResourceVersion(type.Group, type.Plural, name);
            CheckTypeMeta(type, obj);
            CheckNamespace(type, ns, meta);
            return Commit(type, ns, name, current, obj, subresource, dryRun);
        }
    }

    public const string ApplyPatchContentType = "application/apply-patch+yaml";

    /// <summary>
    /// Server-side apply, simplified: the applied configuration creates the object when it is missing and is merged
    /// into it otherwise (strategic merge for built-in kinds, merge patch for custom resources). There is no
    /// managedFields bookkeeping, so fields dropped from a later apply are kept and no field-manager conflicts are
    /// reported — both differ from kube-apiserver.
    /// </summary>
    private JsonObject Apply(ResourceType type, string? ns, string name, JsonNode? patch, string? subresource, bool dryRun)
    {
        if (patch is not JsonObject applied) throw ApiError.BadRequest("the applied configuration must be a JSON object");
        var meta = Metadata(applied);
        if (Str(meta["name"]) is { } bodyName && bodyName != name)
            throw ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        var current = Store.Get(type, ns, name);
        if (current is null)
        {
            if (subresource is not null) throw ApiError.NotFound(type.Group, type.Plural, name);
            var body = (JsonObject)applied.DeepClone();
            body["metadata"]!["name"] = name;
            return Create(type, ns, body, dryRun);
        }
        var merged = type.SupportsStrategicMerge
            ? StrategicMergePatch.Apply(current, applied)
            : (JsonObject)JsonMergePatch.Apply(current, applied)!;
        CheckTypeMeta(type, merged);
        CheckNamespace(type, ns, Metadata(merged));
        Metadata(merged)["resourceVersion"] = current["metadata"]!["resourceVersion"]!.DeepClone();
        return Commit(type, ns, name, current, merged, subresource, dryRun);
    }

    /// <summary>Applies the update rules to a proposed new state and writes it if anything changed.</summary>
    private JsonObject Commit(ResourceType type, string? ns, string name, JsonObject current, JsonObject proposed, string? subresource, bool dryRun)
    {
        JsonObject next;
        var currentMeta = current["metadata"]!.AsObject();
        if (subresource == "status")
        {
            // Only status may change through /status; everything else comes from the stored object.
            next = (JsonObject)current.DeepClone();
            if (proposed["status"] is { } status) next["status"] = status.DeepClone();
            else next.Remove("status");
        }
        else
        {
            next = proposed;
            var meta = Metadata(next);
            foreach (var field in new[] { "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
            {
                if (currentMeta[field] is { } v) meta[field] = v.DeepClone();
                else meta.Remove(field);
            }
            meta.Remove("managedFields");
            if (type.HasStatus)
            {
                if (current["status"] is { } status) next["status"] = status.DeepClone();
                else next.Remove("status");
            }
            if (type.TracksGeneration && SpecChanged(type, current, next))
                meta["generation"] = (currentMeta["generation"]?.GetValue<long>() ?? 0) + 1;

            if (currentMeta["deletionTimestamp"] is not null && AddsFinalizer(currentMeta, meta))
                throw ApiError.Invalid(type.Group, type.Kind, name,
                    [KindStrategy.Forbidden("metadata.finalizers", "no new finalizers can be added if the object is being deleted")]);
        }
        // An update that proposes the stored object again (controllers re-sending the status they already wrote) is a
        // no-op: neither written nor judged again. kube-apiserver ratchets validation the same way (values an update
        // leaves unchanged are not re-validated), and the CEL rules of custom resources are by far the costliest part
        // of an update here, run while the store is locked.
        if (JsonNode.DeepEquals(next, current)) return current;
        next = Admit(type, next);
        if (subresource != "status") StrategyFor(type).PrepareForUpdate(next, current);
        Metadata(next)["resourceVersion"] = currentMeta["resourceVersion"]!.DeepClone();

        var causes = StrategyFor(type).Validate(next, current).ToList();
        if (causes.Count > 0) throw ApiError.Invalid(type.Group, type.Kind, name, causes);

        // kube-apiserver does not write (or bump resourceVersion) when an update changes nothing.
        if (JsonNode.DeepEquals(next, current)) return current;
        if (dryRun) return (JsonObject)JsonNode.Parse(next.ToJsonString())!;

        // Removing the last finalizer of an object being deleted deletes it instead of writing the update.
        if (next["metadata"]?["deletionTimestamp"] is not null && !HasFinalizers(next))
            return FinishDeletion(type, ns, name, "Background");
        return Store.Replace(type, ns, name, next);
    }

    private static bool AddsFinalizer(JsonObject oldMeta, JsonObject newMeta)
    {
        var before = (oldMeta["finalizers"] as JsonArray)?.Select(f => f?.ToString()).ToHashSet() ?? [];
        return (newMeta["finalizers"] as JsonArray)?.Any(f => !before.Contains(f?.ToString())) == true;
    }

    /// <summary>Spec change: anything but metadata (and status, when status is a subresource) differs.</summary>
    private static bool SpecChanged(ResourceType type, JsonObject a, JsonObject b)
    {
        var keys = a.Select(kv => kv.Key).Concat(b.Select(kv => kv.Key)).Distinct();
        foreach (var key in keys)
        {
            if (key is "metadata" or "apiVersion" or "kind") continue;
            if (key == "status" && type.HasStatus) continue;
            if (!JsonNode.DeepEquals(a[key], b[key])) return true;
        }
        return false;
    }

    private static bool HasFinalizers(JsonObject obj) => obj["metadata"]?["finalizers"] is JsonArray { Count: > 0 };

    /// <summary>
    /// DELETE: an object with finalizers only gets deletionTimestamp (and a generation bump); otherwise it is removed,
    /// with its dependents (ownerReferences) and, for a namespace, everything in it.
    /// </summary>
    public DeleteResult Delete(ResourceType type, string? ns, string name, DeleteRequest request, bool dryRun = false)
    {
        lock (Store.Gate)
        {
            var current = Get(type, ns, name);
            var meta = current["metadata"]!.AsObject();
            if (request.PreconditionUid is { Length: > 0 } uid && uid != Str(meta["uid"]))
                throw ApiError.Conflict(type.Group, type.Plural, name,
                    $"Precondition failed: UID in precondition: {uid}, UID in object meta: {Str(meta["uid"])}");
            if (request.PreconditionResourceVersion is { Length: > 0 } prv && prv != Str(meta["resourceVersion"]))
                throw ApiError.Conflict(type.Group, type.Plural, name,
                    $"Precondition failed: ResourceVersion in precondition: {prv}, ResourceVersion in object meta: {Str(meta["resourceVersion"])}");
            if (meta["deletionTimestamp"] is not null) return new DeleteResult(current, false);
            if (dryRun) return new DeleteResult(current, !HasFinalizers(current));
            if (HasFinalizers(current))
            {
                var marked = (JsonObject)current.DeepClone();
                var markedMeta = marked["metadata"]!.AsObject();
                markedMeta["deletionTimestamp"] = Now();
                markedMeta["deletionGracePeriodSeconds"] = 0;
                if (markedMeta["generation"]?.GetValue<long>() is long g and > 0) markedMeta["generation"] = g + 1;
                return new DeleteResult(Store.Replace(type, ns, name, marked), false);
            }
            if (type.Key == "/namespaces")
            {
                // The namespace controller's work, done at once: the namespace is gone with everything in it.
                foreach (var (t, n) in Store.ObjectsInNamespace(Catalog.All.DistinctBy(t => t.Key), name))
                    if (Store.Get(t, name, n) is not null) Store.Remove(t, name, n);
            }
            return new DeleteResult(FinishDeletion(type, ns, name, request.PropagationPolicy), true);
        }
    }

    private JsonObject FinishDeletion(ResourceType type, string? ns, string name, string? propagation)
    {
        var last = Store.Remove(type, ns, name);
        var uid = Str(last["metadata"]?["uid"]);
        if (uid is not null && type.Key is not "/pods" and not "/events") CollectDependents(uid, ns, propagation ?? "Background");
        return last;
    }

    /// <summary>The garbage collector's work: dependents go too, or lose the owner reference when orphaned.</summary>
    private void CollectDependents(string ownerUid, string? ownerNamespace, string propagation)
    {
        foreach (var t in Catalog.All.DistinctBy(t => t.Key))
        {
            var (_, items) = Store.Snapshot(t, t.Namespaced ? ownerNamespace : null, null, null);
            foreach (var (_, obj) in items)
            {
                if (obj["metadata"]?["ownerReferences"] is not JsonArray refs) continue;
                if (!refs.Any(r => Str(r?["uid"]) == ownerUid)) continue;
                var depNs = Str(obj["metadata"]!["namespace"]);
                var depName = Str(obj["metadata"]!["name"])!;
                if (propagation == "Orphan")
                {
                    var copy = (JsonObject)obj.DeepClone();
                    var remaining = new JsonArray(refs.Where(r => Str(r?["uid"]) != ownerUid).Select(r => r?.DeepClone()).ToArray());
                    if (remaining.Count == 0) copy["metadata"]!.AsObject().Remove("ownerReferences");
                    else copy["metadata"]!["ownerReferences"] = remaining;
                    Store.Replace(t, depNs, depName, copy);
                }
                else if (refs.Count == 1 || refs.All(r => Str(r?["uid"]) == ownerUid))
                    Delete(t, depNs, depName, new DeleteRequest(null, null, propagation));
            }
        }
    }
}
