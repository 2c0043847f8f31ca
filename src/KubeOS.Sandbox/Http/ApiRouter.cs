using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KubeOS.Sandbox.Errors;
using KubeOS.Sandbox.Resources;
using Microsoft.AspNetCore.Http;

namespace KubeOS.Sandbox.Http;

/// <summary>
/// Front door of the API server: bearer-token authentication, the discovery paths, and dispatch of resource paths
/// (/api/v1/..., /apis/{group}/{version}/...) to <see cref="ResourceEndpoints"/>. Every failure leaves as a Status.
/// </summary>
public sealed class ApiRouter(ResourceCatalog catalog, ResourceEndpoints endpoints, string token, Func<string> serverAddress)
{
    private readonly byte[] _token = Encoding.UTF8.GetBytes(token);

    public async Task HandleAsync(HttpContext ctx)
    {
        try
        {
            if (!Authorized(ctx)) throw ApiError.Unauthorized();
            var segments = ctx.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (ctx.Request.Method == "GET" && await DiscoveryAsync(ctx, segments)) return;
            if (segments.Length >= 3 && segments[0] == "api" && segments[1] == "v1")
            {
                await ResourceAsync(ctx, "", "v1", segments[2..]);
                return;
            }
            if (segments.Length >= 4 && segments[0] == "apis")
            {
                await ResourceAsync(ctx, segments[1], segments[2], segments[3..]);
                return;
            }
            throw ResourceEndpoints.NotFoundPage();
        }
        catch (ApiError e)
        {
            if (!ctx.Response.HasStarted) await JsonOutput.WriteErrorAsync(ctx, e);
        }
        catch (JsonException e)
        {
            if (!ctx.Response.HasStarted) await JsonOutput.WriteErrorAsync(ctx, ApiError.BadRequest(e.Message));
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
        }
    }

    private bool Authorized(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal)) return false;
        var presented = Encoding.UTF8.GetBytes(header[7..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, _token);
    }

    private async Task<bool> DiscoveryAsync(HttpContext ctx, string[] s)
    {
        switch (s)
        {
            case ["version"]:
                await JsonOutput.WriteAsync(ctx, 200, DiscoveryDocuments.Version());
                return true;
            case ["healthz" or "livez" or "readyz"]:
                ctx.Response.ContentType = "text/plain; charset=utf-8";
                await ctx.Response.WriteAsync("ok");
                return true;
            case ["api"]:
                await JsonOutput.WriteAsync(ctx, 200, DiscoveryDocuments.CoreVersions(serverAddress()));
                return true;
            case ["api", "v1"]:
                await JsonOutput.WriteAsync(ctx, 200, DiscoveryDocuments.ResourceList(catalog, "", "v1"));
                return true;
            case ["apis"]:
                await JsonOutput.WriteAsync(ctx, 200, DiscoveryDocuments.GroupList(catalog));
                return true;
            case ["apis", var group]:
                await JsonOutput.WriteAsync(ctx, 200,
                    DiscoveryDocuments.ApiGroup(catalog, group) ?? throw ResourceEndpoints.NotFoundPage());
                return true;
            case ["apis", var group, var version]:
                if (!catalog.ServesGroupVersion(group, version)) throw ResourceEndpoints.NotFoundPage();
                await JsonOutput.WriteAsync(ctx, 200, DiscoveryDocuments.ResourceList(catalog, group, version));
                return true;
            case ["openapi", "v2"]:
                if (ctx.Request.Headers.Accept.ToString().Contains("protobuf", StringComparison.Ordinal))
                {
                    ctx.Response.ContentType = OpenApiV2Document.ProtobufContentType;
                    await ctx.Response.Body.WriteAsync(OpenApiV2Document.Protobuf());
                }
                else await JsonOutput.WriteAsync(ctx, 200, OpenApiV2Document.Json());
                return true;
            case ["openapi", "v3"]:
                await JsonOutput.WriteAsync(ctx, 200, OpenApiDocuments.Index(catalog));
                return true;
            case ["openapi", "v3", .. var gv]:
                await JsonOutput.WriteAsync(ctx, 200,
                    OpenApiDocuments.Document(catalog, string.Join('/', gv)) ?? throw ResourceEndpoints.NotFoundPage());
                return true;
            default:
                return false;
        }
    }

    private async Task ResourceAsync(HttpContext ctx, string group, string version, string[] rest)
    {
        var path = ResourcePath.Parse(group, version, rest, plural => catalog.Find(group, version, plural) is not null)
                   ?? throw ResourceEndpoints.NotFoundPage();
        var type = catalog.Find(group, version, path.Resource) ?? throw ResourceEndpoints.NotFoundPage();
        await endpoints.HandleAsync(ctx, type, path);
    }
}
