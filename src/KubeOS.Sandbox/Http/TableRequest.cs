using Microsoft.AspNetCore.Http;
using KubeOS.Sandbox.Tables;

namespace KubeOS.Sandbox.Http;

/// <summary>Content negotiation for the meta.k8s.io/v1 Table form kubectl asks for.</summary>
public static class TableRequest
{
    public const string ContentType = "application/json;as=Table;v=v1;g=meta.k8s.io";

    public static bool Wants(HttpContext ctx)
    {
        foreach (var accept in ctx.Request.Headers.Accept)
        {
            foreach (var clause in (accept ?? "").Split(','))
            {
                var parts = clause.Split(';').Select(p => p.Trim()).ToList();
                if (parts[0] is not ("application/json" or "*/*")) continue;
                if (parts.Contains("as=Table") && parts.Contains("g=meta.k8s.io") && parts.Contains("v=v1")) return true;
                if (!parts.Any(p => p.StartsWith("as=", StringComparison.Ordinal))) return false;
            }
        }
        return false;
    }

    public static TableBuilder.IncludeObject Include(HttpContext ctx) =>
        TableBuilder.ParseInclude(ctx.Request.Query["includeObject"].ToString());
}
