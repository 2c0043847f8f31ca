using System.Text;
using System.Text.Json.Nodes;

namespace KubeOS.Sandbox.Http;

/// <summary>
/// An empty Swagger 2.0 document at /openapi/v2. kubectl's client-side validation refuses to run without one; with
/// no definitions in it, kubectl validates nothing itself (the v3 documents tell it the server validates fields) and
/// computes patches for built-in kinds from its compiled-in types. kubectl asks for the gnostic protobuf encoding.
/// </summary>
public static class OpenApiV2Document
{
    // kube-openapi answers the protobuf form as an opaque octet stream (the @ in the requested type is not a valid MIME type).
    public const string ProtobufContentType = "application/octet-stream";

    public static JsonObject Json() => new()
    {
        ["swagger"] = "2.0",
        ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = DiscoveryDocuments.KubernetesVersion },
        ["paths"] = new JsonObject(),
        ["definitions"] = new JsonObject(),
    };

    /// <summary>openapi_v2.Document{swagger: "2.0", info: {title, version}, paths: {}, definitions: {}}.</summary>
    public static byte[] Protobuf()
    {
        var info = new MemoryStream();
        WriteString(info, 1, "Kubernetes");
        WriteString(info, 2, DiscoveryDocuments.KubernetesVersion);
        var doc = new MemoryStream();
        WriteString(doc, 1, "2.0");
        WriteBytes(doc, 2, info.ToArray());
        WriteBytes(doc, 8, []);
        WriteBytes(doc, 9, []);
        return doc.ToArray();
    }

    private static void WriteString(Stream s, int field, string value) => WriteBytes(s, field, Encoding.UTF8.GetBytes(value));

    private static void WriteBytes(Stream s, int field, byte[] value)
    {
        WriteVarint(s, (ulong)((field << 3) | 2));
        WriteVarint(s, (ulong)value.Length);
        s.Write(value);
    }

    private static void WriteVarint(Stream s, ulong value)
    {
        while (value >= 0x80)
        {
            s.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        s.WriteByte((byte)value);
    }
}
