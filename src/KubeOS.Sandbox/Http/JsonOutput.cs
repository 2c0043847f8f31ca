using System.Text.Json;
using System.Text.Json.Nodes;
using KubeOS.Sandbox.Errors;
using Microsoft.AspNetCore.Http;

namespace KubeOS.Sandbox.Http;

/// <summary>Writes JSON bodies and Status errors.</summary>
public static class JsonOutput
{
    public static async Task WriteAsync(HttpContext ctx, int code, JsonNode body, string contentType = "application/json")
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = contentType;
        await using var writer = new Utf8JsonWriter(ctx.Response.Body);
        body.WriteTo(writer);
        await writer.FlushAsync(ctx.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext ctx, ApiError error)
    {
        if (error.RetryAfterSeconds is > 0) ctx.Response.Headers["Retry-After"] = error.RetryAfterSeconds.Value.ToString();
        return WriteAsync(ctx, error.Code, error.ToStatus());
    }

    /// <summary>A metav1.Status of success (eviction, binding, delete of most kinds).</summary>
    public static JsonObject Success(int? code, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success",
        };
        if (details is not null) status["details"] = details;
        if (code is not null) status["code"] = code;
        return status;
    }
}
