using System.Text;
using System.Text.Json;
using KubeOS.Sandbox.Errors;

namespace KubeOS.Sandbox.Storage;

/// <summary>
/// The opaque continue token of a paginated list, in kube-apiserver's layout: base64url of
/// {"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"} — the snapshot revision and the first key of the next page.
/// </summary>
public static class ContinueToken
{
    public static string Encode(long resourceVersion, string startKey)
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["v"] = "meta.k8s.io/v1", ["rv"] = resourceVersion, ["start"] = startKey,
        });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static (long ResourceVersion, string StartKey) Decode(string token)
    {
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            using var doc = JsonDocument.Parse(Convert.FromBase64String(b64));
            var root = doc.RootElement;
            if (root.GetProperty("v").GetString() != "meta.k8s.io/v1")
                throw ApiError.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
            var rv = root.GetProperty("rv").GetInt64();
            var start = root.GetProperty("start").GetString() ?? "";
            if (rv <= 0 || start.Length == 0)
                throw ApiError.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
            return (rv, start);
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw ApiError.BadRequest($"continue key is not valid: {e.Message}");
        }
    }
}
