using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeOS.Sandbox.Errors;
using KubeOS.Sandbox.Policy;
using KubeOS.Sandbox.Resources;
using KubeOS.Sandbox.Selectors;
using KubeOS.Sandbox.Storage;
using KubeOS.Sandbox.Tables;
using Microsoft.AspNetCore.Http;

namespace KubeOS.Sandbox.Http;

/// <summary>The REST verbs on one resource: get, list (Table or JSON, paginated), watch, create, update, patch,
/// delete, deletecollection, and the status, eviction and binding subresources.</summary>
public sealed class ResourceEndpoints(ResourceService service, EvictionService eviction, SandboxOptions options,
    CancellationToken shutdown = default)
{
    private readonly WatchEndpoint _watch = new(service, options, shutdown);

    public async Task HandleAsync(HttpContext ctx, ResourceType type, ResourcePath path)
    {
        var method = ctx.Request.Method;
        if (type.Namespaced == false && path.Namespace is not null) throw NotFoundPage();
        if (type.Namespaced && path.Name is not null && path.Namespace is null) throw NotFoundPage();

        if (path.Name is null)
        {
            switch (method)
            {
                case "GET" when IsWatch(ctx): await _watch.ServeAsync(ctx, type, path.Namespace); return;
                case "GET": await ListAsync(ctx, type, path.Namespace); return;
                case "POST" when type.Namespaced && path.Namespace is null: throw NotFoundPage();
                case "POST":
                    var created = service.Create(type, path.Namespace, await ReadObjectAsync(ctx), DryRun(ctx));
                    await WriteObjectAsync(ctx, 201, type, created);
                    return;
                case "DELETE" when type.Namespaced && path.Namespace is null: throw NotFoundPage();
                case "DELETE": await DeleteCollectionAsync(ctx, type, path.Namespace); return;
                default: throw ApiError.MethodNotSupported(type.Group, type.Plural, method);
            }
        }

        var name = path.Name;
        switch (path.Subresource, method)
        {
            case (null, "GET"): await WriteObjectAsync(ctx, 200, type, service.Get(type, path.Namespace, name)); return;
            case (null, "PUT"):
            case ("status", "PUT") when type.HasStatus:
                var updated = service.Update(type, path.Namespace, name, await ReadObjectAsync(ctx), path.Subresource, DryRun(ctx));
                await WriteObjectAsync(ctx, 200, type, updated);
                return;
            case (null, "PATCH"):
            case ("status", "PATCH") when type.HasStatus:
                var contentType = (ctx.Request.ContentType ?? "").Split(';')[0].Trim();
                if (contentType == ResourceService.ApplyPatchContentType && string.IsNullOrEmpty(ctx.Request.Query["fieldManager"]))
                    throw ApiError.Invalid("meta.k8s.io", "PatchOptions", "",
                        [KindStrategy.Required("fieldManager", "is required for apply patch")]);
                var existed = service.Store.Get(type, path.Namespace, name) is not null;
                var patched = service.Patch(type, path.Namespace, name, contentType, await ReadBodyAsync(ctx), path.Subresource, DryRun(ctx));
                await WriteObjectAsync(ctx, existed ? 200 : 201, type, patched);
                return;
            case ("status", "GET") when type.HasStatus:
                await WriteObjectAsync(ctx, 200, type, service.Get(type, path.Namespace, name));
                return;
            case (null, "DELETE"): await DeleteAsync(ctx, type, path.Namespace, name); return;
            case ("eviction", "POST") when type == BuiltinResources.Pods:
                eviction.Evict(path.Namespace!, name, await ReadObjectAsync(ctx));
                await JsonOutput.WriteAsync(ctx, 201, JsonOutput.Success(201));
                return;
            case ("binding", "POST") when type == BuiltinResources.Pods:
                Bind(path.Namespace!, name, await ReadObjectAsync(ctx));
                await JsonOutput.WriteAsync(ctx, 201, JsonOutput.Success(201));
                return;
            case ("status" or "eviction" or "binding", _) when SubresourceExists(type, path.Subresource!):
                throw ApiError.MethodNotSupported(type.Group, $"{type.Plural}/{path.Subresource}", method);
            case (null, _): throw ApiError.MethodNotSupported(type.Group, type.Plural, method);
            default: throw NotFoundPage();
        }
    }

    private static bool SubresourceExists(ResourceType type, string sub) =>
        (sub == "status" && type.HasStatus) || type.ExtraSubresources.Contains(sub);

    public static ApiError NotFoundPage() => new(404, "NotFound", "the server could not find the requested resource");

    /// <summary>?dryRun=All: validate and answer as if written, write nothing. Any other value is refused, as upstream.</summary>
    private static bool DryRun(HttpContext ctx)
    {
        var values = ctx.Request.Query["dryRun"];
        if (values.Count == 0) return false;
        foreach (var v in values)
            if (v != "All")
                throw ApiError.BadRequest($"dryRun: Unsupported value: \"{v}\": supported values: \"All\"");
        return true;
    }

    private static bool IsWatch(HttpContext ctx) => ctx.Request.Query["watch"].ToString() is "true" or "1";

    private static async Task<JsonNode?> ReadBodyAsync(HttpContext ctx)
    {
        try
        {
            return await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted);
        }
        catch (JsonException e)
        {
            throw ApiError.BadRequest($"the body of the request could not be decoded as JSON: {e.Message}");
        }
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext ctx)
    {
        var contentType = (ctx.Request.ContentType ?? "application/json").Split(';')[0].Trim();
        if (contentType == ProtobufBodies.ContentType)
        {
            using var buffer = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
            return ProtobufBodies.Decode(buffer.ToArray());
        }
        if (contentType is not ("application/json" or ""))
            throw new ApiError(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json (got {contentType})");
        return await ReadBodyAsync(ctx) as JsonObject
               ?? throw ApiError.BadRequest("the body of the request must be a JSON object");
    }

    /// <summary>Served objects carry the apiVersion they are read at (custom resources served at several versions).</summary>
    internal static JsonObject Present(ResourceType type, JsonObject obj)
    {
        if (!type.IsCustom || obj["apiVersion"]?.ToString() == type.ApiVersion) return obj;
        var copy = (JsonObject)obj.DeepClone();
        copy["apiVersion"] = type.ApiVersion;
        return copy;
    }

    private async Task WriteObjectAsync(HttpContext ctx, int code, ResourceType type, JsonObject obj)
    {
        if (TableRequest.Wants(ctx))
        {
            var table = TableBuilder.Build(type.Printer ?? TableBuilder.Default, [obj], true,
                TableRequest.Include(ctx), service.Clock.GetUtcNow(),
                new JsonObject { ["resourceVersion"] = obj["metadata"]?["resourceVersion"]?.DeepClone() });
            await JsonOutput.WriteAsync(ctx, code, table, TableRequest.ContentType);
            return;
        }
        await JsonOutput.WriteAsync(ctx, code, Present(type, obj));
    }

    private void Bind(string ns, string name, JsonObject binding)
    {
        var target = binding["target"]?["name"]?.ToString();
        if (string.IsNullOrEmpty(target))
            throw ApiError.Invalid("", "Binding", name, [KindStrategy.Required("target.name", "")]);
        lock (service.Store.Gate)
        {
            var pod = service.Get(BuiltinResources.Pods, ns, name);
            var current = pod["spec"]?["nodeName"]?.ToString();
            if (!string.IsNullOrEmpty(current))
                throw ApiError.Conflict("", "pods/binding", name, $"pod {name} is already assigned to node \"{current}\"");
            var next = (JsonObject)pod.DeepClone();
            next["spec"]!["nodeName"] = target;
            var status = next["status"] as JsonObject ?? new JsonObject();
            var conditions = status["conditions"] as JsonArray ?? new JsonArray();
            foreach (var c in conditions.OfType<JsonObject>().Where(c => c["type"]?.ToString() == "PodScheduled").ToList())
                conditions.Remove(c);
            conditions.Add(new JsonObject
            {
                ["type"] = "PodScheduled", ["status"] = "True", ["lastProbeTime"] = null,
                ["lastTransitionTime"] = service.Now(),
            });
            status["conditions"] = conditions;
            next["status"] = status;
            service.Store.Replace(BuiltinResources.Pods, ns, name, next);
        }
    }

    private async Task DeleteAsync(HttpContext ctx, ResourceType type, string? ns, string name)
    {
        var (request, dryRun) = await ReadDeleteRequestAsync(ctx);
        var result = service.Delete(type, ns, name, request, dryRun);
        if (result.Deleted && !type.ReturnDeletedObject && type.Key != "/namespaces")
        {
            var meta = result.Object["metadata"]!;
            var details = new JsonObject { ["name"] = name };
            if (type.Group.Length > 0) details["group"] = type.Group;
            details["kind"] = type.Plural;
            details["uid"] = meta["uid"]?.DeepClone();
            await JsonOutput.WriteAsync(ctx, 200, JsonOutput.Success(null, details));
            return;
        }
        await WriteObjectAsync(ctx, 200, type, result.Object);
    }

    /// <summary>DeleteOptions from the body (kubectl and client libraries send one) and the query string.</summary>
    private static async Task<(DeleteRequest Request, bool DryRun)> ReadDeleteRequestAsync(HttpContext ctx)
    {
        JsonObject? body = null;
        if (ctx.Request.ContentLength is > 0 || ctx.Request.Headers.TransferEncoding.Count > 0)
            body = await ReadBodyAsync(ctx) as JsonObject;
        var query = ctx.Request.Query;
        var propagation = body?["propagationPolicy"]?.ToString() ?? (query["propagationPolicy"].ToString() is { Length: > 0 } p ? p : null);
        if (body?["orphanDependents"]?.GetValue<bool>() == true) propagation ??= "Orphan";
        var dryRun = DryRun(ctx) || (body?["dryRun"] as JsonArray)?.Any(v => v?.ToString() == "All") == true;
        return (new DeleteRequest(body?["preconditions"]?["uid"]?.ToString(),
            body?["preconditions"]?["resourceVersion"]?.ToString(), propagation), dryRun);
    }

    private async Task DeleteCollectionAsync(HttpContext ctx, ResourceType type, string? ns)
    {
        var labels = LabelSelector.Parse(ctx.Request.Query["labelSelector"]);
        var fields = FieldSelector.Parse(type, ctx.Request.Query["fieldSelector"]);
        var (request, dryRun) = await ReadDeleteRequestAsync(ctx);
        var (rv, items) = service.Store.Snapshot(type, ns, null, null);
        var deleted = new List<JsonObject>();
        foreach (var (_, obj) in items.Where(kv => labels.MatchesObject(kv.Value) && fields.Matches(kv.Value)))
        {
            try
            {
                var meta = obj["metadata"]!;
                deleted.Add(service.Delete(type, meta["namespace"]?.ToString(), meta["name"]!.ToString(), request, dryRun).Object);
            }
            catch (ApiError e) when (e.Code == 404) { }
        }
        await WriteListAsync(ctx, type, rv, deleted, null, null);
    }

    private async Task ListAsync(HttpContext ctx, ResourceType type, string? ns)
    {
        var query = ctx.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(type, query["fieldSelector"]);
        var limit = long.TryParse(query["limit"], out var l) && l > 0 ? l : 0;
        var continueToken = query["continue"].ToString();
        long? atRv = null;
        string? start = null;
        if (continueToken.Length > 0)
        {
            var (rv, startKey) = ContinueToken.Decode(continueToken);
            if (rv < service.Store.CompactedThrough)
                throw new ApiError(410, "Expired",
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
            atRv = rv;
            start = startKey;
        }
        else if (query["resourceVersionMatch"].ToString() == "Exact" && long.TryParse(query["resourceVersion"], out var exact))
            atRv = exact;

        var (snapshotRv, items) = service.Store.Snapshot(type, ns, atRv, start);
        var selected = new List<JsonObject>();
        string? next = null;
        long? remaining = null;
        var filtered = !labels.IsEverything || !fields.IsEverything;
        for (var i = 0; i < items.Count; i++)
        {
            var obj = items[i].Value;
            if (!labels.MatchesObject(obj) || !fields.Matches(obj)) continue;
            if (limit > 0 && selected.Count == limit)
            {
                next = ContinueToken.Encode(snapshotRv, items[i - 1].Key + "\u0000");
                if (!filtered) remaining = items.Count - i;
                break;
            }
            selected.Add(obj);
        }
        await WriteListAsync(ctx, type, snapshotRv, selected, next, remaining);
    }

    private async Task WriteListAsync(HttpContext ctx, ResourceType type, long rv, List<JsonObject> items, string? next, long? remaining)
    {
        var rvText = rv.ToString(CultureInfo.InvariantCulture);
        if (TableRequest.Wants(ctx))
        {
            var meta = new JsonObject { ["resourceVersion"] = rvText };
            if (next is not null) meta["continue"] = next;
            if (remaining is not null) meta["remainingItemCount"] = remaining;
            var table = TableBuilder.Build(type.Printer ?? TableBuilder.Default, items, true,
                TableRequest.Include(ctx), service.Clock.GetUtcNow(), meta);
            await JsonOutput.WriteAsync(ctx, 200, table, TableRequest.ContentType);
            return;
        }
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(ctx.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("kind", type.ListKind);
        writer.WriteString("apiVersion", type.ApiVersion);
        writer.WriteStartObject("metadata");
        writer.WriteString("resourceVersion", rvText);
        if (next is not null) writer.WriteString("continue", next);
        if (remaining is not null) writer.WriteNumber("remainingItemCount", remaining.Value);
        writer.WriteEndObject();
        writer.WriteStartArray("items");
        var n = 0;
        foreach (var item in items)
        {
            Present(type, item).WriteTo(writer);
            if (++n % 256 == 0) await writer.FlushAsync(ctx.RequestAborted);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(ctx.RequestAborted);
    }
}
