using System.Text;
using System.Text.Json.Nodes;
using KubeOS.Sandbox.Errors;

namespace KubeOS.Sandbox.Http;

/// <summary>
/// Decodes the Kubernetes protobuf request bodies kubectl's typed clients send (application/vnd.kubernetes.protobuf:
/// the "k8s\0" magic, a runtime.Unknown envelope, then the object's generated message) for the kinds its
/// `create` generators post: Namespace, ConfigMap and Secret. Other kinds answer 415, naming the JSON alternative.
/// </summary>
public static class ProtobufBodies
{
    public const string ContentType = "application/vnd.kubernetes.protobuf";
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < 4 || !body.AsSpan(0, 4).SequenceEqual(Magic))
            throw ApiError.BadRequest("the protobuf body does not start with the Kubernetes magic number");
        string? apiVersion = null, kind = null;
        byte[]? raw = null;
        foreach (var (field, value) in Fields(body.AsMemory(4)))
        {
            if (field == 1)
                foreach (var (f, v) in Fields(value))
                {
                    if (f == 1) apiVersion = Text(v);
                    else if (f == 2) kind = Text(v);
                }
            else if (field == 2) raw = value.ToArray();
        }
        if (raw is null || kind is null)
            throw ApiError.BadRequest("the protobuf body carries no object");
        var obj = kind switch
        {
            "Namespace" => Namespace(raw),
            "ConfigMap" => ConfigMap(raw),
            "Secret" => Secret(raw),
            _ => throw new ApiError(415, "UnsupportedMediaType",
                $"the sandbox decodes protobuf bodies only for Namespace, ConfigMap and Secret (got {kind}); send application/json"),
        };
        obj["apiVersion"] = apiVersion;
        obj["kind"] = kind;
        return obj;
    }

    private static JsonObject Namespace(byte[] raw)
    {
        var obj = new JsonObject();
        foreach (var (field, value) in Fields(raw))
        {
            if (field == 1) obj["metadata"] = ObjectMeta(value);
            else if (field == 2)
            {
                var finalizers = new JsonArray();
                foreach (var (f, v) in Fields(value)) if (f == 1) finalizers.Add(Text(v));
                obj["spec"] = new JsonObject { ["finalizers"] = finalizers };
            }
        }
        return obj;
    }

    private static JsonObject ConfigMap(byte[] raw)
    {
        var obj = new JsonObject();
        foreach (var (field, value) in Fields(raw))
        {
            switch (field)
            {
                case 1: obj["metadata"] = ObjectMeta(value); break;
                case 2: MapEntry(obj, "data", value, bytes: false); break;
                case 3: MapEntry(obj, "binaryData", value, bytes: true); break;
                case 4: obj["immutable"] = value.Span.Length > 0 && value.Span[0] != 0; break;
            }
        }
        return obj;
    }

    private static JsonObject Secret(byte[] raw)
    {
        var obj = new JsonObject();
        foreach (var (field, value) in Fields(raw))
        {
            switch (field)
            {
                case 1: obj["metadata"] = ObjectMeta(value); break;
                case 2: MapEntry(obj, "data", value, bytes: true); break;
                case 3: obj["type"] = Text(value); break;
                case 4: MapEntry(obj, "stringData", value, bytes: false); break;
                case 5: obj["immutable"] = value.Span.Length > 0 && value.Span[0] != 0; break;
            }
        }
        return obj;
    }

    /// <summary>The ObjectMeta fields a client sets on create: names, labels, annotations, finalizers.</summary>
    private static JsonObject ObjectMeta(ReadOnlyMemory<byte> raw)
    {
        var meta = new JsonObject();
        foreach (var (field, value) in Fields(raw))
        {
            switch (field)
            {
                case 1: meta["name"] = Text(value); break;
                case 2: meta["generateName"] = Text(value); break;
                case 3: meta["namespace"] = Text(value); break;
                case 6: meta["resourceVersion"] = Text(value); break;
                case 11: MapEntry(meta, "labels", value, bytes: false); break;
                case 12: MapEntry(meta, "annotations", value, bytes: false); break;
                case 14: ((meta["finalizers"] ??= new JsonArray()) as JsonArray)!.Add(Text(value)); break;
            }
        }
        return meta;
    }

    private static void MapEntry(JsonObject target, string property, ReadOnlyMemory<byte> entry, bool bytes)
    {
        string key = "", value = "";
        foreach (var (f, v) in Fields(entry))
        {
            if (f == 1) key = Text(v);
            else if (f == 2) value = bytes ? Convert.ToBase64String(v.Span) : Text(v);
        }
        var map = target[property] as JsonObject ?? new JsonObject();
        map[key] = value;
        target[property] = map;
    }

    private static string Text(ReadOnlyMemory<byte> v) => Encoding.UTF8.GetString(v.Span);

    /// <summary>The fields of one message: length-delimited values as their bytes, varints as their little-endian bytes.</summary>
    private static IEnumerable<(int Field, ReadOnlyMemory<byte> Value)> Fields(ReadOnlyMemory<byte> message)
    {
        var pos = 0;
        while (pos < message.Length)
        {
            var tag = Varint(message.Span, ref pos);
            var field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    var v = Varint(message.Span, ref pos);
                    yield return (field, BitConverter.GetBytes(v));
                    break;
                case 1: pos += 8; break;
                case 2:
                    var len = (int)Varint(message.Span, ref pos);
                    if (len < 0 || pos + len > message.Length) throw ApiError.BadRequest("the protobuf body is truncated");
                    yield return (field, message.Slice(pos, len));
                    pos += len;
                    break;
                case 5: pos += 4; break;
                default: throw ApiError.BadRequest($"the protobuf body has an unsupported wire type {tag & 7}");
            }
        }
    }

    private static ulong Varint(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (pos >= data.Length) throw ApiError.BadRequest("the protobuf body is truncated");
            var b = data[pos++];
            result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw ApiError.BadRequest("the protobuf body has a malformed varint");
    }
}
