using System.Globalization;
using System.Text.Json.Nodes;
using KubeOS.Sandbox.Errors;
using KubeOS.Sandbox.Resources;
using KubeOS.Sandbox.Selectors;
using KubeOS.Sandbox.Storage;
using KubeOS.Sandbox.Tables;
using Microsoft.AspNetCore.Http;

namespace KubeOS.Sandbox.Http;

/// <summary>
/// A watch as kube-apiserver streams it: one {"type","object"} JSON line per event over a chunked response, from a
/// resourceVersion or from the current state, with selector transitions (ADDED/DELETED when an object enters or
/// leaves the selection), bookmarks, the initial-events-end bookmark, timeoutSeconds, and 410 as an ERROR event.
/// </summary>
public sealed class WatchEndpoint(ResourceService service, SandboxOptions options, CancellationToken shutdown)
{
    public async Task ServeAsync(HttpContext ctx, ResourceType type, string? ns)
    {
        var query = ctx.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(type, query["fieldSelector"]);
        var rvText = query["resourceVersion"].ToString();
        long? from = null;
        if (rvText is not ("" or "0"))
        {
            if (!long.TryParse(rvText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                throw ApiError.BadRequest($"invalid resource version: {rvText}");
            from = parsed;
        }
        var sendInitialEvents = query["sendInitialEvents"].ToString() == "true";
        if (sendInitialEvents) from = null;
        var bookmarks = query["allowWatchBookmarks"].ToString() is "true" or "1";
        var timeout = int.TryParse(query["timeoutSeconds"], out var ts) && ts > 0
            ? TimeSpan.FromSeconds(ts) : options.DefaultWatchTimeout;
        var asTable = TableRequest.Wants(ctx);
        var include = TableRequest.Include(ctx);
        var headersSent = false;

        bool Matches(JsonObject? o) => o is not null && labels.MatchesObject(o) && fields.Matches(o);

        WatchSubscription sub;
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = asTable ? TableRequest.ContentType : "application/json";
        try
        {
            // Selectors are applied when the store offers an event, so a watch on one node is not woken by every other
            // node's changes (the proxies of a large fleet each watch their own Node and OSInstance). A MODIFIED event
            // also passes when only the previous state matched: the watcher then sees the object leave as DELETED.
            sub = service.Store.Watch(type, ns, from, e => Matches(e.Object) || (e.Type == "MODIFIED" && Matches(e.Previous)));
        }
        catch (ApiError e) when (e.Code == 410)
        {
            // kube-apiserver answers a too-old watch with 200 and a single ERROR event carrying the 410 Status.
            await ctx.Response.Body.WriteAsync(StoreEvent.WatchLine("ERROR", e.ToStatus()), ctx.RequestAborted);
            return;
        }
        using var _ = sub;
        await ctx.Response.StartAsync(ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);

        var body = ctx.Response.Body;
        var clock = service.Clock;
        var deadline = clock.GetUtcNow() + timeout;
        var nextBookmark = clock.GetUtcNow() + options.BookmarkInterval;
        var initialLeft = sub.InitialCount;
        var initialEndSent = !sendInitialEvents;

        async Task WriteEvent(string eventType, JsonObject obj, StoreEvent? shared)
        {
            byte[] line;
            if (asTable)
            {
                var table = TableBuilder.Build(type.Printer ?? TableBuilder.Default, [obj], !headersSent, include,
                    clock.GetUtcNow(), new JsonObject { ["resourceVersion"] = obj["metadata"]?["resourceVersion"]?.DeepClone() });
                headersSent = true;
                line = StoreEvent.WatchLine(eventType, table);
            }
            else if (shared is not null && shared.Type == eventType && !type.IsCustom) line = shared.JsonLine;
            else line = StoreEvent.WatchLine(eventType, ResourceEndpoints.Present(type, obj));
            await body.WriteAsync(line, ctx.RequestAborted);
        }

        async Task WriteBookmark(long rv, bool initialEventsEnd)
        {
            var meta = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture), ["creationTimestamp"] = null };
            if (initialEventsEnd) meta["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
            var obj = new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.ApiVersion, ["metadata"] = meta };
            await body.WriteAsync(StoreEvent.WatchLine("BOOKMARK", obj), ctx.RequestAborted);
        }

        async Task Drain()
        {
            while (sub.Events.TryRead(out var e))
            {
                var isInitial = initialLeft > 0;
                if (isInitial) initialLeft--;
                var cur = Matches(e.Object);
                var prev = e.Type == "MODIFIED" && Matches(e.Previous);
                switch (e.Type)
                {
                    case "ADDED" when cur: await WriteEvent("ADDED", e.Object, e); break;
                    case "MODIFIED" when cur && prev: await WriteEvent("MODIFIED", e.Object, e); break;
                    case "MODIFIED" when cur: await WriteEvent("ADDED", e.Object, null); break;
                    case "MODIFIED" when prev: await WriteEvent("DELETED", e.Object, null); break;
                    case "DELETED" when cur: await WriteEvent("DELETED", e.Object, e); break;
                }
                if (!initialEndSent && initialLeft == 0 && isInitial | sub.InitialCount == 0)
                {
                    initialEndSent = true;
                    if (bookmarks) await WriteBookmark(sub.StartResourceVersion, true);
                }
            }
        }

        try
        {
            if (!initialEndSent && sub.InitialCount == 0)
            {
                initialEndSent = true;
                if (bookmarks) await WriteBookmark(sub.StartResourceVersion, true);
            }
            // Watches end when the server stops, so shutdown does not wait for clients to hang up.
            while (!ctx.RequestAborted.IsCancellationRequested && !shutdown.IsCancellationRequested)
            {
                var now = clock.GetUtcNow();
                if (now >= deadline) break;
                var wake = bookmarks && nextBookmark < deadline ? nextBookmark : deadline;
                var ready = false;
                using (var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, shutdown))
                {
                    cts.CancelAfter(wake - now > TimeSpan.Zero ? wake - now : TimeSpan.FromMilliseconds(1));
                    try { ready = await sub.Events.WaitToReadAsync(cts.Token); }
                    catch (OperationCanceledException) when (!ctx.RequestAborted.IsCancellationRequested) { }
                }
                if (ready) await Drain();
                if (bookmarks && clock.GetUtcNow() >= nextBookmark)
                {
                    var rv = service.Store.CurrentResourceVersion;
                    await Drain();
                    await WriteBookmark(rv, false);
                    nextBookmark = clock.GetUtcNow() + options.BookmarkInterval;
                }
                await body.FlushAsync(ctx.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested) { }
        catch (IOException) { }
    }
}
